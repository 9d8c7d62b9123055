import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, parseThresholds } from '../settings.js';
import { waitLevel } from './waitLevel.js';

describe('waiting time levels', () => {
  it('uses 15 s / 20 s by default, the threshold itself included', () => {
    expect(waitLevel(14.9, DEFAULT_THRESHOLDS)).toBe('normal');
    expect(waitLevel(15, DEFAULT_THRESHOLDS)).toBe('warn');
    expect(waitLevel(19.9, DEFAULT_THRESHOLDS)).toBe('warn');
    expect(waitLevel(20, DEFAULT_THRESHOLDS)).toBe('alarm');
  });
  it('takes configured thresholds, and ignores a malformed or inverted setting', () => {
    const t = parseThresholds('{"warnS":3,"alarmS":6}');
    expect(t).toEqual({ warnS: 3, alarmS: 6 });
    expect(waitLevel(4, t)).toBe('warn');
    expect(parseThresholds('{"warnS":10,"alarmS":5}')).toEqual(DEFAULT_THRESHOLDS);
    expect(parseThresholds('pas du json')).toEqual(DEFAULT_THRESHOLDS);
    expect(parseThresholds('{"warnS":"3"}')).toEqual(DEFAULT_THRESHOLDS);
  });
});
