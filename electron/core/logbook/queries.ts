/** Read side of the main courante: rows → contract objects, list and search with filters. */
import type Database from 'better-sqlite3';
import type { EntryKind, LogbookEntry, LogbookFilters, LogbookPage } from '../../contract/logbook.js';
import { cachedStatement } from '../store/statements.js';
import { buildMatchQuery } from './fts.js';
import { metaTerms } from './meta.js';
import { formatReference, isLate } from './time.js';

export interface EntryRow {
  entry_no: number;
  event_id: string;
  origin: string;
  at_ms: number;
  author: string;
  category: string;
  text: string;
  corrects_id: string | null;
  day: string;
  day_no: number;
  position: string;
  role: string | null;
  fact_ms: number;
  important: number;
  kind: string;
  operation_id: string | null;
  call_id: string | null;
  shift_id: string | null;
  event_hash: string;
}

const COLUMNS = `e.entry_no, e.event_id, e.origin, e.at_ms, e.author, e.category, e.text, e.corrects_id, e.day, e.day_no,
  e.position, e.role, e.fact_ms, e.important, e.kind, e.operation_id, e.call_id, e.shift_id, e.event_hash`;

/** Position name for display; entries appended without one (e.g. by an old `vigie append`) show the node id. */
const positionOf = (row: Pick<EntryRow, 'position' | 'origin'>): string =>
  row.position !== '' ? row.position : row.origin.slice(0, 8);

const referenceOf = (row: Pick<EntryRow, 'position' | 'origin' | 'day' | 'day_no'>): string =>
  formatReference(row.day, row.day_no, positionOf(row));

/** Rows → entries, with the links both ways (what they correct, what corrects them) in two queries. */
export const toEntries = (db: Database.Database, rows: readonly EntryRow[]): LogbookEntry[] => {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.event_id);
  const targets = [...new Set(rows.map((r) => r.corrects_id).filter((id): id is string => id !== null))];
  const json = (values: readonly string[]): string => JSON.stringify(values);
  const correctedBy = new Map<string, { id: string; reference: string }[]>();
  for (const c of cachedStatement(
    db,
    `SELECT c.corrects_id, e.event_id, e.origin, e.position, e.day, e.day_no
       FROM logbook_corrections c JOIN logbook_entries e ON e.entry_no = c.entry_no
       WHERE c.corrects_id IN (SELECT value FROM json_each(?)) ORDER BY c.entry_no`,
  ).all(json(ids)) as (Pick<EntryRow, 'event_id' | 'origin' | 'position' | 'day' | 'day_no'> & {
    corrects_id: string;
  })[]) {
    const list = correctedBy.get(c.corrects_id) ?? [];
    list.push({ id: c.event_id, reference: referenceOf(c) });
    correctedBy.set(c.corrects_id, list);
  }
  const references = new Map<string, string>();
  if (targets.length > 0) {
    for (const t of cachedStatement(
      db,
      'SELECT event_id, origin, position, day, day_no FROM logbook_entries WHERE event_id IN (SELECT value FROM json_each(?))',
    ).all(json(targets)) as Pick<EntryRow, 'event_id' | 'origin' | 'position' | 'day' | 'day_no'>[]) {
      references.set(t.event_id, referenceOf(t));
    }
  }
  return rows.map((r) => ({
    id: r.event_id,
    origin: r.origin,
    position: positionOf(r),
    day: r.day,
    number: r.day_no,
    reference: referenceOf(r),
    writtenAt: new Date(r.at_ms).toISOString(),
    factAt: new Date(r.fact_ms).toISOString(),
    late: isLate(r.at_ms, r.fact_ms),
    author: r.author,
    role: r.role,
    category: r.category,
    important: r.important === 1,
    text: r.text,
    kind: r.kind as EntryKind,
    operationId: r.operation_id,
    callId: r.call_id,
    shiftId: r.shift_id,
    corrects: r.corrects_id,
    correctsReference: r.corrects_id === null ? null : (references.get(r.corrects_id) ?? null),
    correctedBy: correctedBy.get(r.event_id) ?? [],
    eventHash: r.event_hash,
  }));
};

/** Cached statements (store/statements.ts): the logbook's reactor reads every entry a replicated batch brings. */
export const getEntryRow = (db: Database.Database, id: string): EntryRow | undefined =>
  cachedStatement(db, `SELECT ${COLUMNS} FROM logbook_entries e WHERE e.event_id = ?`).get(id) as EntryRow | undefined;

interface Where {
  clauses: string[];
  params: (string | number)[];
}

const filterClauses = (filters: LogbookFilters | undefined): Where => {
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

const DEFAULT_LIMIT = 200;

const page = (db: Database.Database, rows: EntryRow[], limit: number): LogbookPage => ({
  entries: toEntries(db, rows),
  cursor: rows.length === limit ? (rows.at(-1)?.entry_no ?? null) : null,
});

/** Newest first. `before` is an entry_no cursor (keyset paging: constant cost at any depth). */
export const listEntries = (
  db: Database.Database,
  filters: LogbookFilters | undefined,
  before?: number,
  limit = DEFAULT_LIMIT,
): LogbookPage => {
  const range = searchRange(db, filters, before);
  if (range === null) return { entries: [], cursor: null };
  const { clauses, params } = filterClauses(filters);
  // The date range as entry_no bounds: the primary key or a filter index serves the rest.
  clauses.push('e.entry_no <= ?', 'e.entry_no >= ?');
  params.push(range.hi, range.lo);
  const where = `WHERE ${clauses.join(' AND ')}`;
  const rows = db
    .prepare(`SELECT ${COLUMNS} FROM logbook_entries e ${where} ORDER BY e.entry_no DESC LIMIT ?`)
    .all(...params, limit) as EntryRow[];
  return page(db, rows, limit);
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

/** Entry_no range to look in for these filters and this cursor; null when nothing can match. */
const searchRange = (
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

/**
 * Full text + filters, newest first, in ONE FTS5 query: the words typed restricted to the `text`
 * column, the filters as tokens of the `meta` column (meta.ts), so that SQLite intersects the
 * doclists itself (https://sqlite.org/fts5.html#fts5_column_filters); the dates and the page cursor
 * as rowid (= entry_no) bounds. Inside the bounds of a date range the exact time is checked too,
 * for the rare entries written out of order (migration 0005). An empty query is a plain filtered list.
 */
export const searchEntries = (
  db: Database.Database,
  query: string,
  filters: LogbookFilters | undefined,
  before?: number,
  limit = DEFAULT_LIMIT,
): LogbookPage => {
  const match = buildMatchQuery(query);
  if (match === null) return listEntries(db, filters, before, limit);
  const range = searchRange(db, filters, before);
  if (range === null) return { entries: [], cursor: null };
  const terms = metaTerms(filters);
  const expression = `text : (${match})${terms.length === 0 ? '' : ` AND meta : (${terms.map((t) => `"${t}"`).join(' ')})`}`;
  const dated = filters?.from !== undefined || filters?.to !== undefined;
  const rows = (
    dated
      ? db
          .prepare(
            `SELECT ${COLUMNS} FROM logbook_fts f JOIN logbook_entries e ON e.entry_no = f.rowid
             WHERE logbook_fts MATCH ? AND f.rowid <= ? AND f.rowid >= ? AND e.at_ms >= ? AND e.at_ms <= ?
             ORDER BY f.rowid DESC LIMIT ?`,
          )
          .all(
            expression,
            range.hi,
            range.lo,
            filters?.from === undefined ? Number.MIN_SAFE_INTEGER : Date.parse(filters.from),
            filters?.to === undefined ? Number.MAX_SAFE_INTEGER : Date.parse(filters.to),
            limit,
          )
      : db
          .prepare(
            `SELECT ${COLUMNS} FROM logbook_fts f JOIN logbook_entries e ON e.entry_no = f.rowid
             WHERE logbook_fts MATCH ? AND f.rowid <= ? AND f.rowid >= ? ORDER BY f.rowid DESC LIMIT ?`,
          )
          .all(expression, range.hi, range.lo, limit)
  ) as EntryRow[];
  return page(db, rows, limit);
};

/**
 * Filters of an export up to entry `upTo`, with the date range turned into entry_no bounds so that
 * the primary key (not a scan from the start of the log) finds the first entries of the period.
 */
const boundedClauses = (
  db: Database.Database,
  filters: LogbookFilters | undefined,
  upTo: number,
  query: string | undefined,
): Where | null => {
  const range = searchRange(db, filters, upTo + 1);
  if (range === null) return null;
  const { clauses, params } = filterClauses(filters);
  clauses.push('e.entry_no <= ?', 'e.entry_no >= ?');
  params.push(range.hi, range.lo);
  // The words searched, as the list shows them (searchEntries): an export holds what the screen found.
  // The rowid bounds inside the MATCH keep FTS5 to the range's doclist (https://sqlite.org/fts5.html#the_rowid).
  const match = query === undefined ? null : buildMatchQuery(query);
  if (match !== null) {
    clauses.push(
      'e.entry_no IN (SELECT rowid FROM logbook_fts WHERE logbook_fts MATCH ? AND rowid <= ? AND rowid >= ?)',
    );
    params.push(`text : (${match})`, range.hi, range.lo);
  }
  return { clauses, params };
};

/** Oldest first, in batches by entry_no, for exports: `after` is the last entry_no of the previous batch. */
export const entriesBatch = (
  db: Database.Database,
  filters: LogbookFilters | undefined,
  after: number,
  upTo: number,
  size: number,
  query?: string,
): EntryRow[] => {
  const where = boundedClauses(db, filters, upTo, query);
  if (where === null) return [];
  where.clauses.push('e.entry_no > ?');
  where.params.push(after);
  return db
    .prepare(
      `SELECT ${COLUMNS} FROM logbook_entries e WHERE ${where.clauses.join(' AND ')} ORDER BY e.entry_no LIMIT ?`,
    )
    .all(...where.params, size) as EntryRow[];
};

export const countEntries = (
  db: Database.Database,
  filters: LogbookFilters | undefined,
  upTo: number,
  query?: string,
): number => {
  const where = boundedClauses(db, filters, upTo, query);
  if (where === null) return 0;
  return (
    db
      .prepare(`SELECT count(*) AS n FROM logbook_entries e WHERE ${where.clauses.join(' AND ')}`)
      .get(...where.params) as { n: number }
  ).n;
};

/** SHA-256 of the event behind the newest entry matching the filters, up to `upTo`; null if none. */
export const lastEntryHash = (
  db: Database.Database,
  filters: LogbookFilters | undefined,
  upTo: number,
  query?: string,
): string | null => {
  const where = boundedClauses(db, filters, upTo, query);
  if (where === null) return null;
  const row = db
    .prepare(
      `SELECT e.event_hash FROM logbook_entries e WHERE ${where.clauses.join(' AND ')} ORDER BY e.entry_no DESC LIMIT 1`,
    )
    .get(...where.params) as { event_hash: string } | undefined;
  return row?.event_hash ?? null;
};
