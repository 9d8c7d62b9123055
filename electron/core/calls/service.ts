/**
 * The calls feature as createCore wires it: the call manager on the position's SipPhone (when telephony
 * is configured), the request handlers, and the events pushed to the UI (queue snapshots, call states,
 * pending-callback count).
 */
import type { CallsEvent } from '../../contract/calls.js';
import type { Store } from '../store/index.js';
import { createCallsHandlers, type CallsHandlers } from './handlers.js';
import { createCallManager, type CallManager, type InviteSource } from './manager.js';
import type { CallbackOutcome, Qualification } from './qualifications.js';
import { countPendingCallbacks } from './queries.js';

export interface CallsServiceOptions {
  /** The position's SipPhone (electron/core/sip), or null when telephony is not configured. */
  phone: InviteSource | null;
  /** `lines` and `calledNumberFrom` of the telephony configuration. */
  lines?: unknown;
  operator: () => string;
  /** `vigie serve --auto-answer S`: tests and benchmarks only. */
  autoAnswerSeconds?: number;
  /** See CallManagerOptions.dtmfMethod. */
  dtmfMethod?: 'media' | 'info';
  qualifications?: readonly Qualification[];
  callbackOutcomes?: readonly CallbackOutcome[];
  now?: () => number;
  emit: (event: CallsEvent) => void;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface CallsService {
  readonly manager: CallManager | null;
  readonly handlers: CallsHandlers;
  close(): Promise<void>;
}

export const createCallsService = (store: Store, o: CallsServiceOptions): CallsService => {
  const manager =
    o.phone === null
      ? null
      : createCallManager({
          phone: o.phone,
          store,
          lines: o.lines,
          operator: o.operator,
          ...(o.autoAnswerSeconds === undefined ? {} : { autoAnswerSeconds: o.autoAnswerSeconds }),
          ...(o.dtmfMethod === undefined ? {} : { dtmfMethod: o.dtmfMethod }),
          ...(o.qualifications === undefined ? {} : { qualifications: o.qualifications }),
          ...(o.callbackOutcomes === undefined ? {} : { callbackOutcomes: o.callbackOutcomes }),
          ...(o.now === undefined ? {} : { now: o.now }),
          ...(o.log === undefined ? {} : { log: o.log }),
        });
  const offManager = manager?.onEvent(o.emit);
  // Callbacks change with abandoned calls and outcomes, whichever position appended them.
  const offStore = store.onAppend((event) => {
    if (event.type === 'call.ended' || event.type === 'callback.outcome' || event.type === 'call.answered') {
      o.emit({ type: 'callbacks.changed', pending: countPendingCallbacks(store.db) });
    }
  });
  const handlers = createCallsHandlers({
    store,
    manager,
    operator: o.operator,
    ...(o.now === undefined ? {} : { now: o.now }),
    ...(o.qualifications === undefined ? {} : { qualifications: o.qualifications }),
    ...(o.callbackOutcomes === undefined ? {} : { callbackOutcomes: o.callbackOutcomes }),
  });
  return {
    manager,
    handlers,
    async close() {
      offStore();
      offManager?.();
      await manager?.close();
    },
  };
};
