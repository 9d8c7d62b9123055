/**
 * The one order in which projections see events (docs/architecture.md, "Conflicts by construction"):
 * HLC, then origin, then seq. A local append always sorts last (its HLC is ticked past every event the
 * database holds), so appending and replaying agree; `rebuild()` and a remote batch that arrives out of
 * that order both replay the log this way, through the index of store migration 2.
 */
import type Database from 'better-sqlite3';
import type { EventRow } from './chain.js';
import type { Projection, ProjectionRun, StoredEvent } from './types.js';

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

type RawRow = [string, number, string, string, string, string, string, string, string];

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
  /** Ends the projections' runs, in their declared order; the projector is not used after. */
  finish(): void;
  /** Whether some projection reads this type: a payload nobody reads is not parsed. */
  reads(type: string): boolean;
}

/** One projector per run (one transaction): the projections' runs (`Projection.begin`) last as long as it. */
export const createProjector = (
  db: Database.Database,
  projections: readonly Projection[],
  replay = false,
): Projector => {
  const runs = new Map<Projection, ProjectionRun>();
  const runOf = (projection: Projection): ProjectionRun => {
    let run = runs.get(projection);
    if (run === undefined) {
      run = projection.begin?.(db, replay) ?? { apply: (event) => projection.apply(db, event) };
      runs.set(projection, run);
    }
    return run;
  };
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
      for (const projection of route(event.type)) runOf(projection).apply(event);
    },
    reads: (type) => route(type).length > 0,
    finish() {
      for (const projection of projections) runs.get(projection)?.end?.();
    },
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
  // Rows as arrays (.raw()): a million objects with named keys cost more to build than the events made of them.
  const columns = 'origin, seq, id, hlc, type, author, payload, prev_hash, hash';
  const first = source.prepare(`SELECT ${columns} FROM events ORDER BY hlc, origin, seq LIMIT ?`).raw();
  const next = source
    .prepare(`SELECT ${columns} FROM events WHERE (hlc, origin, seq) > (?, ?, ?) ORDER BY hlc, origin, seq LIMIT ?`)
    .raw();
  const projector = createProjector(target, projections, true);
  let last: RawRow | undefined;
  let events = 0;
  for (;;) {
    // Cast: the nine columns selected above, in that order (events is STRICT: store migration 1).
    const rows = (last === undefined ? first.all(PAGE) : next.all(last[3], last[0], last[1], PAGE)) as RawRow[];
    if (rows.length === 0) break;
    for (const [origin, seq, id, hlc, type, author, payload, prevHash, hash] of rows) {
      if (!projector.reads(type)) continue;
      projector.apply({ origin, seq, id, hlc, type, author, payload: JSON.parse(payload) as unknown, prevHash, hash });
    }
    last = rows[rows.length - 1] ?? last;
    events += rows.length;
  }
  projector.finish();
  return events;
};

/**
 * Empties one projection table. A contentless or external-content FTS5 table is emptied by its 'delete-all'
 * command (https://sqlite.org/fts5.html#the_delete_all_command): a DELETE would remove its rows one by one,
 * with a tombstone each (contentless_delete), which cost more than all the inserts of a rebuild.
 */
const emptyTable = (db: Database.Database, table: string): void => {
  const sql = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").pluck().get(table);
  if (typeof sql === 'string' && /^CREATE VIRTUAL TABLE.*USING\s+fts5\b.*\bcontent\s*=/is.test(sql))
    db.prepare(`INSERT INTO "${table}" ("${table}") VALUES ('delete-all')`).run();
  else db.prepare(`DELETE FROM "${table}"`).run();
};

/**
 * Empties every projection's tables (in their declared order) and replays the whole log, inside the caller's
 * transaction: a replay that fails rolls back with everything else. Measured without gain at 1 M entries (CPU
 * time), so not done: dropping the indexes no projection reads and creating them after (their keys mostly
 * arrive in order), and a 256 MB page cache instead of the connection's 32 MB.
 */
export const replayProjections = (db: Database.Database, projections: readonly Projection[]): number => {
  for (const projection of projections) for (const table of projection.tables) emptyTable(db, table);
  return replayFrom(db, db, projections);
};
