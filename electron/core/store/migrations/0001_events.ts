import type { Migration } from '../types.js';

/**
 * The event log (docs/architecture.md, rules 1–2), the per-origin chain heads, the persisted HLC and the meta table.
 * STRICT tables (https://sqlite.org/stricttables.html) so that a stored value always has its declared type.
 */
export const migration: Migration = {
  version: 1,
  name: 'events',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE events (
        origin TEXT NOT NULL,
        seq INTEGER NOT NULL CHECK (seq >= 1),
        id TEXT NOT NULL,
        hlc TEXT NOT NULL,
        type TEXT NOT NULL,
        author TEXT NOT NULL,
        payload TEXT NOT NULL CHECK (json_valid(payload)),
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        PRIMARY KEY (origin, seq)
      ) STRICT;
      CREATE UNIQUE INDEX events_id ON events (id);

      -- Append-only (docs/architecture.md, rule 2): corrections are new events. https://sqlite.org/lang_createtrigger.html#raise
      CREATE TRIGGER events_no_update BEFORE UPDATE ON events
      BEGIN SELECT RAISE(ABORT, 'events est en ajout seul : modification refusée'); END;
      CREATE TRIGGER events_no_delete BEFORE DELETE ON events
      BEGIN SELECT RAISE(ABORT, 'events est en ajout seul : suppression refusée'); END;

      -- Last event of each origin's chain: lets verify notice a chain cut at its end.
      CREATE TABLE heads (
        origin TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        id TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;

      -- The database's hybrid logical clock, written in the same transaction as the events it stamps.
      CREATE TABLE clock (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        l INTEGER NOT NULL,
        c INTEGER NOT NULL
      ) STRICT;
      INSERT INTO clock (id, l, c) VALUES (1, 0, 0);
    `);
  },
};
