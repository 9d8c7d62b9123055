/**
 * Keys and checkpoints as tables, for the console and the exports to find the latest ones in O(log n).
 * They are derived data like any projection: `vigie verify` checks the signatures from the events
 * themselves (verify.ts), never from these tables, and compares these tables with a rebuild.
 */
import type Database from 'better-sqlite3';
import type { Projection, StoredEvent } from '../store/types.js';
import { cachedStatement } from '../store/statements.js';
import { CHECKPOINT, KEY_REGISTERED, type CheckpointPayload, type KeyRegisteredPayload } from './events.js';

const apply = (db: Database.Database, event: StoredEvent): void => {
  if (event.type === KEY_REGISTERED) {
    const k = event.payload as KeyRegisteredPayload;
    cachedStatement(
      db,
      'INSERT OR IGNORE INTO trust_keys (origin, key_id, public_key, previous_key_id, event_seq, registered_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(event.origin, k.keyId, k.publicKey, k.previousKeyId, event.seq, k.registeredAt);
  } else if (event.type === CHECKPOINT) {
    const c = event.payload as CheckpointPayload;
    cachedStatement(
      db,
      'INSERT OR IGNORE INTO trust_checkpoints (event_id, origin, event_seq, seq, head_hash, key_id, time, reason, merkle_root, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      event.id,
      event.origin,
      event.seq,
      c.seq,
      c.headHash,
      c.keyId,
      c.time,
      c.reason,
      c.merkleRoot ?? null,
      c.signature,
    );
  }
};

export const trustProjection: Projection = {
  name: 'trust',
  tables: ['trust_checkpoints', 'trust_keys'],
  apply,
  eventTypes: [KEY_REGISTERED, CHECKPOINT],
};

export interface KeyRow {
  origin: string;
  key_id: string;
  public_key: string;
  previous_key_id: string | null;
  event_seq: number;
  registered_at: string;
}

export interface CheckpointRow {
  event_id: string;
  origin: string;
  event_seq: number;
  seq: number;
  head_hash: string;
  key_id: string;
  time: string;
  reason: string;
  merkle_root: string | null;
  signature: string;
}

/** The key of `origin` registered last (its current key), or undefined. */
export const currentKeyRow = (db: Database.Database, origin: string): KeyRow | undefined =>
  db.prepare('SELECT * FROM trust_keys WHERE origin = ? ORDER BY event_seq DESC LIMIT 1').get(origin) as
    KeyRow | undefined;

export const keyRow = (db: Database.Database, origin: string, keyId: string): KeyRow | undefined =>
  db.prepare('SELECT * FROM trust_keys WHERE origin = ? AND key_id = ?').get(origin, keyId) as KeyRow | undefined;

export const keyRows = (db: Database.Database, origin: string): KeyRow[] =>
  db.prepare('SELECT * FROM trust_keys WHERE origin = ? ORDER BY event_seq').all(origin) as KeyRow[];

export const latestCheckpointRow = (db: Database.Database, origin: string): CheckpointRow | undefined =>
  db.prepare('SELECT * FROM trust_checkpoints WHERE origin = ? ORDER BY event_seq DESC LIMIT 1').get(origin) as
    CheckpointRow | undefined;
