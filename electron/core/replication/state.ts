/**
 * The replication module's local tables (migrations/0001_replication.ts): cursor, receive times and
 * quarantine, written inside the same transaction as the events they describe (Store.applyRemote's
 * `within`), so that a position killed at any moment resumes exactly where its log stands.
 */
import type Database from 'better-sqlite3';
import type { RemoteApplyResult } from '../store/types.js';
import { formatCursor, parseCursor, START, type Cursor, type PulledEvent } from './central/client.js';

const stateValue = (db: Database.Database, key: string): string | undefined =>
  (db.prepare('SELECT value FROM replication_state WHERE key = ?').get(key) as { value: string } | undefined)?.value;

/**
 * The cursor, valid only on the server it was read from: after moving to another server of the list (a
 * promoted standby), transactions the old primary had not yet shipped are missing there and their txids
 * will be reused, so reading resumes from the start — what is already in the log counts as a duplicate.
 */
export const readCursor = (db: Database.Database, server: string): Cursor =>
  stateValue(db, 'cursor_server') === server ? parseCursor(stateValue(db, 'cursor')) : START;

export const quarantineCount = (db: Database.Database): number =>
  db.prepare('SELECT count(*) AS n FROM replication_quarantine').pluck().get() as number;

/** Runs inside applyRemote's transaction: the cursor moves with the events it covers. */
export const recordPull =
  (events: readonly PulledEvent[], cursor: Cursor, server: string, now: number) =>
  (db: Database.Database, result: RemoteApplyResult): void => {
    const set = db.prepare(
      'INSERT INTO replication_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    set.run('cursor', formatCursor(cursor));
    set.run('cursor_server', server);
    // Event ids are unique (UUIDv7, one per event everywhere), so they key the receive times.
    const receivedAt = new Map(events.map((e) => [e.id, e.receivedAt]));
    // One statement for the page (https://sqlite.org/json1.html#jeach) rather than one per event.
    db.prepare(
      `INSERT OR IGNORE INTO replication_received (origin, seq, received_at)
       SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?)`,
    ).run(JSON.stringify(result.applied.map((e) => [e.origin, e.seq, receivedAt.get(e.id) ?? ''])));
    const quarantine = db.prepare(
      `INSERT OR IGNORE INTO replication_quarantine (origin, seq, id, hlc, type, author, payload, prev_hash, hash,
         received_at, problem, message, quarantined_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const { event: e, problem, message } of result.refused) {
      quarantine.run(
        e.origin,
        e.seq,
        e.id,
        e.hlc,
        e.type,
        e.author,
        e.payloadJson,
        e.prevHash,
        e.hash,
        receivedAt.get(e.id) ?? '',
        problem,
        message,
        now,
      );
    }
  };
