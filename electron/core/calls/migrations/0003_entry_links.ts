import type { Migration } from '../../store/types.js';

/**
 * calls 3: the entries written during a call get their own table, `call_entry_links`, kept by an order-free
 * projection (projection.ts `entryLinksProjection`, `order: 'any'` in store/types.ts). Until now the calls
 * projection read every `logbook.entry` to find the few with a callId; being order-sensitive, it was
 * replayed from the first event of the log for each remote batch that sorts before what is projected, and
 * read the whole main courante each time (seconds at 1 M entries, the main process held). The new table
 * has no reference to `calls`: a link whose call is unknown here is kept, and hidden by the reads, which
 * join `calls` (queries.ts). `call_links` keeps what `call.linked` wrote, as a rebuild gives it now.
 * Filled from the log so that an upgraded database holds what a rebuild gives; `at` is the HLC's
 * milliseconds (store/hlc.ts: 15 digits, a dash, a 5-digit counter).
 */
export const migration: Migration = {
  version: 3,
  name: 'entry_links',
  up(db) {
    db.exec(`
      CREATE TABLE call_entry_links (
        call_id TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        author TEXT NOT NULL,
        PRIMARY KEY (call_id, entry_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX call_entry_links_entry ON call_entry_links (entry_id);
      INSERT OR IGNORE INTO call_entry_links (call_id, entry_id, at, author)
        SELECT json_extract(payload, '$.callId'), id, CAST(substr(hlc, 1, 15) AS INTEGER), author
        FROM events
        WHERE type = 'logbook.entry' AND typeof(json_extract(payload, '$.callId')) = 'text'
          AND length(json_extract(payload, '$.callId')) BETWEEN 1 AND 64;

      DELETE FROM call_links WHERE kind = 'entry';
      INSERT OR IGNORE INTO call_links (call_id, kind, target_id, at, author)
        SELECT json_extract(payload, '$.callId'), 'entry', json_extract(payload, '$.targetId'),
          json_extract(payload, '$.at'), author
        FROM events
        WHERE type = 'call.linked' AND json_extract(payload, '$.kind') = 'entry'
          AND json_extract(payload, '$.callId') IN (SELECT id FROM calls)
        ORDER BY hlc, origin, seq;
    `);
  },
};
