import type { Migration } from '../../store/types.js';

/**
 * logbook 1 (was the store's 0002 until the per-module registries): the minimal logbook projection (electron/core/logbook/). `entry_no` is the rowid alias, in append order,
 * usable later as the content rowid of an FTS5 index. No AUTOINCREMENT: rebuild must give the same numbers.
 */
export const migration: Migration = {
  version: 1,
  name: 'logbook_entries',
  up(db) {
    db.exec(`
      CREATE TABLE logbook_entries (
        entry_no INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,
        origin TEXT NOT NULL,
        seq INTEGER NOT NULL,
        hlc TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        author TEXT NOT NULL,
        category TEXT NOT NULL,
        text TEXT NOT NULL,
        corrects_id TEXT
      ) STRICT;
      CREATE INDEX logbook_entries_hlc ON logbook_entries (hlc);
    `);
  },
};
