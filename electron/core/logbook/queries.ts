/** Read side of the main courante: rows → contract objects, list and search with filters. */
import type Database from 'better-sqlite3';
import type { EntryKind, LogbookEntry, LogbookFilters, LogbookPage } from '../../contract/logbook.js';
import { cachedStatement } from '../store/statements.js';
import { buildMatchQuery } from './fts.js';
import { filterClauses, filtersByMeta, ftsExpression, searchRange, type Where } from './filters.js';
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
  if (filtersByMeta(filters)) return ftsPage(db, null, filters, before, limit);
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
  return ftsPage(db, match, filters, before, limit);
};

/** One page of searchEntries (or of a list filtered by category or author): one FTS5 query, newest first. */
const ftsPage = (
  db: Database.Database,
  match: string | null,
  filters: LogbookFilters | undefined,
  before: number | undefined,
  limit: number,
): LogbookPage => {
  const expression = ftsExpression(match, filters);
  const range = searchRange(db, filters, before);
  if (range === null || expression === null) return { entries: [], cursor: null };
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
 * Filters of an export up to entry `upTo`, with the date range turned into entry_no bounds so that the primary
 * key (not a scan from the start of the log) finds the first entries of the period. The words searched and
 * the category or author filters (as the list finds them: searchEntries, listEntries) make it a join on the
 * full-text index, whose rowid bounds keep FTS5 to the range's doclist (https://sqlite.org/fts5.html#the_rowid)
 * and whose rowid order lets a batch stop at its size. `key`: the column the bounds and the order are on.
 */
interface Bounded extends Where {
  from: string;
  key: string;
}

const boundedClauses = (
  db: Database.Database,
  filters: LogbookFilters | undefined,
  upTo: number,
  query: string | undefined,
): Bounded | null => {
  const range = searchRange(db, filters, upTo + 1);
  if (range === null) return null;
  const { clauses, params } = filterClauses(filters);
  const match = query === undefined ? null : buildMatchQuery(query);
  const expression = match !== null || filtersByMeta(filters) ? ftsExpression(match, filters) : null;
  const key = expression === null ? 'e.entry_no' : 'f.rowid';
  if (expression !== null) {
    clauses.push('logbook_fts MATCH ?');
    params.push(expression);
  }
  clauses.push(`${key} <= ?`, `${key} >= ?`);
  params.push(range.hi, range.lo);
  const from =
    expression === null ? 'logbook_entries e' : 'logbook_fts f JOIN logbook_entries e ON e.entry_no = f.rowid';
  return { clauses, params, from, key };
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
  where.clauses.push(`${where.key} > ?`);
  where.params.push(after);
  return db
    .prepare(`SELECT ${COLUMNS} FROM ${where.from} WHERE ${where.clauses.join(' AND ')} ORDER BY ${where.key} LIMIT ?`)
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
    db.prepare(`SELECT count(*) AS n FROM ${where.from} WHERE ${where.clauses.join(' AND ')}`).get(...where.params) as {
      n: number;
    }
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
      `SELECT e.event_hash FROM ${where.from} WHERE ${where.clauses.join(' AND ')} ORDER BY ${where.key} DESC LIMIT 1`,
    )
    .get(...where.params) as { event_hash: string } | undefined;
  return row?.event_hash ?? null;
};
