import type { CallbackRecord } from '../../../electron/contract/calls.js';

export interface RankedCallback {
  callback: CallbackRecord;
  /** Priority of the line the caller had dialled (18, 112 high; 0 when the call log does not say). */
  priority: number;
  /** Pending callbacks from this same number, this one included (1 for a masked number). */
  abandons: number;
  /** Milliseconds since the caller gave up. */
  waitedMs: number;
}

/**
 * The order in which to call back: the riskiest first. An abandoned emergency-line call comes before an
 * administrative one; among equals, a number that gave up several times (someone trying again and again)
 * comes first; then the one who has waited longest. Pure: same input, same order (ties by id).
 */
export const rankCallbacks = (
  pending: readonly CallbackRecord[],
  priorityOf: (callback: CallbackRecord) => number,
  now: number,
): RankedCallback[] => {
  const perNumber = new Map<string, number>();
  for (const c of pending) if (c.number !== '') perNumber.set(c.number, (perNumber.get(c.number) ?? 0) + 1);
  return pending
    .map((callback) => ({
      callback,
      priority: priorityOf(callback),
      abandons: callback.number === '' ? 1 : (perNumber.get(callback.number) ?? 1),
      waitedMs: Math.max(0, now - callback.createdAt),
    }))
    .sort(
      (a, b) =>
        b.priority - a.priority ||
        b.abandons - a.abandons ||
        b.waitedMs - a.waitedMs ||
        (a.callback.id < b.callback.id ? -1 : a.callback.id > b.callback.id ? 1 : 0),
    );
};
