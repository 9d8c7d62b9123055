/**
 * Entries in projection order without an index of their own: `entry_no` follows projection order (HLC, then
 * origin, then seq: docs/architecture.md, "Conflicts by construction"). Every entry is projected after all
 * those that sort before it — by an append, an in-order batch, or the replay of a suffix that first forgets
 * the entries from there on (projections.ts `forgetEntriesFrom`) — so the keys grow with entry_no, and a
 * binary search on the primary key finds a position in that order in about twenty lookups. This is why
 * `logbook_entries` carries no index on `hlc` (logbook migration 7).
 */
import type Database from 'better-sqlite3';
import { cachedStatement } from '../store/statements.js';
import type { ProjectionKey } from '../store/types.js';

/**
 * The smallest entry_no whose event sorts at or after `key`, or null when every entry sorts before it.
 * `key.origin` '' and `key.seq` 0 stand for "the first event of that HLC" (an HLC alone as the bound).
 */
export const firstEntryFrom = (db: Database.Database, key: ProjectionKey): number | null => {
  // Two subqueries: min() and max() in one SELECT is a scan, each alone one seek (https://sqlite.org/optoverview.html#minmax).
  const bounds = cachedStatement(
    db,
    'SELECT (SELECT min(entry_no) FROM logbook_entries) AS lo, (SELECT max(entry_no) FROM logbook_entries) AS hi',
  ).get() as { lo: number | null; hi: number | null };
  if (bounds.lo === null || bounds.hi === null) return null;
  // The first entry at or after a number (entry_no may have gaps), and whether it sorts at or after the key.
  const probe = cachedStatement(
    db,
    `SELECT entry_no AS n, (hlc, origin, seq) >= (?, ?, ?) AS after FROM logbook_entries
     WHERE entry_no >= ? ORDER BY entry_no LIMIT 1`,
  );
  const at = (n: number): { n: number; after: number } =>
    probe.get(key.hlc, key.origin, key.seq, n) as { n: number; after: number };
  let lo = bounds.lo;
  let hi = bounds.hi;
  if (at(hi).after === 0) return null;
  // The smallest number whose first entry at or after it sorts at or after the key: it is in [lo, hi].
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const found = at(mid);
    if (found.after === 1) hi = mid;
    // Every number up to found.n leads to found.n, which sorts before the key.
    else lo = found.n + 1;
  }
  return at(lo).n;
};

/** The number of the last entry whose event has an HLC before `hlc`, 0 when there is none. */
export const lastEntryBefore = (db: Database.Database, hlc: string): number => {
  const first = firstEntryFrom(db, { hlc, origin: '', seq: 0 }) ?? Number.MAX_SAFE_INTEGER;
  const last = cachedStatement(db, 'SELECT max(entry_no) FROM logbook_entries WHERE entry_no < ?').pluck().get(first);
  return typeof last === 'number' ? last : 0;
};
