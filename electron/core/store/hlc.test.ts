import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareHlc, formatHlc, HLC_MAX_COUNTER, parseHlc, receiveHlc, tickHlc, type HlcTimestamp } from './hlc.js';

const time = fc.integer({ min: 0, max: 4_102_444_800_000 }); // up to 2100
const stamp = fc.record({ l: time, c: fc.integer({ min: 0, max: HLC_MAX_COUNTER }) });
const op = fc.oneof(
  fc.record({ kind: fc.constant('tick' as const), pt: time }),
  fc.record({ kind: fc.constant('receive' as const), pt: time, remote: stamp }),
);

describe('hybrid logical clock (Kulkarni et al. 2014)', () => {
  it('is strictly monotonic whatever the wall clock does, and never behind what it received (property)', () => {
    fc.assert(
      fc.property(stamp, fc.array(op, { maxLength: 200 }), (start, ops) => {
        let clock: HlcTimestamp = start;
        for (const o of ops) {
          const next = o.kind === 'tick' ? tickHlc(clock, o.pt) : receiveHlc(clock, o.remote, o.pt);
          expect(compareHlc(next, clock)).toBeGreaterThan(0);
          expect(next.l).toBeGreaterThanOrEqual(o.pt);
          if (o.kind === 'receive') expect(compareHlc(next, o.remote)).toBeGreaterThan(0);
          expect(next.c).toBeLessThanOrEqual(HLC_MAX_COUNTER);
          clock = next;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('text form sorts like the clock and round-trips (property)', () => {
    fc.assert(
      fc.property(stamp, stamp, (a, b) => {
        const ta = formatHlc(a);
        const tb = formatHlc(b);
        expect(parseHlc(ta)).toEqual(a);
        expect(Math.sign(ta < tb ? -1 : ta > tb ? 1 : 0)).toBe(Math.sign(compareHlc(a, b)));
      }),
    );
  });

  it('follows the physical clock when it advances, counts when it does not', () => {
    expect(tickHlc({ l: 100, c: 7 }, 200)).toEqual({ l: 200, c: 0 });
    expect(tickHlc({ l: 200, c: 0 }, 200)).toEqual({ l: 200, c: 1 });
    expect(tickHlc({ l: 200, c: 1 }, 150)).toEqual({ l: 200, c: 2 });
    expect(receiveHlc({ l: 200, c: 2 }, { l: 300, c: 5 }, 250)).toEqual({ l: 300, c: 6 });
    expect(receiveHlc({ l: 300, c: 6 }, { l: 300, c: 9 }, 250)).toEqual({ l: 300, c: 10 });
    expect(receiveHlc({ l: 300, c: 6 }, { l: 100, c: 9 }, 400)).toEqual({ l: 400, c: 0 });
  });

  it('advances l by one ms instead of overflowing the counter', () => {
    expect(tickHlc({ l: 5, c: HLC_MAX_COUNTER }, 0)).toEqual({ l: 6, c: 0 });
    expect(formatHlc({ l: 1_764_417_439_123, c: 42 })).toBe('001764417439123-00042');
    expect(parseHlc('1764417439123-00042')).toBeUndefined();
  });
});
