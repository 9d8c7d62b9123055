import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it('grows exponentially then stays under the cap', () => {
    expect(backoffDelay(0, 500, 4000, () => 1)).toBe(500);
    expect(backoffDelay(1, 500, 4000, () => 1)).toBe(1000);
    expect(backoffDelay(3, 500, 4000, () => 1)).toBe(4000);
    expect(backoffDelay(50, 500, 4000, () => 1)).toBe(4000);
    expect(backoffDelay(3, 500, 4000, () => 0)).toBe(2000);
  });

  it('is always within [step/2, min(step, max)] for any attempt and random value', () => {
    fc.assert(
      fc.property(
        fc.nat(100),
        fc.integer({ min: 10, max: 5000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, initial, extra, r) => {
          const max = initial + extra;
          const delay = backoffDelay(n, initial, max, () => r);
          const step = Math.min(max, initial * 2 ** Math.min(n, 30));
          return delay <= max && delay >= Math.floor(step / 2);
        },
      ),
    );
  });
});
