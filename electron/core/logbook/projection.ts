import type Database from 'better-sqlite3';
import { parseHlc } from '../store/hlc.js';
import type { Projection, StoredEvent } from '../store/types.js';
import { LOGBOOK_ENTRY, type LogbookEntryPayload } from './events.js';

const statements = new WeakMap<Database.Database, Database.Statement>();

/** The statement is prepared once per connection: apply() runs inside every append. */
const insertFor = (db: Database.Database): Database.Statement => {
  let statement = statements.get(db);
  if (statement === undefined) {
    statement = db.prepare(
      'INSERT INTO logbook_entries (event_id, origin, seq, hlc, at_ms, author, category, text, corrects_id) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    statements.set(db, statement);
  }
  return statement;
};

/** logbook_entries (migration 0002): one row per `logbook.entry` event. */
export const logbookProjection: Projection = {
  name: 'logbook',
  tables: ['logbook_entries'],
  apply(db, event: StoredEvent) {
    if (event.type !== LOGBOOK_ENTRY) return;
    // The payload was validated by logbookEntryPayload when it was appended (here or on its origin).
    const payload = event.payload as LogbookEntryPayload;
    const atMs = parseHlc(event.hlc)?.l ?? 0;
    insertFor(db).run(event.id, event.origin, event.seq, event.hlc, atMs, event.author, payload.category, payload.text, payload.correctsId ?? null);
  },
};
