/**
 * The call desk: the live calls of this position as a pure domain. It is driven by the facts telephony
 * reports (signalling.ts) and acts through the CallSignalling port; it never touches SIP itself. Every
 * transition is checked by the state machine, appended to the store (durable before the command returns,
 * docs/architecture.md "Durable before acknowledged"), then pushed to the UI.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { LOST_IN_OUTAGE_DETAIL, type CallsEvent, type LiveCall, type QueueSnapshot } from '../../contract/calls.js';
import { VigieError } from '../../contract/result.js';
import type { CallEventType, CallPayload } from './events.js';
import { linesConfigSchema, resolveLine, type LinesConfig } from './lines.js';
import { confirmation, withLiveViews, type Live } from './live.js';
import { pickNext } from './queue.js';
import { callerNumber, cleanDisplayName } from './sip-helpers.js';
import type { CallDeskAttachOptions, CallFact, CallFactSink, CallOffer, CallSignalling } from './signalling.js';
import { nextState, transition, type CallAction, type EndCause } from './state.js';
import { deskCommands, type DeskCommands } from './desk-commands.js';

const noop = (): void => undefined;

/** `call.ended` details of a call in conversation when the registration was lost (issue 12 item 2). */
export const SIGNALLING_LOST_MEDIA_STOPPED = 'signalisation perdue, plus de son reçu';
export const SIGNALLING_LOST_NO_MEDIA = 'signalisation perdue, aucun son à surveiller sur ce poste';

/** What the desk needs from the store: append in this process, read the projections. */
export interface CallStore {
  readonly db: Database.Database;
  append<P>(type: string, payload: P, author: string): unknown;
}

export interface CallDeskOptions {
  store: CallStore;
  /** The operator signed in at this position: author of the events. */
  operator: () => string;
  emit?: (event: CallsEvent) => void;
  now?: () => number;
  newId?: () => string;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface CallDesk extends DeskCommands {
  queue(): QueueSnapshot;
  answerNext(): Promise<LiveCall>;
  /** Resolves once the call with this id has ended (tests, benchmarks). */
  whenEnded(callId: string): Promise<void>;
  onEvent(listener: (event: CallsEvent) => void): () => void;
  /** Telephony plugs in (Ports.callDesk); a second attach replaces the first (a restarted SIP stack). */
  attach(signalling: CallSignalling, options?: CallDeskAttachOptions): CallFactSink;
}

/** The internals desk-commands.ts works with. */
export interface DeskCore {
  live: Map<string, Live>;
  now(): number;
  newId(): string;
  nextArrival(): number;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  signalling(): CallSignalling;
  get(callId: string): Live;
  view(c: Live): LiveCall;
  changed(c: Live): void;
  emit(event: CallsEvent): void;
  append<T extends CallEventType>(type: T, payload: CallPayload<T>): void;
  record<T extends CallEventType>(c: Live, action: CallAction, type: T, payload: CallPayload<T>): void;
  end(c: Live, cause: EndCause, extra?: { sipCode?: number; detail?: string }): void;
  register(c: Live): void;
  /**
   * Facts about `sid` arriving before the call is registered are kept, then given to it by `releaseSession`:
   * a far end that answers at once (an auto-answer set, a voicemail) can have its 200 OK reported in the same
   * read of the SIP process's pipe as the dial's result, before the dial has registered the call.
   */
  awaitSession(sid: string): void;
  releaseSession(sid: string): void;
}

export const createCallDesk = (options: CallDeskOptions): CallDesk => {
  const now = options.now ?? Date.now;
  const newId = options.newId ?? randomUUID;
  const log = options.log ?? noop;
  const live = new Map<string, Live>();
  const bySid = new Map<string, Live>();
  const listeners = new Set<(event: CallsEvent) => void>();
  const endWaiters = new Map<string, (() => void)[]>();
  let lines: LinesConfig = linesConfigSchema.parse({});
  let autoAnswerSeconds: number | undefined;
  let mediaWatched = false;
  let current: CallSignalling | null = null;
  let arrivals = 0;
  const { view, queue } = withLiveViews(live);

  const emit = (event: CallsEvent): void => {
    for (const l of [options.emit, ...listeners]) {
      try {
        l?.(event);
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
    const detail = extra.detail ?? c.localDetail;
    append('call.ended', {
      callId: c.id,
      at: now(),
      cause: effective,
      ...(extra.sipCode === undefined ? {} : { sipCode: extra.sipCode }),
      ...(detail === undefined ? {} : { detail: detail.slice(0, 200) }),
    });
    c.state = 'ended';
    live.delete(c.id);
    bySid.delete(c.sid);
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
        // The SIP stack gave up by itself (Expires / no-answer timer, RFC 3261 §13.3.1): nobody answered.
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

  const get = (callId: string): Live => {
    const c = live.get(callId);
    if (c === undefined) throw new VigieError('not_found', 'Cet appel est terminé ou inconnu.');
    return c;
  };
  const signalling = (): CallSignalling => {
    if (current === null) throw new VigieError('unavailable', 'Téléphonie non configurée sur ce poste.');
    return current;
  };
  const register = (c: Live): void => {
    live.set(c.id, c);
    bySid.set(c.sid, c);
  };
  const early = new Map<string, CallFact[]>();

  const core: DeskCore = {
    live,
    now,
    newId,
    nextArrival: () => arrivals++,
    log,
    signalling,
    get,
    view,
    changed: (c) => changed(c),
    emit,
    append,
    record,
    end,
    register,
    awaitSession: (sid) => early.set(sid, []),
    releaseSession: (sid) => {
      const facts = early.get(sid) ?? [];
      early.delete(sid);
      for (const fact of facts) report(fact);
    },
  };
  const commands = deskCommands(core);

  const offer = (o: CallOffer): boolean => {
    const headers: Record<string, string | undefined> = {
      to: o.headers.to,
      'p-called-party-id': o.headers.pCalledPartyId,
      diversion: o.headers.diversion,
    };
    const line = resolveLine((name) => headers[name.toLowerCase()], lines);
    const c: Live = {
      id: newId(),
      sid: o.sid,
      arrival: arrivals++,
      direction: 'in',
      state: 'ringing',
      line,
      caller: { number: callerNumber(o.pAssertedIdentity, o.fromUser), name: cleanDisplayName(o.displayName) },
      offeredAt: now(),
      answeredAt: null,
      muted: false,
      busy: false,
      byeReceived: false,
      ...confirmation(),
    };
    try {
      append('call.offered', {
        callId: c.id,
        direction: 'in',
        sipCallId: o.sipCallId.slice(0, 256),
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
      // Not durable means not offered: telephony refuses the call so the caller's network can route it elsewhere.
      log('error', `appel entrant non journalisé, refusé : ${String(error)}`);
      return false;
    }
    register(c);
    changed(c);
    if (autoAnswerSeconds !== undefined) {
      c.autoAnswer = setTimeout(() => {
        commands.answer(c.id, { holdOthers: false }).catch((error: unknown) => {
          log('warn', `décroché automatique ${c.id} : ${String(error)}`);
        });
      }, autoAnswerSeconds * 1000);
    }
    return true;
  };

  /** Ends a call on a fact without letting one bad record stop the others. */
  const safely = (c: Live, what: string, run: () => void): void => {
    try {
      run();
    } catch (error) {
      log('error', `appel ${c.id} : ${what} non journalisé : ${String(error)}`);
    }
  };

  const report = (fact: CallFact): void => {
    if (fact.kind === 'registrationLost') {
      // The SIP server connection is gone: a ringing call can no longer be answered and its CANCEL would
      // never reach us, so it would ring for ever. Not answered, hence abandoned (and a callback). Calls in
      // conversation are kept while their media flows (RTP does not go through the registrar, RFC 3550),
      // flagged; with no media to watch, nothing would ever tell us it stopped: ended at once.
      for (const c of [...live.values()]) {
        if (c.state === 'ringing') {
          safely(c, 'fin', () => end(c, 'abandoned', { detail: LOST_IN_OUTAGE_DETAIL }));
          void current?.dispose(c.sid).catch(noop);
        } else if ((c.state === 'active' || c.state === 'held') && c.signallingLost === undefined) {
          if (!mediaWatched) {
            safely(c, 'fin', () => end(c, 'failed', { detail: SIGNALLING_LOST_NO_MEDIA }));
            void current?.dispose(c.sid).catch(noop);
            continue;
          }
          c.signallingLost = true;
          log('warn', `appel ${c.id} : signalisation perdue, maintenu tant que le son passe`);
          changed(c);
        }
      }
      return;
    }
    if (fact.kind === 'signallingLost') {
      for (const c of [...live.values()]) safely(c, 'fin', () => end(c, 'failed', { detail: fact.detail }));
      return;
    }
    const c = bySid.get(fact.sid);
    if (c === undefined) {
      early.get(fact.sid)?.push(fact);
      return;
    }
    switch (fact.kind) {
      case 'confirmed':
        c.confirm();
        if (c.direction === 'out' && c.state === 'dialing') {
          const at = now();
          c.answeredAt = at;
          safely(c, 'réponse', () => record(c, { kind: 'connected' }, 'call.answered', { callId: c.id, at }));
        }
        return;
      case 'cancelled':
        c.cancelled = { elsewhere: fact.elsewhere };
        return;
      case 'bye':
        c.byeReceived = true;
        return;
      case 'rejected':
        c.rejectCode = fact.code;
        return;
      case 'terminated':
        return safely(c, 'fin', () => onTerminated(c));
      case 'transferNotify':
        return safely(c, 'transfert', () => commands.transferNotified(c, fact.code));
      case 'mediaStopped':
        // Any other call is left alone: its alarm is the operator's to judge.
        if (c.signallingLost !== true) return;
        safely(c, 'fin', () => end(c, 'failed', { detail: SIGNALLING_LOST_MEDIA_STOPPED }));
        void current?.dispose(c.sid).catch(noop);
        return;
    }
  };

  return {
    ...commands,
    queue,
    async answerNext() {
      signalling();
      const next = pickNext(
        [...live.values()]
          .filter((c) => c.state === 'ringing' && !c.busy)
          .map((c) => ({ ...c, priority: c.line.priority })),
      );
      if (next === undefined) throw new VigieError('not_found', 'Aucun appel en attente.');
      return commands.answer(next.id);
    },
    whenEnded(callId) {
      if (!live.has(callId)) return Promise.resolve();
      return new Promise<void>((resolve) => endWaiters.set(callId, [...(endWaiters.get(callId) ?? []), resolve]));
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    attach(signalling, attachOptions = {}) {
      current = signalling;
      lines = linesConfigSchema.parse(attachOptions.lines ?? {});
      autoAnswerSeconds = attachOptions.autoAnswerSeconds;
      mediaWatched = attachOptions.mediaWatched === true;
      return {
        offer: (o) => current === signalling && offer(o),
        report: (f) => {
          if (current === signalling) report(f);
        },
        async close() {
          if (current !== signalling) return;
          // Calls still up when the position stops are logged as failed, not as the operator's hang-up.
          await Promise.allSettled([...live.values()].map((c) => commands.hangupAs(c, 'failed', 'poste arrêté')));
          for (const c of [...live.values()]) safely(c, 'fin', () => end(c, 'failed', { detail: 'poste arrêté' }));
          current = null;
        },
      };
    },
  };
};
