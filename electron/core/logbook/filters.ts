/**
 * What a main courante filter becomes in SQL (queries.ts reads with these): column clauses, the FTS5
 * expression of the words and `meta` tokens, and the date range as entry_no bounds by index seeks on the
 * in-order and out-of-order indexes (logbook migration 3).
 */
import type Database from 'better-sqlite3';
import type { LogbookFilters } from '../../contract/logbook.js';
import { cachedStatement } from '../store/statements.js';
import { metaTerms } from './meta.js';

export interface Where {
  clauses: string[];
  params: (string | number)[];
}

export const filterClauses = (filters: LogbookFilters | undefined): Where => {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  if (filters === undefined) return { clauses, params };
  if (filters.from !== undefined) {
    clauses.push('e.at_ms >= ?');
    params.push(Date.parse(filters.from));
  }
  if (filters.to !== undefined) {
    clauses.push('e.at_ms <= ?');
    params.push(Date.parse(filters.to));
  }
  if (filters.shiftId !== undefined) {
    clauses.push('e.shift_id = ?');
    params.push(filters.shiftId);
  }
  if (filters.category !== undefined) {
    clauses.push('e.category = ?');
    params.push(filters.category);
  }
  if (filters.author !== undefined) {
    clauses.push('e.author = ?');
    params.push(filters.author);
  }
  if (filters.operationId !== undefined) {
    clauses.push('e.operation_id = ?');
    params.push(filters.operationId);
  }
  if (filters.important !== undefined) clauses.push(filters.important ? 'e.important = 1' : 'e.important = 0');
  return { clauses, params };
};

/**
 * Category and author have no index of their own on `logbook_entries` (logbook migration 7): a filter on
 * either is a query of the full-text index's `meta` column, like a search with words (meta.ts).
 */
export const filtersByMeta = (filters: LogbookFilters | undefined): boolean =>
  filters?.category !== undefined || filters?.author !== undefined;

/**
 * The FTS5 expression for the words typed (`match`, from buildMatchQuery) and the filters' meta tokens: the
 * words restricted to the `text` column, the filters to `meta`, one query so that SQLite intersects the
 * doclists itself (https://sqlite.org/fts5.html#fts5_column_filters). Null when there is neither.
 */
export const ftsExpression = (match: string | null, filters: LogbookFilters | undefined): string | null => {
  const terms = metaTerms(filters);
  const parts = [
    ...(match === null ? [] : [`text : (${match})`]),
    ...(terms.length === 0 ? [] : [`meta : (${terms.map((t) => `"${t}"`).join(' ')})`]),
  ];
  return parts.length === 0 ? null : parts.join(' AND ');
};

/**
 * The entry_no range that holds every entry written between `from` and `to` (ms), or null if none:
 * two seeks on the in-order index (times non-decreasing with entry_no, migration 0005) widened by
 * the out-of-order entries of the period. The exact time filter still applies inside the range.
 */
export const dateBounds = (
  db: Database.Database,
  from: number | undefined,
  to: number | undefined,
): { lo: number; hi: number } | null => {
  const f = from ?? Number.MIN_SAFE_INTEGER;
  const t = to ?? Number.MAX_SAFE_INTEGER;
  const lo = db
    .prepare('SELECT entry_no AS n FROM logbook_entries WHERE ooo = 0 AND at_ms >= ? ORDER BY at_ms, entry_no LIMIT 1')
    .get(f) as { n: number } | undefined;
  const hi = db
    .prepare(
      'SELECT entry_no AS n FROM logbook_entries WHERE ooo = 0 AND at_ms <= ? ORDER BY at_ms DESC, entry_no DESC LIMIT 1',
    )
    .get(t) as { n: number } | undefined;
  const odd = db
    .prepare(
      'SELECT min(entry_no) AS lo, max(entry_no) AS hi FROM logbook_entries WHERE ooo = 1 AND at_ms BETWEEN ? AND ?',
    )
    .get(f, t) as {
    lo: number | null;
    hi: number | null;
  };
  const ranges: { lo: number; hi: number }[] = [];
  if (lo !== undefined && hi !== undefined && lo.n <= hi.n) ranges.push({ lo: lo.n, hi: hi.n });
  if (odd.lo !== null && odd.hi !== null) ranges.push({ lo: odd.lo, hi: odd.hi });
  if (ranges.length === 0) return null;
  return { lo: Math.min(...ranges.map((r) => r.lo)), hi: Math.max(...ranges.map((r) => r.hi)) };
};

/**
 * The earliest and latest time written among the entries up to `upTo`, by index seeks (logbook migration 3):
 * an in-order entry is written no earlier than every entry numbered before it, and an out-of-order one earlier
 * than one of them, so the latest is the last in-order entry's and the earliest is the first in-order entry's
 * or an out-of-order entry's. (min/max of at_ms over the range read every row: 8 s at 1 M entries.)
 */
export const writtenSpan = (db: Database.Database, upTo: number): { first: number | null; last: number | null } => {
  const at = (sql: string): number | null => {
    const t = cachedStatement(db, sql).pluck().get(upTo);
    return typeof t === 'number' ? t : null;
  };
  const last = at('SELECT at_ms FROM logbook_entries WHERE entry_no <= ? AND ooo = 0 ORDER BY entry_no DESC LIMIT 1');
  const firstInOrder = at(
    'SELECT at_ms FROM logbook_entries WHERE entry_no <= ? AND ooo = 0 ORDER BY entry_no LIMIT 1',
  );
  const firstOdd = at('SELECT min(at_ms) FROM logbook_entries WHERE entry_no <= ? AND ooo = 1');
  const first = firstInOrder === null ? firstOdd : firstOdd === null ? firstInOrder : Math.min(firstInOrder, firstOdd);
  return { first, last };
};

/** Entry_no range to look in for these filters and this cursor; null when nothing can match. */
export const searchRange = (
  db: Database.Database,
  filters: LogbookFilters | undefined,
  before: number | undefined,
): { lo: number; hi: number } | null => {
  let lo = 1;
  let hi = before === undefined ? Number.MAX_SAFE_INTEGER : before - 1;
  if (filters?.from !== undefined || filters?.to !== undefined) {
    const b = dateBounds(
      db,
      filters.from === undefined ? undefined : Date.parse(filters.from),
      filters.to === undefined ? undefined : Date.parse(filters.to),
    );
    if (b === null) return null;
    lo = Math.max(lo, b.lo);
    hi = Math.min(hi, b.hi);
  }
  return lo <= hi ? { lo, hi } : null;
};
