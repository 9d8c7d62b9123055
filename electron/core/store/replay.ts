/**
 * The one order in which projections see events (docs/architecture.md, "Conflicts by construction"):
 * HLC, then origin, then seq. A local append always sorts last (its HLC is ticked past every event the
 * database holds), so appending and replaying agree; `rebuild()` replays the log this way, through the index
 * of store migration 2, and a remote batch that arrives out of that order replays only the projections
 * that depend on it, from its first event when they can (`projectInserted`).
 */
import type Database from 'better-sqlite3';
import { EVENT_COLUMNS, type EventRow, type EventTuple } from './chain.js';
import type { Projection, ProjectionRun, StoredEvent } from './types.js';

const PAGE = 10_000;

/** Events between two progress reports of a full replay (`Store.rebuild`): ~0.2 s of work at 1 M. */
export const REPLAY_PROGRESS_STEP = 10_000;

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
  /** `before`: the event sorts before the replayed suffix (only the projections replayed whole get it). */
  apply(event: StoredEvent, before?: boolean): void;
  /** Ends the projections' runs, in their declared order; the projector is not used after. */
  finish(): void;
  /** Whether some projection reads this type: a payload nobody reads is not parsed. */
  reads(type: string, before?: boolean): boolean;
}

/**
 * One projector per run (one transaction): the projections' runs (`Projection.begin`) last as long as it.
 * `replay`: which projections run as a full replay into emptied tables (all, none, or that set). `early`: the
 * projections replayed whole, the only ones given an event applied with `early` set (one before the suffix
 * that the others replay, `replayProjections`).
 */
export const createProjector = (
  db: Database.Database,
  projections: readonly Projection[],
  replay: boolean | ReadonlySet<Projection> = false,
  early?: ReadonlySet<Projection>,
): Projector => {
  const runs = new Map<Projection, ProjectionRun>();
  const runOf = (projection: Projection): ProjectionRun => {
    let run = runs.get(projection);
    if (run === undefined) {
      const full = typeof replay === 'boolean' ? replay : replay.has(projection);
      run = projection.begin?.(db, full) ?? { apply: (event) => projection.apply(db, event) };
      runs.set(projection, run);
    }
    return run;
  };
  const routes = new Map<string, readonly Projection[]>();
  const route = (type: string, before: boolean): readonly Projection[] => {
    const key = before ? `\n${type}` : type;
    let found = routes.get(key);
    if (found === undefined) {
      found = projections.filter(
        (p) => (p.eventTypes === undefined || p.eventTypes.includes(type)) && (!before || early?.has(p) !== false),
      );
      routes.set(key, found);
    }
    return found;
  };
  return {
    apply(event, before = false) {
      for (const projection of route(event.type, before)) runOf(projection).apply(event);
    },
    reads: (type, before = false) => route(type, before).length > 0,
    finish() {
      for (const projection of projections) runs.get(projection)?.end?.();
    },
  };
};

const KEY = '(hlc, origin, seq)';

/** The event types some projection of `projections` reads, or undefined when one reads every event. */
const typesOf = (projections: Iterable<Projection>): string[] | undefined => {
  const types = new Set<string>();
  for (const p of projections) {
    if (p.eventTypes === undefined) return undefined;
    for (const type of p.eventTypes) types.add(type);
  }
  return [...types];
};

interface Pass {
  /** First key read, itself included. */
  from?: OrderKey;
  /** First key not read. */
  until?: OrderKey;
  /** Only these types (all when absent). */
  types?: readonly string[];
}

/** Rows per page of one type's stream: a few types are read side by side. */
const PAGE_TYPE = 1000;

/** One stream of a walk: the whole log, or one type. `rows` from `at` on are not given out yet. */
interface Stream {
  type: string | undefined;
  rows: EventTuple[];
  at: number;
  /** The last page was short: nothing after it. */
  ended: boolean;
}

/** compareOrder on two rows (hlc, origin, seq at 3, 0, 1): only needed when several streams are merged. */
const compareRows = (a: EventTuple, b: EventTuple): number =>
  compareOrder({ hlc: a[3], origin: a[0], seq: a[1] }, { hlc: b[3], origin: b[0], seq: b[1] });

/**
 * One walk of the log in projection order over [from, until), paged with a keyset on (hlc, origin, seq)
 * through the index of store migration 2, and .all() rather than .iterate(): the projections may write on
 * the connection we read. Rows as arrays (.raw()): a million objects with named keys cost more to build
 * than the events made of them. With `types`, each type is its own stream through the index of store
 * migration 3, and the streams are merged here in the same order: testing the type of every event of the
 * log would read them all.
 */
const walk = (source: Database.Database, pass: Pass, each: (row: EventTuple) => void): void => {
  const typed = pass.types !== undefined;
  const size = typed ? PAGE_TYPE : PAGE;
  const statement = (start: '>=' | '>' | undefined): Database.Statement => {
    const where = [
      ...(typed ? ['type = ?'] : []),
      ...(start === undefined ? [] : [`${KEY} ${start} (?, ?, ?)`]),
      ...(pass.until === undefined ? [] : [`${KEY} < (?, ?, ?)`]),
    ];
    const sql = `SELECT ${EVENT_COLUMNS} FROM events ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}`;
    return source.prepare(`${sql} ORDER BY hlc, origin, seq LIMIT ?`).raw();
  };
  const first = statement(pass.from === undefined ? undefined : '>=');
  const next = statement('>');
  const from: unknown[] = pass.from === undefined ? [] : [pass.from.hlc, pass.from.origin, pass.from.seq];
  const tail: unknown[] = [
    ...(pass.until === undefined ? [] : [pass.until.hlc, pass.until.origin, pass.until.seq]),
    size,
  ];
  const fill = (stream: Stream): void => {
    const head = stream.type === undefined ? [] : [stream.type];
    const last = stream.rows[stream.rows.length - 1];
    // Cast: the nine columns selected above, in that order (events is STRICT: store migration 1).
    stream.rows = (
      last === undefined ? first.all(...head, ...from, ...tail) : next.all(...head, last[3], last[0], last[1], ...tail)
    ) as EventTuple[];
    stream.at = 0;
    stream.ended = stream.rows.length < size;
  };
  const streams: Stream[] = (typed ? [...new Set(pass.types)] : [undefined]).map((type) => ({
    type,
    rows: [],
    at: 0,
    ended: false,
  }));
  for (const stream of streams) fill(stream);
  for (;;) {
    let lowest: Stream | undefined;
    let row: EventTuple | undefined;
    for (const stream of streams) {
      const candidate = stream.rows[stream.at];
      if (candidate !== undefined && (row === undefined || compareRows(candidate, row) < 0)) {
        lowest = stream;
        row = candidate;
      }
    }
    if (lowest === undefined || row === undefined) return;
    each(row);
    lowest.at += 1;
    if (lowest.at === lowest.rows.length && !lowest.ended) fill(lowest);
  }
};

const eventOf = ([origin, seq, id, hlc, type, author, payload, prevHash, hash]: EventTuple): StoredEvent => ({
  origin,
  seq,
  id,
  hlc,
  type,
  author,
  payload: JSON.parse(payload) as unknown,
  prevHash,
  hash,
});

/**
 * Replays the log of `source` in projection order into the projections of `target` (the same connection
 * for a rebuild, a scratch database for `vigie verify`): the whole log, or with `suffix` what sorts at or
 * after `suffix.from` for every projection, and before it only for those of `suffix.whole` (reading only
 * the types they read). Returns the events read.
 */
export const replayFrom = (
  source: Database.Database,
  target: Database.Database,
  projections: readonly Projection[],
  suffix?: { from: OrderKey; whole: ReadonlySet<Projection> },
  onProgress?: (done: number) => void,
): number => {
  const projector =
    suffix === undefined
      ? createProjector(target, projections, true)
      : createProjector(target, projections, suffix.whole, suffix.whole);
  let read = 0;
  const feed =
    (before: boolean) =>
    (row: EventTuple): void => {
      if (projector.reads(row[4], before)) projector.apply(eventOf(row), before);
      read += 1;
      if (onProgress !== undefined && read % REPLAY_PROGRESS_STEP === 0) onProgress(read);
    };
  if (suffix === undefined) walk(source, {}, feed(false));
  else {
    if (suffix.whole.size > 0) {
      const types = typesOf(suffix.whole);
      walk(source, { until: suffix.from, ...(types === undefined ? {} : { types }) }, feed(true));
    }
    walk(source, { from: suffix.from }, feed(false));
  }
  // The last report says that only the projections' end (finish) remains: one, even on a whole step.
  if (read % REPLAY_PROGRESS_STEP !== 0 || read === 0) onProgress?.(read);
  projector.finish();
  return read;
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
 * transaction: a replay that fails rolls back with everything else. With `from` (a remote batch that sorts
 * before what is projected, docs/architecture.md "Conflicts by construction"): only the projections whose
 * rows depend on the interleaving of origins (`Projection.order` 'hlc'), each from `from` when it can
 * forget what it derived from there on (`Projection.forgetFrom`), else whole; the caller applies the batch
 * to the others. Measured without gain at 1 M entries (CPU time), so not done: dropping the indexes no
 * projection reads and creating them after (their keys mostly arrive in order), and a 256 MB page cache
 * instead of the connection's 32 MB.
 */
export const replayProjections = (
  db: Database.Database,
  projections: readonly Projection[],
  from?: OrderKey,
  onProgress?: (done: number) => void,
): number => {
  if (from === undefined) {
    for (const projection of projections) for (const table of projection.tables) emptyTable(db, table);
    return replayFrom(db, db, projections, undefined, onProgress);
  }
  const ordered = projections.filter((p) => p.order !== 'any');
  const whole = new Set(ordered.filter((p) => p.forgetFrom?.(db, from) !== true));
  for (const projection of whole) for (const table of projection.tables) emptyTable(db, table);
  return replayFrom(db, db, ordered, { from, whole });
};

/**
 * Projects events just inserted (sorted in projection order) after `before`, the last event projected until
 * then: incrementally when they all sort after it, else by replaying the order-sensitive projections
 * (`replayProjections` with `from`) and applying them to the others. Returns whether it replayed.
 */
export const projectInserted = (
  db: Database.Database,
  projections: readonly Projection[],
  inserted: readonly StoredEvent[],
  before: OrderKey | undefined,
): boolean => {
  const first = inserted[0];
  const late = first !== undefined && before !== undefined && compareOrder(first, before) < 0;
  const incremental = late ? projections.filter((p) => p.order === 'any') : projections;
  const projector = createProjector(db, incremental);
  for (const event of inserted) projector.apply(event);
  projector.finish();
  if (late) replayProjections(db, projections, first);
  return late;
};
