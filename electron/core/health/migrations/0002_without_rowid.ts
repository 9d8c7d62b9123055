import type { Migration } from '../../store/types.js';

/**
 * health 2: both tables WITHOUT ROWID, same columns and rows. The projection is order-free (`order: 'any'`,
 * store/types.ts): each event changes only its own position's row, and a manual call is keyed by its own
 * id, so a remote batch that sorts before what is projected is applied to it as it comes instead of
 * replaying it from the first event of the log (it reads every `logbook.entry`). An implicit rowid would
 * follow arrival order and differ between positions; without one the rows are the same everywhere
 * (https://sqlite.org/withoutrowid.html).
 */
export const migration: Migration = {
  version: 2,
  name: 'without_rowid',
  up(db) {
    db.exec(`
      CREATE TABLE health_state_new (
        origin TEXT PRIMARY KEY,
        phase TEXT NOT NULL CHECK (phase IN ('nominal', 'degraded', 'recovering')),
        since INTEGER,
        faults TEXT NOT NULL,
        restored_at INTEGER,
        acknowledged_at INTEGER,
        acknowledged_by TEXT,
        entries INTEGER NOT NULL DEFAULT 0,
        manual_calls INTEGER NOT NULL DEFAULT 0
      ) STRICT, WITHOUT ROWID;
      INSERT INTO health_state_new SELECT origin, phase, since, faults, restored_at, acknowledged_at,
        acknowledged_by, entries, manual_calls FROM health_state;
      DROP TABLE health_state;
      ALTER TABLE health_state_new RENAME TO health_state;

      CREATE TABLE health_manual_calls_new (
        id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,
        origin TEXT NOT NULL,
        taken_at INTEGER NOT NULL,
        line TEXT NOT NULL,
        caller_number TEXT NOT NULL,
        nature TEXT NOT NULL,
        notes TEXT NOT NULL,
        means TEXT NOT NULL,
        author TEXT NOT NULL,
        position TEXT NOT NULL,
        outage_since INTEGER,
        recorded_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      INSERT INTO health_manual_calls_new SELECT id, event_id, origin, taken_at, line, caller_number, nature, notes,
        means, author, position, outage_since, recorded_at FROM health_manual_calls;
      DROP TABLE health_manual_calls;
      ALTER TABLE health_manual_calls_new RENAME TO health_manual_calls;
      CREATE INDEX health_manual_calls_taken ON health_manual_calls (taken_at);
    `);
  },
};
