import { useEffect, useReducer } from 'react';
import type { CallEndCause, LiveCall, QueueSnapshot } from '../../../electron/contract/calls.js';
import type { CoreEvent, VigieClient } from '../../../electron/contract/index.js';

/** How long a call taken at another position stays in the queue, marked as such, before it leaves. */
export const GONE_MS = 4000;

export interface EndedCall {
  call: LiveCall;
  cause: CallEndCause | null;
  at: number;
}

export interface CallsView {
  ringing: LiveCall[];
  mine: LiveCall[];
  /** Ringing calls answered at another position, shown « pris par un autre poste » until `until`. */
  gone: { call: LiveCall; until: number }[];
  /** When each held call of this position was seen going on hold (ms), for the hold timer. */
  heldSince: Record<string, number>;
  /** Calls of this position that ended, most recent last: the wrap-up works on them. */
  ended: EndedCall[];
  /** The last calls that left the ringing list, in case their end event comes after the snapshot. */
  leftRinging: LiveCall[];
}

export const emptyView: CallsView = { ringing: [], mine: [], gone: [], heldSince: {}, ended: [], leftRinging: [] };

type Action =
  | { kind: 'queue'; queue: QueueSnapshot; now: number }
  | { kind: 'ended'; call: LiveCall; cause: CallEndCause; now: number }
  | { kind: 'tick'; now: number }
  | { kind: 'wrapped'; callId: string };

const MAX_ENDED = 5;
const MAX_LEFT = 20;

const withEnded = (view: CallsView, call: LiveCall, cause: CallEndCause | null, now: number): EndedCall[] =>
  view.ended.some((e) => e.call.id === call.id)
    ? view.ended.map((e) => (e.call.id === call.id && cause !== null ? { ...e, cause } : e))
    : [...view.ended, { call, cause, at: now }].slice(-MAX_ENDED);

/**
 * The queue as the screen shows it, from the core's snapshots and call events. An ended call leaves
 * « mine » at once, whatever the next snapshot says: a call whose far end is gone never stays « en ligne ».
 */
export const reduceCalls = (view: CallsView, action: Action): CallsView => {
  switch (action.kind) {
    case 'queue': {
      const endedIds = new Set(view.ended.map((e) => e.call.id));
      const mine = action.queue.mine.filter((c) => !endedIds.has(c.id));
      let ended = view.ended;
      // A call of ours that left the snapshot has ended, even if its event was missed.
      for (const old of view.mine) {
        if (!mine.some((c) => c.id === old.id)) ended = withEnded({ ...view, ended }, old, null, action.now);
      }
      const heldSince: Record<string, number> = {};
      for (const c of mine) if (c.state === 'held') heldSince[c.id] = view.heldSince[c.id] ?? action.now;
      const goneIds = new Set(view.gone.map((g) => g.call.id));
      const ringing = action.queue.ringing.filter((c) => !goneIds.has(c.id));
      const left = view.ringing.filter((c) => !ringing.some((r) => r.id === c.id) && !mine.some((m) => m.id === c.id));
      return {
        ringing,
        mine,
        gone: view.gone,
        heldSince,
        ended,
        leftRinging: [...view.leftRinging, ...left].slice(-MAX_LEFT),
      };
    }
    case 'ended': {
      const wasMine = view.mine.find((c) => c.id === action.call.id);
      const wasRinging =
        view.ringing.find((c) => c.id === action.call.id) ?? view.leftRinging.find((c) => c.id === action.call.id);
      const gone =
        action.cause === 'answered_elsewhere' && wasRinging !== undefined
          ? [...view.gone, { call: wasRinging, until: action.now + GONE_MS }]
          : view.gone;
      return {
        ringing: view.ringing.filter((c) => c.id !== action.call.id),
        mine: view.mine.filter((c) => c.id !== action.call.id),
        gone,
        heldSince: view.heldSince,
        leftRinging: view.leftRinging.filter((c) => c.id !== action.call.id),
        ended: wasMine === undefined ? view.ended : withEnded(view, wasMine, action.cause, action.now),
      };
    }
    case 'tick': {
      if (!view.gone.some((g) => g.until <= action.now)) return view;
      return { ...view, gone: view.gone.filter((g) => g.until > action.now) };
    }
    case 'wrapped':
      return { ...view, ended: view.ended.filter((e) => e.call.id !== action.callId) };
  }
};

const toAction = (event: CoreEvent, now: number): Action | null => {
  if (event.type === 'calls.queue') return { kind: 'queue', queue: event.queue, now };
  if (event.type === 'call.state' && event.call.state === 'ended' && 'cause' in event.call) {
    const { cause, ...call } = event.call;
    return { kind: 'ended', call: { ...call, state: 'ended' }, cause, now };
  }
  return null;
};

/** The live queue: fetched on each (re)connection, then kept up to date by the core's events. */
export const useCallQueue = (client: VigieClient, connected: boolean): [CallsView, (callId: string) => void] => {
  const [view, dispatch] = useReducer(reduceCalls, emptyView);
  useEffect(() => {
    let live = true;
    if (connected) {
      void client.call('calls.queue', {}).then((result) => {
        if (live && result.ok) dispatch({ kind: 'queue', queue: result.value, now: Date.now() });
      });
    }
    const off = client.onEvent((event) => {
      const action = toAction(event, Date.now());
      if (action !== null) dispatch(action);
    });
    const timer = setInterval(() => dispatch({ kind: 'tick', now: Date.now() }), 500);
    return () => {
      live = false;
      off();
      clearInterval(timer);
    };
  }, [client, connected]);
  return [view, (callId: string) => dispatch({ kind: 'wrapped', callId })];
};
