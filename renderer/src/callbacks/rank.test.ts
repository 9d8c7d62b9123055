import { describe, expect, it } from 'vitest';
import type { CallbackRecord } from '../../../electron/contract/calls.js';
import { rankCallbacks } from './rank.js';

const cb = (id: string, number: string, line: string, createdAt: number): CallbackRecord => ({
  id,
  callId: id,
  number,
  name: null,
  line,
  createdAt,
  status: 'pending',
  attempts: 0,
  lostInOutage: false,
  outcome: null,
});
const priorities: Record<string, number> = { '18 — Sapeurs-pompiers': 20, '112': 15, Standard: 1 };
const priorityOf = (c: CallbackRecord) => priorities[c.line] ?? 0;
const ids = (list: ReturnType<typeof rankCallbacks>) => list.map((r) => r.callback.id);

describe('callback risk order', () => {
  const now = 1_000_000;
  it('puts the emergency line first, even when an administrative call waited longer', () => {
    const list = [cb('std', '0611', 'Standard', now - 600_000), cb('sp', '0622', '18 — Sapeurs-pompiers', now - 5_000)];
    expect(ids(rankCallbacks(list, priorityOf, now))).toEqual(['sp', 'std']);
  });
  it('among equal lines, a number that gave up several times comes first', () => {
    const list = [
      cb('a', '0633', '112', now - 90_000),
      cb('b1', '0644', '112', now - 30_000),
      cb('b2', '0644', '112', now - 10_000),
    ];
    const ranked = rankCallbacks(list, priorityOf, now);
    expect(ids(ranked)).toEqual(['b1', 'b2', 'a']);
    expect(ranked[0]?.abandons).toBe(2);
    expect(ranked[2]?.abandons).toBe(1);
  });
  it('then the longest wait first; masked numbers are never grouped together', () => {
    const list = [
      cb('m1', '', '112', now - 10_000),
      cb('m2', '', '112', now - 20_000),
      cb('x', '0655', '112', now - 15_000),
    ];
    const ranked = rankCallbacks(list, priorityOf, now);
    expect(ids(ranked)).toEqual(['m2', 'x', 'm1']);
    expect(ranked.every((r) => r.abandons === 1)).toBe(true);
    expect(ranked[0]?.waitedMs).toBe(20_000);
  });
  it('is stable and does not change its input', () => {
    const list = [cb('z', '1', 'Standard', now), cb('y', '2', 'Standard', now)];
    const copy = structuredClone(list);
    expect(ids(rankCallbacks(list, priorityOf, now))).toEqual(['y', 'z']);
    expect(list).toEqual(copy);
    expect(rankCallbacks(list, priorityOf, now - 5)[0]?.waitedMs).toBe(0);
  });
});
