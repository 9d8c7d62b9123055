import { describe, expect, it } from 'vitest';
import type { LiveCall } from '../../../electron/contract/calls.js';
import { emptyView, GONE_MS, reduceCalls } from './useCalls.js';

const call = (id: string, state: LiveCall['state']): LiveCall => ({
  id,
  direction: 'in',
  state,
  line: { number: '18', label: '18 — Sapeurs-pompiers', priority: 20 },
  caller: { number: '0687123456', name: null },
  offeredAt: 1000,
  answeredAt: state === 'ringing' ? null : 2000,
  muted: false,
  signallingLost: false,
});

describe('the queue as the screen shows it', () => {
  it('shows a call answered elsewhere for a moment, then drops it, whichever comes first', () => {
    let v = reduceCalls(emptyView, { kind: 'queue', queue: { ringing: [call('a', 'ringing')], mine: [] }, now: 0 });
    // The snapshot without it arrives before the end event.
    v = reduceCalls(v, { kind: 'queue', queue: { ringing: [], mine: [] }, now: 10 });
    v = reduceCalls(v, { kind: 'ended', call: call('a', 'ended'), cause: 'answered_elsewhere', now: 20 });
    expect(v.gone.map((g) => g.call.id)).toEqual(['a']);
    v = reduceCalls(v, { kind: 'tick', now: 20 + GONE_MS - 1 });
    expect(v.gone).toHaveLength(1);
    v = reduceCalls(v, { kind: 'tick', now: 20 + GONE_MS });
    expect(v.gone).toHaveLength(0);
    // An abandoned call is not « pris par un autre poste ».
    v = reduceCalls(v, { kind: 'queue', queue: { ringing: [call('b', 'ringing')], mine: [] }, now: 30 });
    v = reduceCalls(v, { kind: 'ended', call: call('b', 'ended'), cause: 'abandoned', now: 40 });
    expect(v.gone).toHaveLength(0);
    expect(v.ringing).toHaveLength(0);
  });

  it('never keeps an ended call « en ligne », even if a stale snapshot still lists it', () => {
    let v = reduceCalls(emptyView, { kind: 'queue', queue: { ringing: [], mine: [call('c', 'active')] }, now: 0 });
    v = reduceCalls(v, { kind: 'ended', call: call('c', 'ended'), cause: 'caller_hangup', now: 5 });
    expect(v.mine).toHaveLength(0);
    v = reduceCalls(v, { kind: 'queue', queue: { ringing: [], mine: [call('c', 'active')] }, now: 6 });
    expect(v.mine).toHaveLength(0);
    expect(v.ended.map((e) => [e.call.id, e.cause])).toEqual([['c', 'caller_hangup']]);
    v = reduceCalls(v, { kind: 'wrapped', callId: 'c' });
    expect(v.ended).toHaveLength(0);
  });

  it('times a hold from when it was first seen held, and a call that left the snapshot goes to wrap-up', () => {
    let v = reduceCalls(emptyView, { kind: 'queue', queue: { ringing: [], mine: [call('d', 'held')] }, now: 100 });
    v = reduceCalls(v, { kind: 'queue', queue: { ringing: [], mine: [call('d', 'held')] }, now: 900 });
    expect(v.heldSince).toEqual({ d: 100 });
    v = reduceCalls(v, { kind: 'queue', queue: { ringing: [], mine: [call('d', 'active')] }, now: 950 });
    expect(v.heldSince).toEqual({});
    v = reduceCalls(v, { kind: 'queue', queue: { ringing: [], mine: [] }, now: 990 });
    expect(v.ended.map((e) => [e.call.id, e.cause])).toEqual([['d', null]]);
  });
});
