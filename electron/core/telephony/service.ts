/**
 * Telephony in the core: the supervised SIP child, its registration written to the log as events (outages
 * appear with their times), its crashes and restarts, overload refusals, and the calls desk fed with what
 * it reports. Commands the desk sends come back within bounded times (signalling.ts).
 */
import type { TelephonyState } from '../../contract/index.js';
import type { CallDeskPort, CallFactSink, CallSignalling } from '../calls/signalling.js';
import type { Store } from '../store/index.js';
import { STORE_AUTHOR } from '../store/index.js';
import type { CommandOp, FromChild } from './channel.js';
import { telephonyConfigSchema, type TelephonyConfig, type TelephonyConfigInput } from './config.js';
import { TELEPHONY_EVENTS, telephonyEventTracker } from './events.js';
import { createMediaRelay, type MediaOwnerLink, type MediaRelay } from './media-relay.js';
import type { RegistrationState } from './state.js';
import { createSupervisor, type SipSpawner, type Supervisor } from './supervisor.js';

/** In-dialog requests a far end never answers are reported after this (RFC 3261 timers would take 32 s). */
export const COMMAND_TIMEOUT_MS = 5_000;
/** Offers the core has not yet made durable above which the child answers 503. */
export const DEFAULT_MAX_PENDING_OFFERS = 200;
/**
 * Answering with 'renderer' media includes the page's negotiation (getUserMedia, ICE gathering), bounded in
 * the child below this (sip/channel-bridge.ts PREPARE_TIMEOUT_MS): the child's answer always comes first,
 * so a 200 OK never leaves after the core gave up on it.
 */
export const RENDERER_ACCEPT_TIMEOUT_MS = 12_000;

export interface TelephonyOptions {
  config: TelephonyConfigInput;
  store: Store;
  desk: CallDeskPort;
  lines: unknown;
  autoAnswerSeconds?: number;
  /** Overrides the configuration's choice ('info' with null media, which has no RTP for RFC 4733 events). */
  dtmfMethod?: 'media' | 'info';
  /** The core's renderer link: required when the configuration's media is 'renderer'. */
  media?: MediaOwnerLink;
  maxPendingOffers?: number;
  spawner?: SipSpawner;
  entry?: string;
  now: () => number;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  onStateChange: () => void;
  /** Benchmarks: when the child sent each 200 OK (performance.timeOrigin + now(), comparable across processes). */
  onAcceptSent?: (sid: string, sentAt: number) => void;
}

export interface Telephony {
  readonly config: TelephonyConfig;
  state(): { state: TelephonyState; detail: string };
  /** The SIP child's pid, while one runs (tests, diagnostics). */
  pid(): number | undefined;
  start(): void;
  stop(): Promise<void>;
  /** A simulated drill's cut of the SIP transport (true) and its end (false); kept across SIP restarts. */
  simulateLoss(on: boolean): void;
  /** The page's watchdog heard no RTP on this media (its page id, voice.alarm `no-rtp` raised). */
  mediaStopped(mediaCallId: string): void;
}

const what: Record<CommandOp, string> = {
  accept: 'Décroché',
  reject: 'Refus',
  bye: 'Raccrochage',
  cancel: 'Annulation',
  hold: 'Mise en attente',
  resume: 'Reprise',
  refer: 'Transfert',
  dtmf: 'Envoi des touches',
  dial: 'Appel',
  mute: 'Coupure du micro',
  dispose: 'Abandon de session',
};

export const createTelephony = (o: TelephonyOptions): Telephony => {
  const config = telephonyConfigSchema.parse(o.config);
  const track = telephonyEventTracker(config.registrars);
  let registration: RegistrationState = {
    state: 'connecting',
    registrar: config.registrars[0] ?? null,
    detail: 'démarrage',
  };
  let sink: CallFactSink | undefined;
  let supervisor: Supervisor | undefined;
  if (config.media === 'renderer' && o.media === undefined) {
    throw new Error('téléphonie : média « renderer » sans liaison vers l’écran (utilisez media: "null" sans console)');
  }
  const relay: MediaRelay | undefined =
    config.media === 'renderer' && o.media !== undefined
      ? createMediaRelay({
          link: o.media,
          iceServers: config.iceServers,
          reply: (result) => supervisor?.send(result),
          log: o.log,
        })
      : undefined;
  const dtmfMethod = o.dtmfMethod ?? (config.media === 'renderer' && config.dtmf === 'rfc4733' ? 'media' : 'info');

  const appendSafely = (type: string, payload: Record<string, unknown>): void => {
    try {
      o.store.append(type, payload, STORE_AUTHOR);
    } catch (error) {
      o.log('error', `${type} non journalisé : ${String(error)}`);
    }
  };

  const onRegistration = (state: RegistrationState): void => {
    registration = state;
    for (const e of track(state, o.now())) appendSafely(e.type, e.payload);
    if (state.state === 'lost') sink?.report({ kind: 'registrationLost' });
    o.onStateChange();
  };

  let simulatedLoss = false;
  const onMessage = (m: FromChild): void => {
    switch (m.t) {
      case 'registration':
        return onRegistration(m.state);
      case 'offer': {
        const durable = sink?.offer(m) ?? false;
        supervisor?.send({ t: 'ack', sid: m.sid, durable });
        return;
      }
      case 'fact':
        return sink?.report(m.fact);
      case 'refused':
        o.log('warn', `surcharge : ${m.count} appel(s) refusé(s) (503)`);
        return appendSafely(TELEPHONY_EVENTS.overload, {
          count: m.count,
          numbers: m.numbers,
          from: Math.round(m.from),
          to: Math.round(m.to),
        });
      case 'media':
        if (relay !== undefined) return relay.handle(m);
        return supervisor?.send({ t: 'mediaResult', id: m.id, ok: false, message: 'Audio désactivé sur ce poste.' });
      case 'log':
        return o.log(m.level, `SIP : ${m.message}`);
      case 'fatal':
        return o.log('error', `processus SIP : ${m.reason}`);
      case 'ready':
        // A restarted child does not know a drill is cutting it: tell it again.
        if (simulatedLoss) supervisor?.send({ t: 'simulate', lost: true });
        return;
      case 'pong':
      case 'result':
        return;
    }
  };

  const request = async (
    op: CommandOp,
    fields: { sid: string } & Record<string, unknown>,
    timeoutMs = COMMAND_TIMEOUT_MS,
  ) => {
    if (supervisor === undefined) throw new Error('téléphonie non démarrée');
    return supervisor.request({ op, ...fields }, timeoutMs, what[op]);
  };
  const signalling: CallSignalling = {
    accept: async (sid) => {
      // No page to carry the audio: refused before SIP hears of it, so the call keeps ringing here and elsewhere.
      relay?.requireOwner();
      const r = await request('accept', { sid }, relay === undefined ? COMMAND_TIMEOUT_MS : RENDERER_ACCEPT_TIMEOUT_MS);
      if (r.sentAt !== undefined) o.onAcceptSent?.(sid, r.sentAt);
    },
    reject: async (sid, code) => void (await request('reject', { sid, code })),
    bye: async (sid) => void (await request('bye', { sid })),
    cancel: async (sid) => void (await request('cancel', { sid })),
    reinvite: async (sid, mode) => void (await request(mode, { sid })),
    refer: async (sid, target, replacesSid) =>
      void (await request('refer', { sid, target, ...(replacesSid === undefined ? {} : { replacesSid }) })),
    // One INFO per digit, each answered before the next (ordered): a bound per digit.
    dtmf: async (sid, digits) => void (await request('dtmf', { sid, digits }, COMMAND_TIMEOUT_MS * digits.length)),
    dial: async (sid, target) => {
      relay?.requireOwner();
      const r = await request('dial', { sid, target });
      if (r.dialled === undefined) throw new Error('réponse de numérotation incomplète');
      return r.dialled;
    },
    mute: async (sid, muted) => void (await request('mute', { sid, muted })),
    dispose: async (sid) => void (await request('dispose', { sid })),
  };

  return {
    config,
    state() {
      const where = registration.registrar === null ? '' : ` (${registration.registrar})`;
      return { state: registration.state, detail: `${registration.detail}${where}` };
    },
    pid: () => supervisor?.pid(),
    mediaStopped(mediaCallId) {
      const sid = relay?.sidOf(mediaCallId);
      if (sid !== undefined) sink?.report({ kind: 'mediaStopped', sid });
    },
    simulateLoss(on) {
      simulatedLoss = on;
      supervisor?.send({ t: 'simulate', lost: on });
    },
    start() {
      if (supervisor !== undefined) return;
      sink = o.desk.attach(signalling, {
        lines: o.lines,
        ...(o.autoAnswerSeconds === undefined ? {} : { autoAnswerSeconds: o.autoAnswerSeconds }),
        // The page's watchdog reports when RTP stops (voice.alarm); null media has none to watch.
        mediaWatched: relay !== undefined,
      });
      supervisor = createSupervisor({
        ...(o.entry === undefined ? {} : { entry: o.entry }),
        ...(o.spawner === undefined ? {} : { spawner: o.spawner }),
        start: {
          t: 'start',
          config,
          dtmfMethod,
          maxPendingOffers: o.maxPendingOffers ?? DEFAULT_MAX_PENDING_OFFERS,
        },
        onMessage,
        onCrash: (reason) => {
          const at = o.now();
          appendSafely(TELEPHONY_EVENTS.crashed, { reason: reason.slice(0, 500), at });
          relay?.reset();
          // Every call with the dead stack is over: logged failed, shown, and it will not ring again.
          sink?.report({ kind: 'signallingLost', detail: 'processus SIP arrêté pendant l’appel' });
          registration = { state: 'lost', registrar: registration.registrar, detail: `${reason} ; redémarrage` };
          o.onStateChange();
        },
        onRestart: (attempt) => appendSafely(TELEPHONY_EVENTS.restarted, { attempt, at: o.now() }),
        log: o.log,
      });
      supervisor.start();
    },
    async stop() {
      await sink?.close();
      await supervisor?.stop();
      await relay?.stop();
      registration = { state: 'disabled', registrar: null, detail: 'arrêté' };
    },
  };
};
