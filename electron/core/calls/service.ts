/**
 * The calls feature once the store is open: the call desk (live calls, driven by telephony through the
 * `callDesk` port), the request handlers, and the events pushed to the UI (queue snapshots, call states,
 * pending-callback count).
 */
import type { CallsEvent } from '../../contract/calls.js';
import type { Store } from '../store/index.js';
import { createBurstGate } from '../kernel/burst.js';
import { createCallDesk, type CallDesk } from './desk.js';
import { createCallsHandlers, type CallsHandlers } from './handlers.js';
import type { CallbackOutcome, Qualification } from './qualifications.js';
import { countPendingCallbacks } from './queries.js';

export interface CallsServiceOptions {
  operator: () => string;
  /** See CallsHandlersDeps.checkAnswer. */
  checkAnswer?: () => void;
  qualifications?: readonly Qualification[];
  callbackOutcomes?: readonly CallbackOutcome[];
  now?: () => number;
  emit: (event: CallsEvent) => void;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface CallsService {
  readonly desk: CallDesk;
  readonly handlers: CallsHandlers;
  close(): void;
}

/** Changes of the callbacks told to the screens one by one within a second; a burst beyond is one after it. */
export const CALLBACK_CHANGES = { max: 20, windowMs: 1000, trailingMs: 250 } as const;

export const createCallsService = (store: Store, o: CallsServiceOptions): CallsService => {
  const desk = createCallDesk({
    store,
    operator: o.operator,
    emit: o.emit,
    ...(o.now === undefined ? {} : { now: o.now }),
    ...(o.log === undefined ? {} : { log: o.log }),
  });
  // Callbacks change with abandoned calls and outcomes, whichever position appended them. Each change asks
  // every screen to reload its list: a replicated burst of calls is one reload after it (kernel/burst.ts).
  const changed = (): void => o.emit({ type: 'callbacks.changed', pending: countPendingCallbacks(store.db) });
  const gate = createBurstGate({ ...CALLBACK_CHANGES, trailing: changed });
  const offStore = store.onAppend((event) => {
    if (event.type === 'call.ended' || event.type === 'callback.outcome' || event.type === 'call.answered') {
      if (gate.pass()) changed();
    }
  });
  const handlers = createCallsHandlers({
    store,
    desk,
    operator: o.operator,
    ...(o.checkAnswer === undefined ? {} : { checkAnswer: o.checkAnswer }),
    ...(o.now === undefined ? {} : { now: o.now }),
    ...(o.qualifications === undefined ? {} : { qualifications: o.qualifications }),
    ...(o.callbackOutcomes === undefined ? {} : { callbackOutcomes: o.callbackOutcomes }),
  });
  return {
    desk,
    handlers,
    close: () => {
      offStore();
      gate.close();
    },
  };
};
