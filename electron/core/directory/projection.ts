/**
 * The directory projection (docs/architecture.md, rule 1): `directory_entries`, a deterministic function of
 * the directory.* events, kept in the append transaction.
 *
 * Search is a LIKE over one normalised column rather than FTS5: a directory holds hundreds of rows, which a
 * scan reads in well under a millisecond, and an operator types fragments (« gend », « boulou », « 2700 »)
 * that FTS5's whole-token matching would miss without a trigram tokenizer
 * (https://sqlite.org/fts5.html#the_trigram_tokenizer), whose index would outweigh the table.
 */
import type Database from 'better-sqlite3';
import { DIRECTORY_CATEGORY_LABELS, type DirectoryCategory, type DirectoryEntry } from '../../contract/directory.js';
import type { Projection, StoredEvent } from '../store/types.js';
import { cachedStatement } from '../store/statements.js';
import { DIRECTORY_EVENTS, type RemovedPayload, type SavedPayload } from './events.js';

/** Lower case, accents and punctuation dropped, spaces collapsed: « Mairie de Boulouparis » → « mairie de boulouparis ». */
export const searchKey = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLocaleLowerCase('fr')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** The digits of a number, so that « 27 00 00 » finds « +687270000 ». */
export const digitsOf = (text: string): string => text.replace(/\D+/g, '');

const searchText = (p: Pick<SavedPayload, 'name' | 'category' | 'notes' | 'number'>): string =>
  [
    searchKey(p.name),
    searchKey(DIRECTORY_CATEGORY_LABELS[p.category]),
    p.category,
    searchKey(p.notes),
    digitsOf(p.number),
  ]
    .filter((part) => part !== '')
    .join(' | ');

// Casts in this file: payloads were parsed with their type's schema (events.ts) by the store's append before
// any projection sees them; rows have the columns of migration 0001 (better-sqlite3 types them unknown).
const apply = (db: Database.Database, event: StoredEvent): void => {
  switch (event.type) {
    case DIRECTORY_EVENTS.saved: {
      const p = event.payload as SavedPayload;
      // A key belongs to one entry: the newest save takes it (same rule on every position, by event order).
      if (p.speedDial !== null)
        cachedStatement(db, 'UPDATE directory_entries SET speed_dial = NULL WHERE speed_dial = ? AND id <> ?').run(
          p.speedDial,
          p.id,
        );
      cachedStatement(
        db,
        `INSERT INTO directory_entries (id, name, name_key, category, number, notes, speed_dial, search, updated_at, updated_by)
         VALUES (@id, @name, @nameKey, @category, @number, @notes, @speedDial, @search, @at, @by)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_key = excluded.name_key, category = excluded.category,
           number = excluded.number, notes = excluded.notes, speed_dial = excluded.speed_dial, search = excluded.search,
           updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      ).run({ ...p, nameKey: searchKey(p.name), search: searchText(p), by: event.author });
      return;
    }
    case DIRECTORY_EVENTS.removed: {
      const p = event.payload as RemovedPayload;
      cachedStatement(db, 'DELETE FROM directory_entries WHERE id = ?').run(p.id);
      return;
    }
  }
};

export const directoryProjection: Projection = {
  name: 'directory',
  tables: ['directory_entries'],
  apply,
  eventTypes: Object.values(DIRECTORY_EVENTS),
};

// --- reads -----------------------------------------------------------------------------------------

interface Row {
  id: string;
  name: string;
  category: DirectoryCategory;
  number: string;
  notes: string;
  speed_dial: number | null;
  updated_at: number;
  updated_by: string;
}

const toEntry = (r: Row): DirectoryEntry => ({
  id: r.id,
  name: r.name,
  category: r.category,
  number: r.number,
  notes: r.notes,
  speedDial: r.speed_dial,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

const COLUMNS = 'id, name, category, number, notes, speed_dial, updated_at, updated_by';

/** LIKE wildcards in what the operator typed are literal (https://sqlite.org/lang_expr.html#like). */
const likeEscape = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Entries whose name, service, notes or number contain every word typed, in any order; those whose name
 * starts with the first word come first, then by name.
 */
export const searchEntries = (db: Database.Database, query: string, limit: number): DirectoryEntry[] => {
  const words = searchKey(query)
    .split(' ')
    .filter((w) => w !== '');
  const where = words.map(() => "search LIKE ? ESCAPE '\\'").join(' AND ');
  const params = words.map((w) => `%${likeEscape(w)}%`);
  const first = words[0];
  const sql = `SELECT ${COLUMNS} FROM directory_entries ${words.length > 0 ? `WHERE ${where}` : ''}
    ORDER BY ${first === undefined ? '' : "name_key LIKE ? ESCAPE '\\' DESC, "}name_key, id LIMIT ?`;
  const args = first === undefined ? [...params, limit] : [...params, `${likeEscape(first)}%`, limit];
  return (db.prepare(sql).all(...args) as Row[]).map(toEntry);
};

export const getEntry = (db: Database.Database, id: string): DirectoryEntry | undefined => {
  const row = db.prepare(`SELECT ${COLUMNS} FROM directory_entries WHERE id = ?`).get(id) as Row | undefined;
  return row === undefined ? undefined : toEntry(row);
};

export const allEntries = (db: Database.Database): DirectoryEntry[] =>
  (db.prepare(`SELECT ${COLUMNS} FROM directory_entries ORDER BY name_key, id`).all() as Row[]).map(toEntry);

/** Existing entries by normalised name: an imported row with the same name replaces that entry. */
export const idsByNameKey = (db: Database.Database): Map<string, string> =>
  new Map(
    (db.prepare('SELECT name_key, id FROM directory_entries').all() as { name_key: string; id: string }[]).map(
      (r) => [r.name_key, r.id] as const,
    ),
  );
