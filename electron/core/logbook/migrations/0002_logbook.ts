import type { Migration } from '../../store/types.js';

/**
 * logbook 2 (was the store's 0004): the full main courante (electron/core/logbook/). Adds to `logbook_entries` the per-day number,
 * the fact time, the links and the event hash; the FTS5 index; and the users, sessions, shifts and
 * operations projections. Frozen once released: later changes go in a new migration.
 */
export const migration: Migration = {
  version: 2,
  name: 'logbook',
  up(db) {
    db.exec(`
      ALTER TABLE logbook_entries ADD COLUMN day TEXT NOT NULL DEFAULT '';
      ALTER TABLE logbook_entries ADD COLUMN day_no INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE logbook_entries ADD COLUMN position TEXT NOT NULL DEFAULT '';
      ALTER TABLE logbook_entries ADD COLUMN role TEXT;
      ALTER TABLE logbook_entries ADD COLUMN fact_ms INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE logbook_entries ADD COLUMN important INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE logbook_entries ADD COLUMN kind TEXT NOT NULL DEFAULT 'entry';
      ALTER TABLE logbook_entries ADD COLUMN operation_id TEXT;
      ALTER TABLE logbook_entries ADD COLUMN call_id TEXT;
      ALTER TABLE logbook_entries ADD COLUMN shift_id TEXT;
      ALTER TABLE logbook_entries ADD COLUMN event_hash TEXT NOT NULL DEFAULT '';

      -- Entries written before this migration: number them as the projection would (day in Nouméa,
      -- UTC+11 without daylight saving, in append order per position), so that no rebuild is needed.
      UPDATE logbook_entries SET day = date(at_ms / 1000, 'unixepoch', '+11 hours'), fact_ms = at_ms,
        event_hash = coalesce((SELECT hash FROM events WHERE events.id = logbook_entries.event_id), '');
      UPDATE logbook_entries SET day_no = (
        SELECT count(*) FROM logbook_entries AS e
        WHERE e.origin = logbook_entries.origin AND e.day = logbook_entries.day AND e.entry_no <= logbook_entries.entry_no);

      CREATE UNIQUE INDEX logbook_entries_day_no ON logbook_entries (origin, day, day_no);
      CREATE INDEX logbook_entries_at ON logbook_entries (at_ms);
      CREATE INDEX logbook_entries_category ON logbook_entries (category, entry_no);
      CREATE INDEX logbook_entries_author ON logbook_entries (author, entry_no);
      CREATE INDEX logbook_entries_operation ON logbook_entries (operation_id, entry_no) WHERE operation_id IS NOT NULL;
      CREATE INDEX logbook_entries_shift ON logbook_entries (shift_id, entry_no) WHERE shift_id IS NOT NULL;
      CREATE INDEX logbook_entries_important ON logbook_entries (entry_no) WHERE important = 1;

      -- Corrections by the entry they correct (the "corrected by" link, both ways with corrects_id).
      CREATE TABLE logbook_corrections (
        corrects_id TEXT NOT NULL,
        entry_no INTEGER NOT NULL,
        PRIMARY KEY (corrects_id, entry_no)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO logbook_corrections (corrects_id, entry_no)
        SELECT corrects_id, entry_no FROM logbook_entries WHERE corrects_id IS NOT NULL;

      -- Full-text index of the entry texts, rowid = entry_no. Contentless (the text is already in
      -- logbook_entries) with contentless_delete=1 so that rebuild's DELETE works
      -- (https://sqlite.org/fts5.html#contentless_delete_tables); remove_diacritics 2 folds accents so
      -- that "depart" finds "Départ" (https://sqlite.org/fts5.html#unicode61_tokenizer).
      CREATE VIRTUAL TABLE logbook_fts USING fts5(
        text, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
      );
      INSERT INTO logbook_fts (rowid, text) SELECT entry_no, text FROM logbook_entries;

      CREATE TABLE users (
        name_key TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        pin_hash TEXT,
        enrolled_ms INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE sessions (
        session_id TEXT PRIMARY KEY,
        origin TEXT NOT NULL,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        position TEXT NOT NULL,
        signed_in_ms INTEGER NOT NULL,
        signed_out_ms INTEGER
      ) STRICT;
      CREATE INDEX sessions_open ON sessions (origin, signed_in_ms) WHERE signed_out_ms IS NULL;

      CREATE TABLE shifts (
        shift_id TEXT PRIMARY KEY,
        origin TEXT NOT NULL,
        team TEXT NOT NULL CHECK (json_valid(team)),
        opened_by TEXT NOT NULL,
        opened_ms INTEGER NOT NULL,
        closed_by TEXT,
        closed_ms INTEGER,
        handover TEXT CHECK (handover IS NULL OR json_valid(handover))
      ) STRICT;
      CREATE INDEX shifts_opened ON shifts (opened_ms);

      CREATE TABLE operations (
        operation_id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        type TEXT NOT NULL,
        commune_id TEXT NOT NULL,
        commune TEXT NOT NULL,
        province TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('ouverte', 'close')),
        created_by TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        closed_by TEXT,
        closed_ms INTEGER
      ) STRICT;
      CREATE INDEX operations_status ON operations (status, created_ms);
    `);
  },
};
