import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLab } from './lab.js';
import { audioHooks, MAX_AUDIO_CALLS, MediaCalls, noAudioHooks, noMedia, type MediaSummary } from './media-calls.js';
import { freeUdpPort } from './ports.js';
import { labResourcesDir } from './resources.js';
import type { RtpAudioOptions } from './rtp.js';
import { runSipp, type SippResult, type SippRun } from './sipp.js';
import { sendRawUdp, token } from './udp.js';

export interface LabCallOptions {
  dir: string;
  /** User part of the AOR to call (a position registered on the lab). */
  to: string;
  count?: number;
  /** Calls per second. */
  rate?: number;
  /** Seconds of ringing before the caller gives up with CANCEL (default 30). */
  ringS?: number;
  /** Seconds of talk after the answer before the caller hangs up (default 5). */
  talkS?: number;
  /** The called line number, sent as P-Called-Party-ID and Diversion (default: `to`). */
  line?: string;
  /** The caller's number (From user; default 0600000). */
  from?: string;
  /**
   * Real audio: each caller sends a G.711 tone from a Node RTP endpoint and measures what the position sends
   * back. Default: on for up to MAX_AUDIO_CALLS calls, off beyond (signalling load runs).
   */
  audio?: boolean | RtpAudioOptions;
}

/** SIPp's verdict plus what the callers' RTP endpoints sent and received (all zero without audio). */
export type LabCallResult = SippResult & MediaSummary;

const audioOptions = (audio: boolean | RtpAudioOptions | undefined, count: number): RtpAudioOptions | null => {
  if (audio === false || (audio === undefined && count > MAX_AUDIO_CALLS)) return null;
  return audio === true || audio === undefined ? {} : audio;
};

/** Fill a scenario's @NAME@ markers; an unknown marker is a bug in the template, not a silent blank. */
const render = (template: string, values: Readonly<Record<string, string>>): string =>
  template.replace(/@([A-Z_]+)@/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`scénario SIPp : variable inconnue ${whole}`);
    return value;
  });

const hookValues = (audio: boolean): Record<string, string> => {
  const hooks = audio ? audioHooks : noAudioHooks;
  return {
    MEDIA_PORT: audio ? '[field0]' : '[media_port]',
    AT_START: hooks.start,
    ON_SDP: hooks.onSdp,
    AT_END: hooks.end,
    REFERENCES: hooks.references,
  };
};

const NUMBER = /^[A-Za-z0-9+*#._-]{1,64}$/;
const checkToken = (value: string, what: string): string => {
  if (!NUMBER.test(value)) throw new Error(`${what} invalide : « ${value} »`);
  return value;
};

const positive = (value: number, what: string): number => {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${what} doit être un nombre positif`);
  return value;
};

const callDir = (labDir: string, prefix: string): string => {
  const root = join(labDir, 'calls');
  mkdirSync(root, { recursive: true });
  return mkdtempSync(join(root, `${prefix}-`));
};

/**
 * `vigie lab call`: SIPp callers through the lab's Kamailio (scenario resources/lab/uac.xml.template), with
 * real audio by default (electron/lab/media-calls.ts). Exit code 0 only when SIPp reports every call
 * successful, i.e. each one ran its scenario to the end (answered then hung up, or cancelled after ringing).
 */
export const labCall = async (opts: LabCallOptions): Promise<LabCallResult> => {
  const lab = readLab(opts.dir);
  const to = checkToken(opts.to, 'destinataire');
  const line = checkToken(opts.line ?? opts.to, 'ligne');
  const from = checkToken(opts.from ?? '0600000', 'appelant');
  const count = Math.floor(positive(opts.count ?? 1, 'count'));
  const rate = positive(opts.rate ?? 10, 'rate');
  const ringMs = Math.round(positive(opts.ringS ?? 30, 'ring') * 1000);
  const talkMs = Math.round(positive(opts.talkS ?? 5, 'talk') * 1000);
  const work = callDir(lab.dir, 'uac');
  const audio = audioOptions(opts.audio, count);
  const scenario = render(readFileSync(join(labResourcesDir(), 'uac.xml.template'), 'utf8'), {
    RING_MS: String(ringMs),
    TALK_MS: String(talkMs),
    ...hookValues(audio !== null),
  });
  writeFileSync(join(work, 'uac.xml'), scenario);
  const media = audio === null ? null : await MediaCalls.open(work, count, audio);
  // Upper bound for the whole run: placing the calls, the longest call, then transaction timeouts.
  const globalTimeoutS = Math.ceil(count / rate + (2 * ringMs + talkMs) / 1000 + 40);
  const args = [
    '-sf',
    join(work, 'uac.xml'),
    lab.sipUdp,
    '-s',
    to,
    '-i',
    '127.0.0.1',
    '-p',
    String(await freeUdpPort()),
    '-m',
    String(count),
    '-r',
    String(rate),
    '-rp',
    '1000',
    '-l',
    String(Math.min(count, 5000)),
    '-key',
    'from',
    from,
    '-key',
    'line',
    line,
    '-timeout',
    `${globalTimeoutS}s`,
    '-timeout_error',
    ...(media === null ? [] : ['-inf', media.csv]),
  ];
  const result = await runSipp(args, work).done; // never rejects: a failed start resolves with exit code -1
  const summary = media?.close() ?? noMedia();
  const allRan = result.exitCode === 0 && result.successful === count && result.failed === 0;
  return { ...result, ...summary, exitCode: allRan ? 0 : result.exitCode === 0 ? 1 : result.exitCode };
};

export interface LabCallee extends SippRun {
  port: number;
  /** With audio: resolves (after `done`) with what the callee's RTP endpoints sent and received. */
  media: Promise<MediaSummary>;
}

/**
 * For tests: a SIPp callee registered on the lab over UDP as `user` (Contact pointing at SIPp's port). It
 * answers each call (`answer`, with a Node RTP endpoint sending a tone unless `audio` is false) or only rings
 * until the caller cancels (`ring`), for `count` calls.
 */
export const labCallee = async (opts: {
  dir: string;
  user: string;
  mode: 'answer' | 'ring';
  count?: number;
  audio?: boolean | RtpAudioOptions;
}): Promise<LabCallee> => {
  const lab = readLab(opts.dir);
  const user = checkToken(opts.user, 'utilisateur');
  const count = Math.floor(positive(opts.count ?? 1, 'count'));
  const port = await freeUdpPort();
  const work = callDir(lab.dir, `uas-${opts.mode}`);
  const audio = opts.mode === 'answer' ? audioOptions(opts.audio, count) : null;
  let scenario = join(labResourcesDir(), 'uas-ring.xml');
  if (opts.mode === 'answer') {
    scenario = join(work, 'uas-answer.xml');
    const template = readFileSync(join(labResourcesDir(), 'uas-answer.xml'), 'utf8');
    writeFileSync(scenario, render(template, hookValues(audio !== null)));
  }
  const media = audio === null ? null : await MediaCalls.open(work, count, audio);
  const run = runSipp(
    [
      '-sf',
      scenario,
      '-i',
      '127.0.0.1',
      '-p',
      String(port),
      '-m',
      String(count),
      ...(media === null ? [] : ['-inf', media.csv]),
    ],
    work,
  );
  const mediaDone = run.done.then(() => media?.close() ?? noMedia());
  const tag = token();
  const register = [
    `REGISTER sip:${lab.sipUdp} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:@LOCAL_PORT@;branch=z9hG4bK${tag};rport`,
    'Max-Forwards: 70',
    `From: <sip:${user}@127.0.0.1>;tag=${tag}`,
    `To: <sip:${user}@127.0.0.1>`,
    `Call-ID: reg-${tag}@127.0.0.1`,
    'CSeq: 1 REGISTER',
    `Contact: <sip:${user}@127.0.0.1:${port}>`,
    'Expires: 300',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const replies = await sendRawUdp(lab.sipUdp, register, 500);
  if (!replies.some((reply) => reply.startsWith('SIP/2.0 200'))) {
    run.stop();
    await mediaDone;
    throw new Error(`REGISTER de l'appelé ${user} refusé : ${replies[0]?.split('\r\n')[0] ?? 'pas de réponse'}`);
  }
  return { ...run, port, media: mediaDone };
};
