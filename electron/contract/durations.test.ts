import { describe, expect, it } from 'vitest';
import { formatDuration, formatSinceT0 } from './durations.js';

describe('durations', () => {
  it('formats durations as hh:mm:ss, hours past 24 included', () => {
    expect(formatDuration(0)).toBe('00:00:00');
    expect(formatDuration((42 * 60 + 10) * 1000)).toBe('00:42:10');
    expect(formatDuration((27 * 3600 + 5) * 1000 + 400)).toBe('27:00:05');
  });

  it('counts a drill from T0 in tenths of a second under a minute, in hh:mm:ss from a minute on', () => {
    expect(formatSinceT0(0)).toBe('T0 + 0,0 s');
    expect(formatSinceT0(2_340)).toBe('T0 + 2,3 s');
    expect(formatSinceT0(59_940)).toBe('T0 + 59,9 s');
    expect(formatSinceT0(60_000)).toBe('T0 + 00:01:00');
    expect(formatSinceT0((3 * 60 + 12) * 1000)).toBe('T0 + 00:03:12');
  });
});
