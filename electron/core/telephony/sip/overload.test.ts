import { describe, expect, it } from 'vitest';
import type { FromChild } from '../channel.js';
import { createOverloadGuard, LAG_GUARD_MIN_CALLS, lateLoopRefuses, MAX_LAG_MS } from './overload.js';

describe('overload guard of the SIP child', () => {
  it('never refuses a call for a late loop while it holds few calls (a burst, a GC pause, a busy machine)', () => {
    expect(lateLoopRefuses(5 * MAX_LAG_MS, 0)).toBe(false);
    expect(lateLoopRefuses(5 * MAX_LAG_MS, LAG_GUARD_MIN_CALLS - 1)).toBe(false);
  });

  it('refuses for a late loop only in a flood, and only while the loop is late', () => {
    expect(lateLoopRefuses(MAX_LAG_MS + 1, LAG_GUARD_MIN_CALLS)).toBe(true);
    expect(lateLoopRefuses(MAX_LAG_MS, 10 * LAG_GUARD_MIN_CALLS)).toBe(false);
  });

  it('is full at max offers not yet durable, and reports the refusals in one batch', () => {
    const posted: Extract<FromChild, { t: 'refused' }>[] = [];
    let t = 1_000;
    const guard = createOverloadGuard({ max: 2, post: (m) => posted.push(m), now: () => t });
    guard.offered('i1');
    expect(guard.full()).toBe(false);
    guard.offered('i2');
    expect(guard.full()).toBe(true);
    guard.refused('0687000018');
    t = 1_400;
    guard.refused('0687000112');
    guard.settled('i1');
    expect(guard.full()).toBe(false);
    guard.close();
    expect(posted).toEqual([{ t: 'refused', count: 2, numbers: ['0687000018', '0687000112'], from: 1_000, to: 1_400 }]);
  });
});
