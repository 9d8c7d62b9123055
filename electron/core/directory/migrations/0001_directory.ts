import type { Migration } from '../../store/types.js';

/**
 * directory 1: the partner services as the directory.* events leave them. `search` holds the name, service
 * label and notes lower-cased without accents, and the number's digits, so that a LIKE finds « gend » in
 * « Gendarmerie » and « 2700 » in « +687 27 00 00 » (see projection.ts for why not FTS5). A speed-dial key
 * belongs to one entry at most. Frozen once released.
 */
export const migration: Migration = {
  version: 1,
  name: 'directory',
  up(db) {
    db.exec(`
      CREATE TABLE directory_entries (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        category TEXT NOT NULL,
        number TEXT NOT NULL,
        notes TEXT NOT NULL,
        speed_dial INTEGER UNIQUE CHECK (speed_dial BETWEEN 1 AND 9),
        search TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        updated_by TEXT NOT NULL
      ) STRICT;
      CREATE INDEX directory_entries_name ON directory_entries (name_key);
    `);
  },
};
