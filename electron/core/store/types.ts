import type Database from 'better-sqlite3';
import type { z } from 'zod';
import type { RemoteCheck } from './remote-checks.js';

/** One event as stored in `events` (docs/architecture.md, rule 1). */
export interface StoredEvent<P = unknown> {
  origin: string;
  seq: number;
  /** UUIDv7 (RFC 9562). */
  id: string;
  /** Hybrid logical clock, text form of hlc.ts. */
  hlc: string;
  type: string;
  author: string;
  payload: P;
  prevHash: string;
  hash: string;
}

/** One event type: its name (e.g. 'logbook.entry', 'call.offered') and the zod schema of its payload. */
export interface EventTypeDef {
  type: string;
  schema: z.ZodType;
  /** Run on an event of this type received from another position, once its chain link passed (remote-checks.ts). */
  remoteCheck?: RemoteCheck;
}

/** A projection: tables derived from events, updated inside the append transaction. */
export interface Projection {
  name: string;
  /** Emptied by rebuild, in this order. */
  tables: readonly string[];
  /** Synchronous, no await: runs inside the append (or rebuild) transaction. */
  apply(db: Database.Database, event: StoredEvent): void;
  /**
   * The event types `apply` reads; it is given no other (replay.ts routes each event only where it is read,
   * and a payload no projection reads is never parsed). Absent: every event. An `apply` that acts on a type
   * missing here is a bug that a rebuild would show (upgrade.test.ts).
   */
  eventTypes?: readonly string[];
  /**
   * Whether its tables depend on the order in which events of different origins are applied
   * (docs/architecture.md, "Conflicts by construction"). 'any': applying any set of events, each origin's in
   * seq order, gives the same rows whatever the interleaving (e.g. INSERT OR IGNORE of the event's own
   * fields) — rowids included: its tables are WITHOUT ROWID or take their INTEGER PRIMARY KEY from the event,
   * since an implicit rowid follows insertion order — and `apply` reads no table but its own; a remote batch that sorts before what is projected is
   * then applied to it incrementally instead of replaying it. Absent or 'hlc': replayed in (HLC, origin,
   * seq) order, from the first out-of-order event when it declares `forgetFrom`, else from the start.
   */
  order?: 'any' | 'hlc';
  /**
   * Optional, for an 'hlc' projection: removes what it derived from the events at or after `from` in
   * projection order, so that replaying only those events gives exactly the tables of a full replay.
   * Returns false when it cannot (the store then replays it whole).
   */
  forgetFrom?(db: Database.Database, from: ProjectionKey): boolean;
  /**
   * Optional: one run over several events inside one transaction — an append transaction, a remote batch, a
   * replay (replay.ts `createProjector`). The run may keep in memory what it would otherwise read back for
   * every event (the next number of the day, the latest time written), since within the transaction only
   * this projection writes its tables. Its `apply` must give exactly what `apply` gives event by event.
   * `replay`: the run is a full replay into emptied tables (rebuild, verify's scratch copy, a remote batch
   * out of order when it has no `forgetFrom`), so what does not depend on event order may be written once at
   * its `end`. A replay from `forgetFrom` is not one: its tables keep what sorts before.
   */
  begin?(db: Database.Database, replay: boolean): ProjectionRun;
  /**
   * FTS5 tables of this projection created with `automerge = 0`, whose segment merges the store's
   * background worker runs instead of the appends (checkpointer.ts; logbook migration 4).
   */
  ftsMergeTables?: readonly string[];
}

/** A position in projection order (store/replay.ts `compareOrder`). */
export interface ProjectionKey {
  hlc: string;
  origin: string;
  seq: number;
}

export interface ProjectionRun {
  apply(event: StoredEvent): void;
  /** Once the run's last event is applied, inside the same transaction. */
  end?(): void;
}

export interface StoreOptions {
  /** Database at <dataDir>/vigie.db, backups in <dataDir>/backups/. */
  dataDir: string;
  /**
   * Every capability module's schema part: event types, projections (applied in this order) and
   * migrations. The store adds its own (`clock.skew`, the events tables) before them.
   */
  modules: readonly ModuleSchema[];
  /** Injectable wall clock (ms since epoch) for the HLC and UUIDv7 timestamps. */
  now?: () => number;
  /**
   * Online backups: scheduled every `intervalMs` (default 15 min; 0 = no schedule), keeping the `keep` newest
   * (default 10). `false`: no schedule, default rotation for on-demand backups.
   */
  backup?: { intervalMs?: number; keep?: number; onError?: (error: Error) => void } | false;
  /**
   * WAL checkpoints: 'background' (default) in a worker thread, off the append path; 'inline': SQLite's
   * automatic checkpoint inside the COMMIT that crosses 1000 pages (see checkpointer.ts).
   */
  checkpoint?: 'background' | 'inline';
  /**
   * quick_check at open. 'full' (default): every page, before anything is written. 'log': only the store's
   * own tables before opening (fast), then the whole file in a background worker thread; its outcome is
   * `integrity()` and, on a problem, `onIntegrityError` (default: stderr).
   */
  startupCheck?: 'full' | 'log';
  onIntegrityError?: (message: string) => void;
  /** A clock (local or remote) more than this ahead of `now()` is recorded as a `clock.skew` event. Default 60 000. */
  maxClockSkewMs?: number;
}

export type VerifyProblem = 'altered' | 'missing' | 'reordered' | 'broken-link' | 'truncated' | 'malformed';

export interface VerifyFailure {
  origin: string;
  seq: number;
  /** Id of the event named (empty when the row itself is unreadable). */
  id: string;
  problem: VerifyProblem;
  /** French, for the operator. */
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  /** Events checked (all origins). */
  events: number;
  origins: { origin: string; events: number; headSeq: number; headHash: string }[];
  firstBad?: VerifyFailure;
}

export interface AppendItem {
  type: string;
  payload: unknown;
  author: string;
}

/**
 * An event received from another position (through the central server), exactly as its origin chained it:
 * the payload is the canonical JSON text its hash covers, never re-serialised (README "Remote events").
 */
export interface RemoteEvent {
  origin: string;
  seq: number;
  id: string;
  hlc: string;
  type: string;
  author: string;
  payloadJson: string;
  prevHash: string;
  hash: string;
}

export type RemoteProblem =
  /** Not this build's event type, or a payload its schema refuses, or not in canonical form. */
  | 'invalid'
  /** The recomputed hash differs from the one given (content changed after it was chained). */
  | 'altered'
  /** prev_hash is not the hash of that origin's previous event. */
  | 'broken-link'
  /** seq does not follow that origin's last event (an event before it is missing). */
  | 'missing'
  /** HLC not after that origin's previous event. */
  | 'reordered'
  /** The same (origin, seq) is already in the log with another hash: the origin shows two histories. */
  | 'fork'
  /** An earlier event of the same origin in this batch was refused: this one cannot be chained. */
  | 'after-refused'
  /** A module's check (remote-checks.ts): a signature that does not verify, or not by the key in force. */
  | 'signature'
  /** A module's check: a signed checkpoint whose head hash is not its origin's event at that seq. */
  | 'checkpoint';

export interface RemoteRefusal {
  event: RemoteEvent;
  problem: RemoteProblem;
  /** French, for the technician. */
  message: string;
}

export interface RemoteApplyResult {
  /** Inserted and projected, in projection order (HLC, origin, seq). */
  applied: StoredEvent[];
  /** Already in the log with the same hash (a duplicate is a success). */
  duplicates: number;
  refused: RemoteRefusal[];
  /** true when an applied event sorted before one already projected: the order-sensitive projections were replayed in order. */
  replayed: boolean;
  /** The local HLC after merging the newest applied event's. */
  clock: string;
}

export type IntegrityState = { state: 'ok' } | { state: 'checking' } | { state: 'error'; message: string };

export interface Store {
  /** This position's nodeId (UUID), created at first open and kept in the database. */
  readonly origin: string;
  /** For READ queries by feature modules; writes go only through append. */
  readonly db: Database.Database;
  readonly path: string;
  /** Validates, stamps, chains, writes and projects in one transaction; returns after COMMIT. */
  append<P>(type: string, payload: P, author: string): StoredEvent<P>;
  /** Several events atomically (one transaction); listeners are told after commit. */
  appendAll(items: readonly AppendItem[]): StoredEvent[];
  /**
   * Called after commit, once per event, in append order — remote events applied by `applyRemote` too
   * (their `origin` is not this store's: a listener that appends must not react to another position's).
   */
  onAppend(listener: (event: StoredEvent) => void): () => void;
  /**
   * Applies events received from other positions in ONE transaction: each chain link is checked against
   * that origin's head (seq, prev_hash, recomputed hash, HLC order), each payload against its type's schema
   * and its type's `remoteCheck` if any (remote-checks.ts); accepted events are inserted as they are (origin, seq, id, hlc, hash), projected in (HLC, origin, seq)
   * order — replaying the order-sensitive ones when one sorts before an event already projected —, and the HLC is
   * merged (`clock.skew` when the remote one is far ahead). `within` runs last inside the same transaction
   * (the replication cursor, the quarantine). Refused events are returned, never inserted.
   */
  applyRemote(
    events: readonly RemoteEvent[],
    within?: (db: Database.Database, result: RemoteApplyResult) => void,
  ): RemoteApplyResult;
  count(): number;
  verify(): VerifyReport;
  /**
   * Projections emptied and replayed from events in (HLC, origin, seq) order, in one transaction.
   * `onProgress(done, total)`: every REPLAY_PROGRESS_STEP events replayed, and once with done = total
   * when only the projections' last writes (the full-text index), the commit and the checkpoint remain.
   */
  rebuild(onProgress?: (done: number, total: number) => void): { events: number };
  /** Online backup into <dataDir>/backups/, checked (quick_check + verify), then rotated. */
  backup(): Promise<{ file: string; events: number }>;
  /**
   * Merge a remote HLC (e.g. from a replicated event) into this database's clock, persisted at once.
   * A remote clock far ahead is recorded as a `clock.skew` event. Returns the new local clock.
   */
  receiveClock(remoteHlc: string): string;
  /** Outcome of the full quick_check: 'ok' (done at open, or in the background), 'checking', or the problem found. */
  integrity(): IntegrityState;
  /** Current HLC value (text form), without ticking it. */
  clock(): string;
  close(): void;
}

/** One schema step of a module. `up` runs inside the single transaction that applies all pending ones. */
export interface Migration {
  /** 1, 2, 3… within its module: the version that module's schema has once this step is applied. */
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/**
 * The part of a capability module the store needs (electron/core/kernel/module.ts): its event types, the
 * projections it keeps in the append transaction, and its own migrations, numbered within the module.
 */
export interface ModuleSchema {
  /** Lower-case ASCII, unique: also the key of its schema version in the database. */
  name: string;
  eventTypes: readonly EventTypeDef[];
  projections: readonly Projection[];
  migrations: readonly Migration[];
}
