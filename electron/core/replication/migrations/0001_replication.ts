import type { Migration } from '../../store/types.js';

/**
 * The replication module's own local state (not projections: they are not derived from events):
 * the read cursor on the central log, the server's receive time of every applied remote event, and the
 * quarantine of received events that do not chain (docs/architecture.md, "Replication").
 */
export const migration: Migration = {
  version: 1,
  name: 'replication',
  up(db) {
    db.exec(`
      CREATE TABLE replication_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE replication_received (
        origin TEXT NOT NULL,
        seq INTEGER NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (origin, seq)
      ) STRICT;

      CREATE TABLE replication_quarantine (
        origin TEXT NOT NULL,
        seq INTEGER NOT NULL,
        id TEXT NOT NULL,
        hlc TEXT NOT NULL,
        type TEXT NOT NULL,
        author TEXT NOT NULL,
        payload TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        received_at TEXT NOT NULL,
        problem TEXT NOT NULL,
        message TEXT NOT NULL,
        quarantined_at INTEGER NOT NULL,
        PRIMARY KEY (origin, seq, hash)
      ) STRICT;
    `);
  },
};
