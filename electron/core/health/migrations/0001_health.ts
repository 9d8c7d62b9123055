import type { Migration } from '../../store/types.js';

/**
 * health 1: the current state of each position (one row per origin, from the health.* events) and the
 * calls taken on backup means (call.manual). Times are ms since epoch (UTC). Frozen once released.
 */
export const migration: Migration = {
  version: 1,
  name: 'health',
  up(db) {
    db.exec(`
      CREATE TABLE health_state (
        origin TEXT PRIMARY KEY,
        phase TEXT NOT NULL CHECK (phase IN ('nominal', 'degraded', 'recovering')),
        since INTEGER,
        faults TEXT NOT NULL,
        restored_at INTEGER,
        acknowledged_at INTEGER,
        acknowledged_by TEXT,
        entries INTEGER NOT NULL DEFAULT 0,
        manual_calls INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE TABLE health_manual_calls (
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
      ) STRICT;
      CREATE INDEX health_manual_calls_taken ON health_manual_calls (taken_at);
    `);
  },
};
