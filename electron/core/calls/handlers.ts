/**
 * The `calls.*` / `callbacks.*` request handlers: live commands go to the call desk, the log and
 * callbacks are read from the projections, qualification / notes / links / callback outcomes are
 * appended as events.
 */
import type { z } from 'zod';
import type { callsRequests, CallsResults } from '../../contract/calls.js';
import { VigieError } from '../../contract/result.js';
import type { CallPayload, CallEventType } from './events.js';
import type { CallDesk, CallStore } from './desk.js';
import {
  defaultCallbackOutcomes,
  defaultQualifications,
  findCallbackOutcome,
  findQualification,
  type CallbackOutcome,
  type Qualification,
} from './qualifications.js';
import { getCall, getCallback, listCallbacks, listCalls } from './queries.js';

type CallsMethod = keyof typeof callsRequests;
export type CallsHandlers = {
  [M in CallsMethod]: (args: z.output<(typeof callsRequests)[M]>) => CallsResults[M] | Promise<CallsResults[M]>;
};

export interface CallsHandlersDeps {
  store: CallStore;
  /** Without telephony attached its live commands say so; the log and callbacks still work. */
  desk: CallDesk;
  operator: () => string;
  /** Throws when nobody may answer at this position now (who answers, calls/index.ts); absent: anyone. */
  checkAnswer?: () => void;
  now?: () => number;
  qualifications?: readonly Qualification[];
  callbackOutcomes?: readonly CallbackOutcome[];
}

export const createCallsHandlers = (deps: CallsHandlersDeps): CallsHandlers => {
  const now = deps.now ?? Date.now;
  const qualifications = deps.qualifications ?? defaultQualifications;
  const outcomes = deps.callbackOutcomes ?? defaultCallbackOutcomes;
  const phone = (): CallDesk => deps.desk;
  const append = <T extends CallEventType>(type: T, payload: CallPayload<T>): void => {
    deps.store.append(type, payload, deps.operator());
  };
  const known = (callId: string): void => {
    if (getCall(deps.store.db, callId) === undefined) throw new VigieError('not_found', 'Appel inconnu.');
  };

  return {
    'calls.queue': () => deps.desk.queue(),
    'calls.list': ({ limit, before, line, qualification, cause, number }) =>
      listCalls(deps.store.db, {
        limit,
        ...(before === undefined ? {} : { before }),
        ...(line === undefined ? {} : { line }),
        ...(qualification === undefined ? {} : { qualification }),
        ...(cause === undefined ? {} : { cause }),
        ...(number === undefined ? {} : { number }),
      }),
    'calls.options': () => ({ qualifications: [...qualifications], callbackOutcomes: [...outcomes] }),
    'calls.answer': ({ callId }) => {
      deps.checkAnswer?.();
      return phone().answer(callId);
    },
    'calls.answerNext': () => {
      deps.checkAnswer?.();
      return phone().answerNext();
    },
    'calls.hold': ({ callId }) => phone().hold(callId),
    'calls.resume': ({ callId }) => phone().resume(callId),
    'calls.hangup': ({ callId }) => phone().hangup(callId),
    'calls.transfer': (args) => phone().transfer(args),
    'calls.dial': ({ target }) => phone().dial(target),
    'calls.dtmf': ({ callId, digits }) => phone().dtmf(callId, digits),
    'calls.mute': ({ callId, muted }) => phone().mute(callId, muted),
    'calls.qualify': ({ callId, code }) => {
      known(callId);
      const q = findQualification(qualifications, code);
      append('call.qualified', { callId, at: now(), code: q.code, label: q.label });
      return { callId };
    },
    'calls.note': ({ callId, text }) => {
      known(callId);
      append('call.noted', { callId, at: now(), text });
      return { callId };
    },
    'calls.link': ({ callId, kind, targetId }) => {
      known(callId);
      append('call.linked', { callId, at: now(), kind, targetId });
      return { callId };
    },
    'callbacks.list': ({ status, limit }) => listCallbacks(deps.store.db, { status, limit }),
    'callbacks.outcome': ({ callbackId, code, note }) => {
      const before = getCallback(deps.store.db, callbackId);
      if (before === undefined) throw new VigieError('not_found', 'Rappel inconnu.');
      if (before.status === 'done') throw new VigieError('conflict', 'Ce rappel est déjà traité.');
      const o = findCallbackOutcome(outcomes, code);
      append('callback.outcome', {
        callbackId,
        at: now(),
        code: o.code,
        label: o.label,
        closes: o.closes,
        ...(note === undefined || note === '' ? {} : { note }),
      });
      const after = getCallback(deps.store.db, callbackId);
      if (after === undefined) throw new VigieError('internal', 'Rappel introuvable après enregistrement.');
      return after;
    },
  };
};
