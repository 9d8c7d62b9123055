import { describe, expect, it } from 'vitest';
import { noumeaTime, parseNoumeaTime } from './time.js';

// 2026-12-01 03:10:00 UTC = 14:10:00 in Nouméa.
const now = Date.UTC(2026, 11, 1, 3, 10, 0);

describe('manual call time', () => {
  it('reads hh:mm typed in Nouméa time as today’s instant', () => {
    expect(parseNoumeaTime('14:05', now)).toBe(Date.UTC(2026, 11, 1, 3, 5, 0));
    expect(parseNoumeaTime('14h05', now)).toBe(Date.UTC(2026, 11, 1, 3, 5, 0));
    expect(parseNoumeaTime('1405', now)).toBe(Date.UTC(2026, 11, 1, 3, 5, 0));
    expect(parseNoumeaTime('14:05:30', now)).toBe(Date.UTC(2026, 11, 1, 3, 5, 30));
    expect(noumeaTime(parseNoumeaTime('14:05', now) ?? 0)).toBe('14:05:00');
  });

  it('takes a time later than now as yesterday’s, and refuses what is no time', () => {
    expect(parseNoumeaTime('23:55', now)).toBe(Date.UTC(2026, 10, 30, 12, 55, 0));
    expect(parseNoumeaTime('14:11', now)).toBe(Date.UTC(2026, 11, 1, 3, 11, 0));
    expect(parseNoumeaTime('25:00', now)).toBeNull();
    expect(parseNoumeaTime('midi', now)).toBeNull();
    expect(parseNoumeaTime('', now)).toBeNull();
  });
});
