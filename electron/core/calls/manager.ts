/**
 * The call manager: turns SIP sessions (sip.js, in the core process that owns the database) into the
 * call queue and the call log. Every transition is checked by the state machine, then appended to the
 * store (durable before the command returns, DESIGN.md rule 3), then pushed to the UI.
 *
 * It needs only `userAgent` and `onInvite` from the SIP engineer's SipPhone (structural type below), so
 * tests may hand it any registered sip.js UserAgent.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import {
  Invitation,
  Inviter,
  SessionState,
  UserAgent,
  type Session,
  type SessionDescriptionHandler,
  type SessionDescriptionHandlerModifier,
  type SessionDescriptionHandlerOptions,
  type SessionReferOptions,
} from 'sip.js';
import type { CallsEvent, CallsOptions, LiveCall, QueueSnapshot } from '../../contract/calls.js';
import { VigieError } from '../../contract/result.js';
import type { CallEventType, CallPayload } from './events.js';
import { linesConfigSchema, resolveLine, type LinesConfig, type ResolvedLine } from './lines.js';
import { orderQueue, pickNext } from './queue.js';
import {
  defaultCallbackOutcomes,
  defaultQualifications,
  type CallbackOutcome,
  type Qualification,
} from './qualifications.js';
import {
  answeredElsewhere,
  callerNumber,
  cleanDisplayName,
  dtmfInfoBody,
  setSdpDirection,
  targetUri,
  type MediaDirection,
} from './sip-helpers.js';
import { nextState, transition, type CallAction, type CallState, type EndCause } from './state.js';

const noop = (): void => undefined;

/** What the manager needs from the SIP layer (SipPhone from electron/core/sip/phone.ts satisfies it). */
export interface InviteSource {
  readonly userAgent: UserAgent;
  onInvite(listener: (invitation: Invitation) => void): () => void;
  /** Registration state changes (SipPhone.onState); optional so that a bare UA can be used in tests. */
  onState?(listener: (state: { state: string }) => void): () => void;
}

/** What the manager needs from the store: append in this process, read the projections. */
export interface CallStore {
  readonly db: Database.Database;
  append<P>(type: string, payload: P, author: string): unknown;
}

export interface CallManagerOptions {
  phone: InviteSource;
  store: CallStore;
  /** Lines configuration (validated here with linesConfigSchema). */
  lines?: unknown;
  qualifications?: readonly Qualification[];
  callbackOutcomes?: readonly CallbackOutcome[];
  /** The operator logged in at this position: author of the events. */
  operator: () => string;
  /**
   * DTMF: 'media' sends RFC 4733 events through the media handler and falls back to SIP INFO when it
   * cannot; 'info' always uses SIP INFO (for peers that only understand INFO). Default 'media'.
   */
  dtmfMethod?: 'media' | 'info';
  /** Answer every incoming call after this many seconds (tests and benchmarks only). */
  autoAnswerSeconds?: number;
  now?: () => number;
  newId?: () => string;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

/** A media handler that can mute its microphone (the renderer bridge); the null handler cannot. */
interface MutableMedia {
  setMuted(muted: boolean): void;
}
const isMutable = (sdh: SessionDescriptionHandler | undefined): sdh is SessionDescriptionHandler & MutableMedia =>
  sdh !== undefined && 'setMuted' in sdh && typeof sdh.setMuted === 'function';

interface Live {
  id: string;
  arrival: number;
  direction: 'in' | 'out';
  session: Session;
  state: CallState;
  line: ResolvedLine;
  caller: { number: string; name: string | null };
  offeredAt: number;
  answeredAt: number | null;
  muted: boolean;
  /** A command is running on this call (answer, hold…): a second one is refused, not interleaved. */
  busy: boolean;
  /** Why the session ends when it ends, as decided by this side or learnt from the peer. */
  cancelled?: { elsewhere: boolean };
  byeReceived: boolean;
  localEnd?: EndCause;
  rejectCode?: number;
  transfer?: { target: string; mode: 'blind' | 'attended'; consultCallId?: string; logged: boolean };
  autoAnswer?: NodeJS.Timeout;
  /** Resolved when the dialog is confirmed: ACK received (incoming) or 2xx received (outgoing). */
  confirmed: Promise<void>;
  confirm: () => void;
}

/** A fresh `confirmed` promise and its resolver. */
const confirmation = (): { confirmed: Promise<void>; confirm: () => void } => {
  let confirm = noop;
  const confirmed = new Promise<void>((resolve) => {
    confirm = resolve;
  });
  return { confirmed, confirm };
};

/** RFC 3261 §13.3.1.4: a UAS retransmits its 2xx for 64*T1 = 32 s waiting for the ACK. */
const ACK_WAIT_MS = 32_000;

export interface CallManager {
  queue(): QueueSnapshot;
  options(): CallsOptions;
  answer(callId: string, opts?: { holdOthers?: boolean }): Promise<LiveCall>;
  answerNext(): Promise<LiveCall>;
  hold(callId: string): Promise<LiveCall>;
  resume(callId: string): Promise<LiveCall>;
  hangup(callId: string): Promise<{ callId: string }>;
  transfer(args: {
    callId: string;
    target: string;
    mode: 'blind' | 'attended';
    consultCallId?: string;
  }): Promise<{ callId: string }>;
  dial(target: string): Promise<LiveCall>;
  dtmf(callId: string, digits: string): Promise<{ callId: string }>;
  mute(callId: string, muted: boolean): LiveCall;
  /** Resolves once the call with this id has ended (tests, benchmarks). */
  whenEnded(callId: string): Promise<void>;
  onEvent(listener: (event: CallsEvent) => void): () => void;
  /** Stops listening and ends the calls still up (operator_hangup / rejected). */
  close(): Promise<void>;
}

/** Rewrites the SDP direction of what our SDH produces (hold = sendonly, RFC 3264 §8.4). */
const directionModifier =
  (direction: MediaDirection): SessionDescriptionHandlerModifier =>
  async (description) => ({ ...description, sdp: setSdpDirection(String(description.sdp ?? ''), direction) });

export const createCallManager = (options: CallManagerOptions): CallManager => {
  const now = options.now ?? Date.now;
  const newId = options.newId ?? randomUUID;
  const log = options.log ?? noop;
  const lines: LinesConfig = linesConfigSchema.parse(options.lines ?? {});
  const qualifications = options.qualifications ?? defaultQualifications;
  const callbackOutcomes = options.callbackOutcomes ?? defaultCallbackOutcomes;
  const ua = options.phone.userAgent;
  const live = new Map<string, Live>();
  const listeners = new Set<(event: CallsEvent) => void>();
  const endWaiters = new Map<string, (() => void)[]>();
  let arrivals = 0;
  let closed = false;

  const view = (c: Live): LiveCall => ({
    id: c.id,
    direction: c.direction,
    state: c.state,
    line: { number: c.line.number, label: c.line.label, priority: c.line.priority },
    caller: c.caller,
    offeredAt: c.offeredAt,
    answeredAt: c.answeredAt,
    muted: c.muted,
  });

  const queue = (): QueueSnapshot => {
    const all = [...live.values()];
    const ringing = orderQueue(
      all.filter((c) => c.state === 'ringing').map((c) => ({ ...c, priority: c.line.priority })),
    );
    return {
      ringing: ringing.map(view),
      mine: all
        .filter((c) => c.state !== 'ringing' && c.state !== 'ended')
        .sort((a, b) => a.offeredAt - b.offeredAt)
        .map(view),
    };
  };

  const emit = (event: CallsEvent): void => {
    for (const l of listeners) {
      try {
        l(event);
      } catch (error) {
        log('error', `écouteur d'appels en échec : ${String(error)}`);
      }
    }
  };
  const changed = (c: Live, cause?: EndCause): void => {
    emit({
      type: 'call.state',
      call: c.state === 'ended' && cause !== undefined ? { ...view(c), state: 'ended', cause } : view(c),
    });
    emit({ type: 'calls.queue', queue: queue() });
  };

  const append = <T extends CallEventType>(type: T, payload: CallPayload<T>): void => {
    options.store.append(type, payload, options.operator());
  };

  /** Checks the transition, appends its event, then updates memory: the log never lags the UI. */
  const record = <T extends CallEventType>(c: Live, action: CallAction, type: T, payload: CallPayload<T>): void => {
    const to = transition(c.state, action);
    append(type, payload);
    c.state = to;
    changed(c);
  };

  /** Ends a call once, whatever told us first (our command, BYE, CANCEL, session terminated). */
  const end = (c: Live, cause: EndCause, extra: { sipCode?: number; detail?: string } = {}): void => {
    if (c.state === 'ended') return;
    // A cause impossible from this state (e.g. a race) is logged as `failed` rather than lost.
    const effective = nextState(c.state, { kind: 'end', cause }) === null ? 'failed' : cause;
    if (c.autoAnswer !== undefined) clearTimeout(c.autoAnswer);
    if (effective === 'transferred' && c.transfer !== undefined && !c.transfer.logged) {
      c.transfer.logged = true;
      append('call.transferred', {
        callId: c.id,
        at: now(),
        mode: c.transfer.mode,
        target: c.transfer.target,
        ...(c.transfer.consultCallId === undefined ? {} : { consultCallId: c.transfer.consultCallId }),
      });
    }
    append('call.ended', {
      callId: c.id,
      at: now(),
      cause: effective,
      ...(extra.sipCode === undefined ? {} : { sipCode: extra.sipCode }),
      ...(extra.detail === undefined ? {} : { detail: extra.detail.slice(0, 200) }),
    });
    c.state = 'ended';
    live.delete(c.id);
    changed(c, effective);
    for (const w of endWaiters.get(c.id) ?? []) w();
    endWaiters.delete(c.id);
  };

  /** Why a session that just terminated ended, from what we know about it. */
  const onTerminated = (c: Live): void => {
    if (c.state === 'ended') return;
    if (c.localEnd !== undefined) return end(c, c.localEnd);
    if (c.transfer !== undefined && c.byeReceived) return end(c, 'transferred');
    switch (c.state) {
      case 'ringing':
        if (c.cancelled !== undefined) return end(c, c.cancelled.elsewhere ? 'answered_elsewhere' : 'abandoned');
        // sip.js gave up by itself (Expires / no-answer timer, RFC 3261 §13.3.1): nobody answered.
        return end(c, 'abandoned', { detail: 'délai de sonnerie expiré' });
      case 'dialing': {
        const code = c.rejectCode;
        const busy = code === 486 || code === 600 || code === 603;
        return end(c, busy ? 'busy' : 'failed', code === undefined ? {} : { sipCode: code });
      }
      case 'active':
      case 'held':
        return end(
          c,
          c.byeReceived ? 'caller_hangup' : 'failed',
          c.byeReceived ? {} : { detail: 'session terminée sans BYE' },
        );
    }
  };

  const watch = (c: Live): void => {
    c.session.stateChange.addListener((state) => {
      if (state === SessionState.Terminated) {
        try {
          onTerminated(c);
        } catch (error) {
          log('error', `fin d'appel ${c.id} non journalisée : ${String(error)}`);
        }
      }
    });
  };

  const get = (callId: string): Live => {
    const c = live.get(callId);
    if (c === undefined) throw new VigieError('not_found', 'Cet appel est terminé ou inconnu.');
    return c;
  };

  /**
   * In-dialog requests wait for the dialog to be confirmed: a re-INVITE sent before the ACK of our 2xx
   * arrives would overlap two INVITE transactions (RFC 3261 §14.1) and sip.js tears the call down.
   */
  const confirmed = async (c: Live): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        c.confirmed,
        new Promise<void>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(new VigieError('unavailable', "Le correspondant n'a pas confirmé la communication (ACK absent).")),
            ACK_WAIT_MS,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
    if (c.state === 'ended') throw new VigieError('conflict', 'Cet appel est terminé.');
  };

  /** Runs one command on a call at a time. */
  const exclusive = async <R>(c: Live, run: () => Promise<R>): Promise<R> => {
    if (c.busy) throw new VigieError('conflict', 'Une commande est déjà en cours sur cet appel.');
    c.busy = true;
    try {
      return await run();
    } finally {
      c.busy = false;
    }
  };

  const reinvite = (c: Live, hold: boolean): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const modifiers = [directionModifier(hold ? 'sendonly' : 'sendrecv')];
      // `hold` is what sip.js's web SDH reads; the modifier does the same for handlers that do not.
      const sdhOptions: SessionDescriptionHandlerOptions & { hold: boolean } = {
        ...c.session.sessionDescriptionHandlerOptionsReInvite,
        hold,
      };
      c.session
        .invite({
          sessionDescriptionHandlerOptions: sdhOptions,
          sessionDescriptionHandlerModifiers: modifiers,
          requestDelegate: {
            onAccept: () => resolve(),
            onReject: (response) =>
              reject(
                new VigieError(
                  'unavailable',
                  `${hold ? 'Mise en attente' : 'Reprise'} refusée par le correspondant (${response.message.statusCode} ${response.message.reasonPhrase}).`,
                ),
              ),
          },
        })
        .catch((error: unknown) =>
          reject(
            new VigieError('unavailable', `${hold ? 'Mise en attente' : 'Reprise'} impossible : ${String(error)}`),
          ),
        );
    });

  const holdLive = async (c: Live): Promise<LiveCall> => {
    transition(c.state, { kind: 'hold' });
    await confirmed(c);
    await reinvite(c, true);
    record(c, { kind: 'hold' }, 'call.held', { callId: c.id, at: now() });
    return view(c);
  };

  /** Answering or dialling puts the call in progress on hold first (one conversation at a time). */
  const holdOthers = async (except: Live | null): Promise<void> => {
    for (const other of live.values()) {
      if (other !== except && other.state === 'active') await exclusive(other, () => holdLive(other));
    }
  };

  const answer = async (callId: string, opts: { holdOthers?: boolean } = {}): Promise<LiveCall> => {
    const c = get(callId);
    if (!(c.session instanceof Invitation)) throw new VigieError('conflict', 'Un appel sortant ne se décroche pas.');
    const invitation = c.session;
    return exclusive(c, async () => {
      transition(c.state, { kind: 'answer' });
      if (opts.holdOthers ?? true) await holdOthers(c);
      if (c.autoAnswer !== undefined) clearTimeout(c.autoAnswer);
      try {
        // Resolves once the 200 OK is sent (sip.js Invitation.accept).
        await invitation.accept();
      } catch (error) {
        if (c.state === 'ended') throw new VigieError('conflict', 'Le correspondant a raccroché avant la réponse.');
        throw new VigieError('unavailable', `Décroché impossible : ${String(error)}`);
      }
      const at = now();
      c.answeredAt = at;
      record(c, { kind: 'answer' }, 'call.answered', { callId: c.id, at });
      return view(c);
    });
  };

  const onInvitation = (invitation: Invitation): void => {
    if (closed) return;
    const request = invitation.request;
    const line = resolveLine((name) => request.getHeader(name), lines);
    const c: Live = {
      id: newId(),
      arrival: arrivals++,
      direction: 'in',
      session: invitation,
      state: 'ringing',
      line,
      caller: {
        number: callerNumber(request.getHeader('P-Asserted-Identity'), invitation.remoteIdentity.uri.user),
        name: cleanDisplayName(invitation.remoteIdentity.displayName),
      },
      offeredAt: now(),
      answeredAt: null,
      muted: false,
      busy: false,
      byeReceived: false,
      ...confirmation(),
    };
    invitation.delegate = {
      onAck: () => c.confirm(),
      // The CANCEL's Reason tells "answered at another position" from "caller gave up" (RFC 3326).
      onCancel: (cancel) => {
        c.cancelled = { elsewhere: answeredElsewhere(cancel.request.getHeader('Reason')) };
      },
      onBye: (bye) => {
        c.byeReceived = true;
        void bye.accept();
      },
      onInfo: (info) => void info.accept(),
    };
    watch(c);
    live.set(c.id, c);
    try {
      append('call.offered', {
        callId: c.id,
        direction: 'in',
        sipCallId: request.callId.slice(0, 256),
        line: {
          number: line.number.slice(0, 64),
          label: line.label,
          priority: line.priority,
          configured: line.configured,
        },
        caller: c.caller,
        at: c.offeredAt,
      });
    } catch (error) {
      // Not durable means not offered: refuse the call so the caller's network can route it elsewhere.
      live.delete(c.id);
      log('error', `appel entrant non journalisé, refusé : ${String(error)}`);
      void invitation.reject({ statusCode: 500 }).catch(noop);
      return;
    }
    changed(c);
    // sip.js already sent 180 Ringing before handing us the invitation, unless the caller requires
    // reliable provisional responses (RFC 3262), in which case it is ours to send.
    if (!invitation.autoSendAnInitialProvisionalResponse) void invitation.progress().catch(noop);
    if (options.autoAnswerSeconds !== undefined) {
      c.autoAnswer = setTimeout(() => {
        answer(c.id, { holdOthers: false }).catch((error: unknown) =>
          log('warn', `décroché automatique ${c.id} : ${String(error)}`),
        );
      }, options.autoAnswerSeconds * 1000);
    }
  };

  const unsubscribe = options.phone.onInvite(onInvitation);

  /**
   * The SIP server connection is gone: a ringing call can no longer be answered, and its CANCEL would
   * never reach us (the proxy sends it on the dead connection), so it would stay in the queue for ever.
   * The caller was not answered: logged as abandoned, hence a callback (unless answered at another
   * position, which closes it). Calls in conversation are kept: their media may still flow.
   */
  const unsubscribeState =
    options.phone.onState?.((state) => {
      if (state.state !== 'lost') return;
      for (const c of [...live.values()]) {
        if (c.state !== 'ringing') continue;
        try {
          end(c, 'abandoned', { detail: 'liaison SIP perdue pendant la sonnerie' });
        } catch (error) {
          log('error', `appel ${c.id} non clos après la perte de la liaison SIP : ${String(error)}`);
        }
        if (c.session instanceof Invitation) void c.session.dispose().catch(noop);
      }
    }) ?? noop;

  const hangupLive = async (c: Live, cause: EndCause = 'operator_hangup', detail?: string): Promise<void> => {
    const session = c.session;
    switch (c.state) {
      case 'ringing':
        if (session instanceof Invitation) {
          // 486 Busy Here, not 603/6xx: a 6xx would stop the call ringing at the other positions too
          // (RFC 3261 §16.7 step 5).
          c.localEnd = cause;
          await session.reject({ statusCode: 486 });
        }
        break;
      case 'dialing':
        if (session instanceof Inviter) {
          c.localEnd = cause;
          await session.cancel();
        }
        break;
      case 'active':
      case 'held':
        c.localEnd = c.localEnd ?? cause;
        await session.bye();
        break;
      case 'ended':
        return;
    }
    end(c, c.localEnd ?? cause, detail === undefined ? {} : { detail });
  };

  const transfer: CallManager['transfer'] = async ({ callId, target, mode, consultCallId }) => {
    const c = get(callId);
    const consult = consultCallId === undefined ? undefined : get(consultCallId);
    if (mode === 'attended' && (consult === undefined || consult.state === 'dialing' || consult.state === 'ringing')) {
      throw new VigieError('conflict', "Transfert accompagné : l'appel de consultation doit être établi.");
    }
    transition(c.state, { kind: 'transfer' });
    const uri = UserAgent.makeURI(targetUri(target, ua.configuration.uri.host));
    if (uri === undefined) throw new VigieError('invalid_argument', `Destination de transfert invalide : ${target}`);
    return exclusive(c, async () => {
      await confirmed(c);
      if (consult !== undefined) await confirmed(consult);
      c.transfer = { target, mode, ...(consult === undefined ? {} : { consultCallId: consult.id }), logged: false };
      if (consult !== undefined) consult.transfer = { target, mode, consultCallId: c.id, logged: true };
      const finish = (): void => {
        // The transferee reached the target (NOTIFY sipfrag 2xx, RFC 3515 §2.4.5): our leg is done.
        c.localEnd = 'transferred';
        void c.session.bye().catch(noop);
        end(c, 'transferred');
        if (consult !== undefined && consult.state !== 'ended') {
          consult.localEnd = 'transferred';
          void consult.session.bye().catch(noop);
          end(consult, 'transferred');
        }
      };
      const replaces = consult === undefined ? undefined : replacesTarget(consult.session);
      if (consult !== undefined && replaces === undefined) {
        throw new VigieError('conflict', "Transfert accompagné : l'appel de consultation n'a pas de dialogue.");
      }
      await new Promise<void>((resolve, reject) => {
        const options: SessionReferOptions = {
          requestDelegate: {
            onAccept: () => resolve(),
            onReject: (response) => {
              c.transfer = undefined;
              if (consult !== undefined) consult.transfer = undefined;
              reject(
                new VigieError(
                  'unavailable',
                  `Transfert refusé (${response.message.statusCode} ${response.message.reasonPhrase}).`,
                ),
              );
            },
          },
          onNotify: (notification) => {
            void notification.accept().catch(noop);
            const frag = /^SIP\/2\.0\s+(\d{3})/m.exec(notification.request.body)?.[1];
            const code = frag === undefined ? 0 : Number(frag);
            if (code >= 200 && code < 300) finish();
            else if (code >= 300) {
              log('warn', `transfert de ${c.id} vers ${target} en échec (${code}) ; l'appel reste en ligne`);
              c.transfer = undefined;
              if (consult !== undefined) consult.transfer = undefined;
              emit({
                type: 'call.transferFailed',
                callId: c.id,
                target,
                sipCode: code,
                message: `Le transfert vers ${target} a échoué (${code}) : l'appel est toujours en ligne.`,
              });
              changed(c);
            }
          },
        };
        const sent =
          replaces === undefined
            ? c.session.refer(uri, options)
            : // sip.js writes a URI Refer-To without angle brackets, which a URI with `?Replaces=` needs
              // (RFC 3261 §20); its own attended form uses the target's Contact. So the REFER is sent with
              // the same headers sip.js would add (Session.referExtraHeaders) and our Refer-To.
              c.session._refer(options.onNotify, options.requestDelegate, {
                extraHeaders: [
                  `Referred-By: <${String(ua.configuration.uri)}>`,
                  ...(c.session._contact === undefined ? [] : [`Contact: ${c.session._contact}`]),
                  'Allow: ACK,CANCEL,INVITE,MESSAGE,BYE,OPTIONS,INFO,NOTIFY,REFER',
                  `Refer-To: <${replaces}>`,
                ],
              });
        sent.catch((error: unknown) =>
          reject(new VigieError('unavailable', `Transfert impossible : ${String(error)}`)),
        );
      });
      return { callId };
    });
  };

  /**
   * Refer-To for an attended transfer: the consulted party's AOR with a Replaces header naming the
   * consultation dialog (RFC 3891 §3 tags as seen by the target; RFC 5589 §7.1). sip.js would put the
   * target's Contact there, which behind a WebSocket proxy is an unroutable `.invalid` host.
   */
  const replacesTarget = (consult: Session): string | undefined => {
    const dialog = consult.dialog;
    if (dialog === undefined) return undefined;
    const aor = consult.remoteIdentity.uri;
    const replaces = encodeURIComponent(`${dialog.callId};to-tag=${dialog.remoteTag};from-tag=${dialog.localTag}`);
    return `${aor.scheme}:${aor.user ?? ''}@${aor.host}${aor.port === undefined ? '' : `:${aor.port}`}?Replaces=${replaces}`;
  };

  const dial = async (target: string): Promise<LiveCall> => {
    const uri = UserAgent.makeURI(targetUri(target, ua.configuration.uri.host));
    if (uri === undefined) throw new VigieError('invalid_argument', `Numéro ou adresse invalide : ${target}`);
    await holdOthers(null);
    const inviter = new Inviter(ua, uri);
    const number = uri.user ?? target;
    const c: Live = {
      id: newId(),
      arrival: arrivals++,
      direction: 'out',
      session: inviter,
      state: 'dialing',
      line: { number: number.slice(0, 64), label: 'Appel sortant', priority: 0, source: null, configured: false },
      caller: { number: number.slice(0, 64), name: null },
      offeredAt: now(),
      answeredAt: null,
      muted: false,
      busy: false,
      byeReceived: false,
      ...confirmation(),
    };
    inviter.delegate = {
      onBye: (bye) => {
        c.byeReceived = true;
        void bye.accept();
      },
      onInfo: (info) => void info.accept(),
    };
    append('call.offered', {
      callId: c.id,
      direction: 'out',
      sipCallId: inviter.request.callId.slice(0, 256),
      line: { number: c.line.number, label: c.line.label, priority: 0, configured: false },
      caller: c.caller,
      at: c.offeredAt,
    });
    live.set(c.id, c);
    inviter.stateChange.addListener((state) => {
      if (state === SessionState.Established && c.state === 'dialing') {
        // sip.js sends the ACK itself on the 2xx: the dialog is confirmed.
        c.confirm();
        const at = now();
        c.answeredAt = at;
        try {
          record(c, { kind: 'connected' }, 'call.answered', { callId: c.id, at });
        } catch (error) {
          log('error', `appel sortant ${c.id} : ${String(error)}`);
        }
      }
    });
    watch(c);
    changed(c);
    try {
      await inviter.invite({
        requestDelegate: {
          onReject: (response) => {
            c.rejectCode = response.message.statusCode;
          },
        },
      });
    } catch (error) {
      end(c, 'failed', { detail: String(error) });
      throw new VigieError('unavailable', `Appel impossible : ${String(error)}`);
    }
    return view(c);
  };

  const dtmf = async (callId: string, digits: string): Promise<{ callId: string }> => {
    const c = get(callId);
    if (c.state !== 'active')
      throw new VigieError('conflict', 'Les touches ne peuvent être envoyées que pendant une communication.');
    await confirmed(c);
    // In-band RFC 4733 through the media handler when it can; else one SIP INFO per digit.
    if (options.dtmfMethod !== 'info' && c.session.sessionDescriptionHandler?.sendDtmf(digits) === true)
      return { callId };
    // Digits are sent one after the other, each once the previous INFO was answered (keeps their order).
    for (const digit of digits) {
      await new Promise<void>((resolve, reject) => {
        c.session
          .info({
            requestDelegate: {
              onAccept: () => resolve(),
              onReject: (response) =>
                reject(
                  new VigieError(
                    'unavailable',
                    `Touche ${digit} refusée (${response.message.statusCode} ${response.message.reasonPhrase}).`,
                  ),
                ),
            },
            requestOptions: {
              body: {
                contentDisposition: 'render',
                contentType: 'application/dtmf-relay',
                content: dtmfInfoBody(digit),
              },
            },
          })
          .catch((error: unknown) =>
            reject(new VigieError('unavailable', `Touche ${digit} non envoyée : ${String(error)}`)),
          );
      });
    }
    return { callId };
  };

  return {
    queue,
    options: () => ({ qualifications: [...qualifications], callbackOutcomes: [...callbackOutcomes] }),
    answer,
    async answerNext() {
      const next = pickNext(
        [...live.values()]
          .filter((c) => c.state === 'ringing' && !c.busy)
          .map((c) => ({ ...c, priority: c.line.priority })),
      );
      if (next === undefined) throw new VigieError('not_found', 'Aucun appel en attente.');
      return answer(next.id);
    },
    async hold(callId) {
      const c = get(callId);
      return exclusive(c, () => holdLive(c));
    },
    async resume(callId) {
      const c = get(callId);
      return exclusive(c, async () => {
        transition(c.state, { kind: 'resume' });
        await holdOthers(c);
        await confirmed(c);
        await reinvite(c, false);
        record(c, { kind: 'resume' }, 'call.resumed', { callId: c.id, at: now() });
        return view(c);
      });
    },
    async hangup(callId) {
      const c = get(callId);
      await exclusive(c, () => hangupLive(c));
      return { callId };
    },
    transfer,
    dial,
    dtmf,
    mute(callId, muted) {
      const c = get(callId);
      if (c.state !== 'active' && c.state !== 'held')
        throw new VigieError('conflict', "Le micro ne se coupe qu'en communication.");
      const sdh = c.session.sessionDescriptionHandler;
      if (isMutable(sdh)) sdh.setMuted(muted);
      c.muted = muted;
      changed(c);
      return view(c);
    },
    whenEnded(callId) {
      if (!live.has(callId)) return Promise.resolve();
      return new Promise<void>((resolve) => endWaiters.set(callId, [...(endWaiters.get(callId) ?? []), resolve]));
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      unsubscribe();
      unsubscribeState();
      // Calls still up when the position stops are logged as failed, not as the operator's hang-up.
      await Promise.allSettled([...live.values()].map((c) => hangupLive(c, 'failed', 'poste arrêté')));
      listeners.clear();
    },
  };
};
