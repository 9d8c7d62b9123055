/**
 * Checks that modules declare on their own event types for events received from other positions (README
 * "Remote events"; docs/architecture.md, "Replication"). A check runs after the event's chain link and
 * payload passed, inside applyRemote's transaction; it sees the log as it stood before the batch and the
 * events accepted earlier in the same batch. A refusal is treated like a broken link: the event and the
 * later ones of its origin are refused, never inserted. What a check verifies (a signature, a checkpoint)
 * belongs to the module that declares it: the store knows only that it is asked.
 */
import type Database from 'better-sqlite3';
import type { RemoteEvent, RemoteProblem } from './types.js';

export interface RemoteCheckContext {
  /** For reads only: the log and the projections as they stood before this batch. */
  readonly db: Database.Database;
  /** The event at (origin, seq): accepted earlier in this batch, or in the log. */
  eventAt(origin: string, seq: number): RemoteEvent | undefined;
  /** The events of `origin` accepted earlier in this batch, in seq order. */
  batchOf(origin: string): readonly RemoteEvent[];
}

export interface RemoteCheckRefusal {
  problem: RemoteProblem;
  /** French, for the technician. */
  message: string;
}

/** undefined: accepted. Synchronous, no await: it runs inside the transaction. */
export type RemoteCheck = (ctx: RemoteCheckContext, event: RemoteEvent) => RemoteCheckRefusal | undefined;

/** The declared checks by event type (declarations.ts `buildRemoteChecks`). */
export type RemoteChecks = ReadonlyMap<string, RemoteCheck>;

/**
 * What checkRemote asks for each event whose link passed, over the events it has `accepted` so far (grouped
 * by origin in seq order, appended to as it goes). Types without a check cost one map lookup.
 */
export const remoteChecker = (
  db: Database.Database,
  checks: RemoteChecks | undefined,
  accepted: readonly RemoteEvent[],
): ((event: RemoteEvent) => [RemoteProblem, string] | undefined) => {
  if (checks === undefined || checks.size === 0) return () => undefined;
  const byOrigin = new Map<string, RemoteEvent[]>();
  let indexed = 0;
  let selectAt: Database.Statement | undefined;
  const batchOf = (origin: string): readonly RemoteEvent[] => {
    for (; indexed < accepted.length; indexed += 1) {
      const e = accepted[indexed];
      if (e === undefined) continue;
      const list = byOrigin.get(e.origin);
      if (list === undefined) byOrigin.set(e.origin, [e]);
      else list.push(e);
    }
    return byOrigin.get(origin) ?? [];
  };
  const eventAt = (origin: string, seq: number): RemoteEvent | undefined => {
    const batch = batchOf(origin);
    const first = batch[0];
    // An origin's accepted events are contiguous in seq (each one is the next link of the previous one).
    if (first !== undefined && seq >= first.seq) return batch[seq - first.seq];
    selectAt ??= db.prepare(
      `SELECT origin, seq, id, hlc, type, author, payload AS payloadJson, prev_hash AS prevHash, hash
       FROM events WHERE origin = ? AND seq = ?`,
    );
    return selectAt.get(origin, seq) as RemoteEvent | undefined; // the columns are aliased to RemoteEvent's fields
  };
  const ctx: RemoteCheckContext = { db, eventAt, batchOf };
  return (event) => {
    const check = checks.get(event.type);
    if (check === undefined) return undefined;
    const refused = check(ctx, event);
    return refused === undefined ? undefined : [refused.problem, refused.message];
  };
};
