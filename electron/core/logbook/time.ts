import { ZONE } from '../clock.js';

// en-CA formats dates as YYYY-MM-DD; the zone database gives Nouméa's offset (UTC+11, no DST today).
const dayFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Calendar day in Nouméa of an instant, "2026-11-29". */
export const noumeaDay = (ms: number): string => dayFormatter.format(new Date(ms));

/** A fact written more than this after it happened is flagged "saisie différée". */
export const LATE_THRESHOLD_MS = 60_000;

export const isLate = (writtenAtMs: number, factAtMs: number): boolean => writtenAtMs - factAtMs > LATE_THRESHOLD_MS;

/** "2026-11-29 n° 42 (POSTE-1)": how an entry is cited, in the UI, the PDF and the CSV. */
export const formatReference = (day: string, number: number, position: string): string =>
  `${day} n° ${number} (${position})`;
