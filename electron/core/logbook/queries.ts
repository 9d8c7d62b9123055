/** Read side of the main courante: rows → contract objects, list and search with filters. */
import type Database from 'better-sqlite3';
import type { EntryKind, LogbookEntry, LogbookFilters, LogbookPage } from '../../contract/logbook.js';
import { buildMatchQuery } from './fts.js';
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
const positionOf = (row: Pick<EntryRow, 'position' | 'origin'>): string => (row.position !== '' ? row.position : row.origin.slice(0, 8));

const referenceOf = (row: Pick<EntryRow, 'position' | 'origin' | 'day' | 'day_no'>): string => formatReference(row.day, row.day_no, positionOf(row));

/** Rows → entries, with the links both ways (what they correct, what corrects them) in two queries. */
export const toEntries = (db: Database.Database, rows: readonly EntryRow[]): LogbookEntry[] => {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.event_id);
  const targets = [...new Set(rows.map((r) => r.corrects_id).filter((id): id is string => id !== null))];
  const json = (values: readonly string[]): string => JSON.stringify(values);
  const correctedBy = new Map<string, { id: string; reference: string }[]>();
  for (const c of db
    .prepare(
      `SELECT c.corrects_id, e.event_id, e.origin, e.position, e.day, e.day_no
       FROM logbook_corrections c JOIN logbook_entries e ON e.entry_no = c.entry_no
       WHERE c.corrects_id IN (SELECT value FROM json_each(?)) ORDER BY c.entry_no`,
    )
    .all(json(ids)) as (Pick<EntryRow, 'event_id' | 'origin' | 'position' | 'day' | 'day_no'> & { corrects_id: string })[]) {
    const list = correctedBy.get(c.corrects_id) ?? [];
    list.push({ id: c.event_id, reference: referenceOf(c) });
    correctedBy.set(c.corrects_id, list);
  }
  const references = new Map<string, string>();
  if (targets.length > 0) {
    for (const t of db
      .prepare('SELECT event_id, origin, position, day, day_no FROM logbook_entries WHERE event_id IN (SELECT value FROM json_each(?))')
      .all(json(targets)) as Pick<EntryRow, 'event_id' | 'origin' | 'position' | 'day' | 'day_no'>[]) {
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

export const getEntryRow = (db: Database.Database, id: string): EntryRow | undefined =>
  db.prepare(`SELECT ${COLUMNS} FROM logbook_entries e WHERE e.event_id = ?`).get(id) as EntryRow | undefined;

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
export const listEntries = (db: Database.Database, filters: LogbookFilters | undefined, before?: number, limit = DEFAULT_LIMIT): LogbookPage => {
  const { clauses, params } = filterClauses(filters);
  if (before !== undefined) {
    clauses.push('e.entry_no < ?');
    params.push(before);
  }
  const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
  const rows = db.prepare(`SELECT ${COLUMNS} FROM logbook_entries e ${where} ORDER BY e.entry_no DESC LIMIT ?`).all(...params, limit) as EntryRow[];
  return page(db, rows, limit);
};

/**
 * Full text + filters, newest first. The FTS5 table yields matches in rowid (= entry_no) order, so
 * `ORDER BY rowid DESC LIMIT n` stops after n matches that pass the filters
 * (https://sqlite.org/fts5.html#full_text_query_syntax, "ORDER BY rowid DESC" is served by the index).
 * An empty query is a plain filtered list.
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
  const { clauses, params } = filterClauses(filters);
  if (before !== undefined) {
    clauses.push('f.rowid < ?');
    params.push(before);
  }
  const extra = clauses.length > 0 ? `AND ${clauses.join(' AND ')}` : '';
  const rows = db
    .prepare(
      `SELECT ${COLUMNS} FROM logbook_fts f JOIN logbook_entries e ON e.entry_no = f.rowid
       WHERE logbook_fts MATCH ? ${extra} ORDER BY f.rowid DESC LIMIT ?`,
    )
    .all(match, ...params, limit) as EntryRow[];
  return page(db, rows, limit);
};

/** Oldest first, in batches by entry_no, for exports: `after` is the last entry_no of the previous batch. */
export const entriesBatch = (db: Database.Database, filters: LogbookFilters | undefined, after: number, upTo: number, size: number): EntryRow[] => {
  const { clauses, params } = filterClauses(filters);
  clauses.push('e.entry_no > ?', 'e.entry_no <= ?');
  params.push(after, upTo);
  return db.prepare(`SELECT ${COLUMNS} FROM logbook_entries e WHERE ${clauses.join(' AND ')} ORDER BY e.entry_no LIMIT ?`).all(...params, size) as EntryRow[];
};

export const countEntries = (db: Database.Database, filters: LogbookFilters | undefined, upTo: number): number => {
  const { clauses, params } = filterClauses(filters);
  clauses.push('e.entry_no <= ?');
  params.push(upTo);
  return (db.prepare(`SELECT count(*) AS n FROM logbook_entries e WHERE ${clauses.join(' AND ')}`).get(...params) as { n: number }).n;
};

/** SHA-256 of the event behind the newest entry matching the filters, up to `upTo`; null if none. */
export const lastEntryHash = (db: Database.Database, filters: LogbookFilters | undefined, upTo: number): string | null => {
  const { clauses, params } = filterClauses(filters);
  clauses.push('e.entry_no <= ?');
  params.push(upTo);
  const row = db.prepare(`SELECT e.event_hash FROM logbook_entries e WHERE ${clauses.join(' AND ')} ORDER BY e.entry_no DESC LIMIT 1`).get(...params) as
    | { event_hash: string }
    | undefined;
  return row?.event_hash ?? null;
};
