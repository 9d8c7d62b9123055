/**
 * The one order in which projections see events (docs/architecture.md, "Conflicts by construction"):
 * HLC, then origin, then seq. A local append always sorts last (its HLC is ticked past every event the
 * database holds), so appending and replaying agree; `rebuild()` and a remote batch that arrives out of
 * that order both replay the log this way, through the index of store migration 2.
 */
import type Database from 'better-sqlite3';
import type { EventRow } from './chain.js';
import type { Projection, StoredEvent } from './types.js';

const PAGE = 10_000;

export interface OrderKey {
  hlc: string;
  origin: string;
  seq: number;
}

/** Negative when a sorts before b in projection order. Plain code-unit comparison, as SQLite's BINARY collation. */
export const compareOrder = (a: OrderKey, b: OrderKey): number => {
  if (a.hlc !== b.hlc) return a.hlc < b.hlc ? -1 : 1;
  if (a.origin !== b.origin) return a.origin < b.origin ? -1 : 1;
  return a.seq - b.seq;
};

export const toStoredEvent = (row: EventRow): StoredEvent => ({
  origin: row.origin,
  seq: row.seq,
  id: row.id,
  hlc: row.hlc,
  type: row.type,
  author: row.author,
  payload: JSON.parse(row.payload) as unknown,
  prevHash: row.prevHash,
  hash: row.hash,
});

/** The last event in projection order, or undefined for an empty log. */
export const lastInOrder = (db: Database.Database): OrderKey | undefined =>
  db.prepare('SELECT hlc, origin, seq FROM events ORDER BY hlc DESC, origin DESC, seq DESC LIMIT 1').get() as
    OrderKey | undefined;

/**
 * The one projection path (docs/architecture.md, "Path of an event"): appends, a remote batch, `rebuild()`
 * and `vigie verify`'s scratch replay all go through it. Each event goes only to the projections that read
 * its type (`Projection.eventTypes`), in their declared order — the same calls as giving every event to every
 * projection, minus those that would have done nothing.
 */
export interface Projector {
  apply(event: StoredEvent): void;
  /** Whether some projection reads this type: a payload nobody reads is not parsed. */
  reads(type: string): boolean;
}

export const createProjector = (db: Database.Database, projections: readonly Projection[]): Projector => {
  const routes = new Map<string, readonly Projection[]>();
  const route = (type: string): readonly Projection[] => {
    let found = routes.get(type);
    if (found === undefined) {
      found = projections.filter((p) => p.eventTypes === undefined || p.eventTypes.includes(type));
      routes.set(type, found);
    }
    return found;
  };
  return {
    apply(event) {
      for (const projection of route(event.type)) projection.apply(db, event);
    },
    reads: (type) => route(type).length > 0,
  };
};

/**
 * Replays the whole log of `source` in projection order into the projections of `target` (the same
 * connection for a rebuild, a scratch database for `vigie verify`). Paged with a keyset on (hlc, origin,
 * seq), and .all() rather than .iterate(): the projections may write on the connection we read.
 */
export const replayFrom = (
  source: Database.Database,
  target: Database.Database,
  projections: readonly Projection[],
): number => {
  const columns = 'origin, seq, id, hlc, type, author, payload, prev_hash AS prevHash, hash';
  const first = source.prepare(`SELECT ${columns} FROM events ORDER BY hlc, origin, seq LIMIT ?`);
  const next = source.prepare(
    `SELECT ${columns} FROM events WHERE (hlc, origin, seq) > (?, ?, ?) ORDER BY hlc, origin, seq LIMIT ?`,
  );
  const projector = createProjector(target, projections);
  let last: OrderKey | undefined;
  let events = 0;
  for (;;) {
    const rows = (last === undefined ? first.all(PAGE) : next.all(last.hlc, last.origin, last.seq, PAGE)) as EventRow[];
    if (rows.length === 0) break;
    for (const row of rows) {
      if (projector.reads(row.type)) projector.apply(toStoredEvent(row));
    }
    last = rows[rows.length - 1] ?? last;
    events += rows.length;
  }
  return events;
};

/** Empties every projection's tables (in their declared order) and replays the whole log. Inside the caller's transaction. */
export const replayProjections = (db: Database.Database, projections: readonly Projection[]): number => {
  for (const projection of projections)
    for (const table of projection.tables) db.prepare(`DELETE FROM "${table}"`).run();
  return replayFrom(db, db, projections);
};
