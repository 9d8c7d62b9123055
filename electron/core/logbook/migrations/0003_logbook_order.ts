import type { Migration } from '../../store/types.js';

/**
 * logbook 3 (was the store's 0005): fast search with filters and date ranges in the main courante.
 *
 * The FTS5 index gets a second column, `meta`, holding one token per filterable value of the entry
 * (category, author, operation, shift, importance: see electron/core/logbook/meta.ts). A search with
 * filters is then a single FTS5 query (`text : (…) AND meta : (…)`), whose doclist intersection runs
 * inside SQLite instead of checking candidates one by one (https://sqlite.org/fts5.html#fts5_column_filters).
 *
 * Date ranges: `ooo` ("out of order") marks an entry whose time written
 * is earlier than that of an entry numbered before it (only replicated events can do that: local HLC
 * times never go back). In-order entries have non-decreasing times, so a date range maps to an
 * entry_no range with two index seeks; the few out-of-order ones are looked up by their own index.
 */
export const migration: Migration = {
  version: 3,
  name: 'logbook_order',
  up(db) {
    db.exec(`
      ALTER TABLE logbook_entries ADD COLUMN ooo INTEGER NOT NULL DEFAULT 0;
      -- Running maximum of the time written over the previous entries (window function,
      -- https://sqlite.org/windowfunctions.html); UPDATE … FROM needs SQLite ≥ 3.33.
      UPDATE logbook_entries SET ooo = 1 FROM (
        SELECT entry_no AS n, at_ms AS t,
          max(at_ms) OVER (ORDER BY entry_no ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous
        FROM logbook_entries
      ) AS r WHERE logbook_entries.entry_no = r.n AND r.t < r.previous;
      CREATE INDEX logbook_entries_in_order ON logbook_entries (at_ms) WHERE ooo = 0;
      CREATE INDEX logbook_entries_out_of_order ON logbook_entries (at_ms) WHERE ooo = 1;

      -- Same tokenizer as 0004; meta tokens are the hex of the value's UTF-8 bytes behind a one-letter
      -- tag: letters and digits only, so one token each, exact and never mistaken for a typed word.
      DROP TABLE logbook_fts;
      CREATE VIRTUAL TABLE logbook_fts USING fts5(
        text, meta, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
      );
      INSERT INTO logbook_fts (rowid, text, meta)
        SELECT entry_no, text,
          'k' || hex(category) || ' a' || hex(author) || CASE WHEN important = 1 THEN ' imp1' ELSE ' imp0' END
            || coalesce(' o' || hex(operation_id), '') || coalesce(' s' || hex(shift_id), '')
        FROM logbook_entries;
    `);
  },
};
