import type { Migration } from '../../store/types.js';

/** The keys and checkpoints of every origin, derived from the trust events (projection.ts). */
export const migration: Migration = {
  version: 1,
  name: 'trust keys and checkpoints',
  up(db) {
    db.exec(`
      CREATE TABLE trust_keys (
        origin TEXT NOT NULL,
        key_id TEXT NOT NULL,
        public_key TEXT NOT NULL,
        previous_key_id TEXT,
        event_seq INTEGER NOT NULL,
        registered_at TEXT NOT NULL,
        PRIMARY KEY (origin, key_id)
      ) STRICT;
      CREATE TABLE trust_checkpoints (
        event_id TEXT PRIMARY KEY,
        origin TEXT NOT NULL,
        event_seq INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        head_hash TEXT NOT NULL,
        key_id TEXT NOT NULL,
        time TEXT NOT NULL,
        reason TEXT NOT NULL,
        merkle_root TEXT,
        signature TEXT NOT NULL
      ) STRICT;
      CREATE INDEX trust_checkpoints_origin ON trust_checkpoints (origin, event_seq);
    `);
  },
};
