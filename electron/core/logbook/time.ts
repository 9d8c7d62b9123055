import { ZONE } from '../clock.js';
import { parseHlc } from '../store/hlc.js';
import type { StoredEvent } from '../store/types.js';

// en-CA formats dates as YYYY-MM-DD; the zone database gives Nouméa's offset (UTC+11, no DST today).
const dayFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

const formatDay = (ms: number): string => dayFormatter.format(new Date(ms));

const HOUR_MS = 3_600_000;
const MAX_CACHED_HOURS = 4096;
/** UTC hour → the Nouméa day of every instant in it, or null when the day changes within that hour. */
const dayOfHour = new Map<number, string | null>();

/**
 * Calendar day in Nouméa of an instant, "2026-11-29". Formatting a date in a zone costs a few µs and every
 * entry of a rebuild needs one, so the answer is kept per UTC hour: when the zone database gives the same day
 * at the hour's first and last millisecond, it is that day throughout (no offset is assumed; an hour in
 * which the day changes — midnight in a zone whose offset is not whole hours, a DST switch — is formatted
 * instant by instant).
 */
export const noumeaDay = (ms: number): string => {
  const hour = Math.floor(ms / HOUR_MS);
  let day = dayOfHour.get(hour);
  if (day === undefined) {
    const first = formatDay(hour * HOUR_MS);
    day = first === formatDay(hour * HOUR_MS + HOUR_MS - 1) ? first : null;
    if (dayOfHour.size >= MAX_CACHED_HOURS) dayOfHour.clear();
    dayOfHour.set(hour, day);
  }
  return day ?? formatDay(ms);
};

/** A fact written more than this after it happened is flagged "saisie différée". */
export const LATE_THRESHOLD_MS = 60_000;

export const isLate = (writtenAtMs: number, factAtMs: number): boolean => writtenAtMs - factAtMs > LATE_THRESHOLD_MS;

/** "2026-11-29 n° 42 (POSTE-1)": how an entry is cited, in the UI, the PDF and the CSV. */
export const formatReference = (day: string, number: number, position: string): string =>
  `${day} n° ${number} (${position})`;

/** Time written: the physical part of the event's hybrid logical clock, stamped inside the append transaction. */
export const writtenMsOf = (event: StoredEvent): number => parseHlc(event.hlc)?.l ?? 0;
