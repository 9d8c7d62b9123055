import type { Migration } from '../../store/types.js';

/**
 * The countersignatures of every witness, one row per checkpoint countersigned (witness-projection.ts),
 * with the subject's signed checkpoint as the witness quoted it: what equivocation.ts compares with this log and between witnesses to find a position that showed two histories.
 */
export const migration: Migration = {
  version: 2,
  name: 'trust witness countersignatures',
  up(db) {
    db.exec(`
      CREATE TABLE trust_witness (
        witness TEXT NOT NULL,
        checkpoint_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        event_seq INTEGER NOT NULL,
        subject TEXT NOT NULL,
        seq INTEGER NOT NULL,
        head_hash TEXT NOT NULL,
        key_id TEXT NOT NULL,
        time TEXT NOT NULL,
        checkpoint_time TEXT NOT NULL,
        checkpoint_key_id TEXT NOT NULL,
        checkpoint_reason TEXT NOT NULL,
        checkpoint_merkle_root TEXT,
        checkpoint_signature TEXT NOT NULL,
        PRIMARY KEY (witness, checkpoint_id, event_id)
      ) STRICT;
      CREATE INDEX trust_witness_subject ON trust_witness (subject, seq, head_hash);
    `);
  },
};
