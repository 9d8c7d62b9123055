import type { Migration } from '../../store/types.js';

/** drills 1: the drills and their timeline marks (electron/core/drills/projection.ts). Times in ms (UTC). */
export const migration: Migration = {
  version: 1,
  name: 'drills',
  up(db) {
    db.exec(`
      CREATE TABLE drills (
        id TEXT PRIMARY KEY,
        origin TEXT NOT NULL,
        scenario TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('simulated', 'observed')),
        started_at INTEGER NOT NULL,
        started_by TEXT NOT NULL,
        started_seq INTEGER NOT NULL,
        ended_at INTEGER,
        ended_by TEXT,
        ended_seq INTEGER
      ) STRICT;
      CREATE INDEX drills_started ON drills (started_at);
      CREATE TABLE drill_marks (
        drill_id TEXT NOT NULL REFERENCES drills (id),
        mark TEXT NOT NULL,
        at INTEGER NOT NULL,
        event_id TEXT,
        PRIMARY KEY (drill_id, mark)
      ) STRICT;
    `);
  },
};
