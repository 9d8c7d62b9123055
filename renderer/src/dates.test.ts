import { describe, expect, it } from 'vitest';
import { formatClock, formatDate, formatDateTime, parseDateInput, parseDateTimeInput } from './dates.js';

describe('dates in jj/mm/aaaa, Nouméa time', () => {
  // 2026-11-29T12:58:01Z is 23:58:01 in Nouméa (UTC+11).
  const ms = Date.parse('2026-11-29T12:58:01Z');
  it('formats day first whatever the locale', () => {
    expect(formatDateTime(ms)).toBe('29/11/2026 23:58:01');
    expect(formatDate(ms)).toBe('29/11/2026');
    expect(formatClock(ms)).toBe('dim. 29/11 23:58:01');
    // Past midnight in Nouméa while still the previous day in UTC.
    expect(formatDate(Date.parse('2026-12-01T13:30:00Z'))).toBe('02/12/2026');
  });
  it('parses what an operator types, and refuses impossible dates', () => {
    expect(parseDateInput('02/12/2026', false)).toBe('2026-12-01T13:00:00.000Z');
    expect(parseDateInput('2/12/2026', true)).toBe('2026-12-02T12:59:59.999Z');
    expect(parseDateInput('31/02/2026', false)).toBeNull();
    expect(parseDateInput('12-02-2026', false)).toBeNull();
    expect(parseDateInput('  ', false)).toBeUndefined();
    expect(parseDateTimeInput('29/11/2026 23:58')).toBe('2026-11-29T12:58:00.000Z');
    expect(parseDateTimeInput('29/11/2026 25:00')).toBeNull();
  });
});
