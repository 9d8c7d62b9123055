/**
 * What numbering an entry reads of the entries already projected (projections.ts): the last number of its
 * position's day, and the latest time written (an entry written before it is flagged out of order,
 * migration 0003). Event by event, both are read from `logbook_entries`. Within one run of the projection
 * (one transaction: an append, a remote batch, a rebuild — store/replay.ts `createProjector`), only the
 * projection writes that table, so a run reads each once and keeps them up to date in memory: the same
 * answers, without two index lookups per entry.
 */
import type Database from 'better-sqlite3';
import { cachedStatement } from '../store/statements.js';

export interface Numbering {
  /** The number the next entry of this position and Nouméa day takes (1 for the first). */
  next(origin: string, day: string): number;
  /** The latest time written among the entries, or null when there is none. */
  latest(): number | null;
  /** An entry was just inserted with that number and time written. */
  inserted(origin: string, day: string, dayNo: number, writtenMs: number): void;
}

const readNext = (db: Database.Database, origin: string, day: string): number =>
  (
    cachedStatement(
      db,
      'SELECT coalesce(max(day_no), 0) + 1 AS n FROM logbook_entries WHERE origin = ? AND day = ?',
    ).get(origin, day) as { n: number }
  ).n;

/**
 * The latest time is always an in-order entry's: one written earlier than the latest is flagged out of
 * order, so the latest never moves to it. Hence the in-order index (logbook migration 3) alone answers.
 */
const readLatest = (db: Database.Database): number | null =>
  (cachedStatement(db, 'SELECT max(at_ms) AS t FROM logbook_entries WHERE ooo = 0').get() as { t: number | null }).t;

/** Event by event: everything read from the table. */
export const tableNumbering = (db: Database.Database): Numbering => ({
  next: (origin, day) => readNext(db, origin, day),
  latest: () => readLatest(db),
  inserted: () => undefined,
});

/** For one run: read once, then kept in memory. */
export const runNumbering = (db: Database.Database): Numbering => {
  // Keyed by origin and day; a newline can be in neither (a UUID and YYYY-MM-DD).
  const last = new Map<string, number>();
  let latest: number | null | undefined;
  return {
    next(origin, day) {
      const key = `${origin}\n${day}`;
      let n = last.get(key);
      if (n === undefined) {
        n = readNext(db, origin, day) - 1;
        last.set(key, n);
      }
      return n + 1;
    },
    latest() {
      latest ??= readLatest(db);
      return latest;
    },
    inserted(origin, day, dayNo, writtenMs) {
      const key = `${origin}\n${day}`;
      last.set(key, Math.max(last.get(key) ?? 0, dayNo));
      latest ??= readLatest(db);
      if (latest === null || writtenMs > latest) latest = writtenMs;
    },
  };
};
