/**
 * Rattaching an entry written without an operation to one, afterwards (issue 10, item 11). The link is an
 * event of its own and an entry of its own (« Inscription … rattachée à l’opération … »), so the
 * chronology and a printout show when and by whom; the linked entry keeps its text, author and times, and
 * its operation (a projection column, rebuilt from the events: docs/architecture.md, rule 1) is set once.
 */
import type Database from 'better-sqlite3';
import type { LogbookEntry } from '../../contract/logbook.js';
import { VigieError } from '../../contract/result.js';
import { cachedStatement } from '../store/statements.js';
import type { Context } from './context.js';
import { getEntry } from './entries.js';
import { metaText } from './meta.js';
import { getOperation } from './operations.js';
import { requirePermission } from './sessions.js';
import { formatReference } from './time.js';

interface Target {
  entry_no: number;
  text: string;
  category: string;
  author: string;
  important: number;
  operation_id: string | null;
  shift_id: string | null;
  origin: string;
  position: string;
  day: string;
  day_no: number;
}

const target = (db: Database.Database, entryId: string): Target | undefined =>
  cachedStatement(
    db,

    `SELECT entry_no, text, category, author, important, operation_id, shift_id, origin, position, day, day_no
       FROM logbook_entries WHERE event_id = ?`,
  ).get(entryId) as Target | undefined;

/** The text of the link entry, or null when the entry is unknown or already linked (a replayed duplicate). */
export const linkedEntryText = (db: Database.Database, entryId: string, operationId: string): string | null => {
  const t = target(db, entryId);
  if (t === undefined || t.operation_id !== null) return null;
  const op = cachedStatement(db, 'SELECT title FROM operations WHERE operation_id = ?').get(operationId) as
    { title: string } | undefined;
  const reference = formatReference(t.day, t.day_no, t.position !== '' ? t.position : t.origin.slice(0, 8));
  return `Inscription ${reference} rattachée à l’opération « ${op?.title ?? operationId} ».`;
};

/**
 * Sets the entry's operation and its search tokens (`searchLater`: not the tokens, a full replay writes them all at its end). The FTS5 table is contentless with
 * contentless_delete: a row is replaced whole, by DELETE then INSERT (https://sqlite.org/fts5.html#contentless_delete_tables).
 */
export const relinkEntry = (db: Database.Database, entryId: string, operationId: string, searchLater = false): void => {
  const t = target(db, entryId);
  if (t === undefined || t.operation_id !== null) return;
  cachedStatement(db, 'UPDATE logbook_entries SET operation_id = ? WHERE entry_no = ?').run(operationId, t.entry_no);
  // A full replay writes the search rows at its end, from the table (projections.ts `fillSearch`).
  if (searchLater) return;
  cachedStatement(db, 'DELETE FROM logbook_fts WHERE rowid = ?').run(t.entry_no);
  cachedStatement(db, 'INSERT INTO logbook_fts (rowid, text, meta) VALUES (?, ?, ?)').run(
    t.entry_no,
    t.text,
    metaText({
      category: t.category,
      author: t.author,
      important: t.important === 1,
      operationId,
      shiftId: t.shift_id,
    }),
  );
};

export const linkOperation = (ctx: Context, args: { entryId: string; operationId: string }): LogbookEntry => {
  const session = requirePermission(ctx, 'writeLogbook');
  const entry = getEntry(ctx, args.entryId);
  const operation = getOperation(ctx, args.operationId);
  if (entry.operationId !== null) {
    const current =
      entry.operationId === operation.operationId ? operation.title : getOperation(ctx, entry.operationId).title;
    throw new VigieError(
      'conflict',
      `L’inscription ${entry.reference} est déjà rattachée à l’opération « ${current} ».`,
    );
  }
  if (operation.status !== 'ouverte')
    throw new VigieError('conflict', `L’opération « ${operation.title} » est close : rattachement impossible.`);
  const event = ctx.store.append(
    'logbook.operationLinked',
    { entryId: entry.id, operationId: operation.operationId, position: ctx.positionName, role: session.role },
    session.userName,
  );
  return getEntry(ctx, event.id);
};
