/**
 * The `directory.*` request handlers: reads from the projection, writes as events. An import is checked
 * line by line first (csv.ts), then appended in ONE transaction (store.appendAll): a bad line means nothing
 * imported, and a crash in the middle leaves nothing half-written (docs/architecture.md, rule 3).
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { DirectoryResults, directoryRequests } from '../../contract/directory.js';
import { VigieError } from '../../contract/result.js';
import type { Store } from '../store/types.js';
import { formatDirectoryCsv, parseDirectoryCsv } from './csv.js';
import { DIRECTORY_EVENTS, type SavedPayload } from './events.js';
import { allEntries, getEntry, idsByNameKey, searchEntries, searchKey } from './projection.js';

type DirectoryMethod = keyof typeof directoryRequests;
export type DirectoryHandlers = {
  [M in DirectoryMethod]: (args: z.output<(typeof directoryRequests)[M]>) => DirectoryResults[M];
};

export interface DirectoryDeps {
  store: Pick<Store, 'db' | 'append' | 'appendAll'>;
  /** Who signs the change: the signed-in user, else the position. */
  operator: () => string;
  /** Throws when the person at this position may not change the directory (index.ts); absent: anyone. */
  checkEdit?: () => void;
  now?: () => number;
  newId?: () => string;
}

/** Errors listed in the refusal at most; the count says how many there were in all. */
const MAX_LISTED_ERRORS = 50;

export const createDirectoryHandlers = (deps: DirectoryDeps): DirectoryHandlers => {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? randomUUID;
  const { db } = deps.store;

  return {
    'directory.search': ({ query, limit }) => searchEntries(db, query, limit),
    'directory.save': ({ id, ...fields }) => {
      deps.checkEdit?.();
      if (id !== undefined && getEntry(db, id) === undefined)
        throw new VigieError('not_found', 'Entrée d’annuaire inconnue (supprimée entre-temps ?).');
      const payload: SavedPayload = { id: id ?? newId(), ...fields, at: now() };
      deps.store.append(DIRECTORY_EVENTS.saved, payload, deps.operator());
      const saved = getEntry(db, payload.id);
      if (saved === undefined) throw new VigieError('internal', 'Entrée introuvable après enregistrement.');
      return saved;
    },
    'directory.remove': ({ id }) => {
      deps.checkEdit?.();
      if (getEntry(db, id) === undefined) throw new VigieError('not_found', 'Entrée d’annuaire inconnue.');
      deps.store.append(DIRECTORY_EVENTS.removed, { id, at: now() }, deps.operator());
      return { id };
    },
    'directory.import': ({ csv }) => {
      deps.checkEdit?.();
      const parsed = parseDirectoryCsv(csv);
      if (!parsed.ok) {
        const n = parsed.errors.length;
        throw new VigieError(
          'invalid_argument',
          `Import refusé : ${n} ligne${n > 1 ? 's' : ''} en erreur, rien n’a été importé.`,
          parsed.errors.slice(0, MAX_LISTED_ERRORS).map((e) => `ligne ${e.line} : ${e.message}`),
        );
      }
      // A row named as an existing entry replaces it (same id): importing the same file twice changes nothing.
      const existing = idsByNameKey(db);
      const at = now();
      let updated = 0;
      const author = deps.operator();
      const items = parsed.rows.map((row) => {
        const known = existing.get(searchKey(row.name));
        if (known !== undefined) updated += 1;
        const { name, category, number, notes, speedDial } = row;
        const payload: SavedPayload = { id: known ?? newId(), name, category, number, notes, speedDial, at };
        return { type: DIRECTORY_EVENTS.saved, payload, author };
      });
      deps.store.appendAll(items);
      return { created: items.length - updated, updated };
    },
    'directory.export': () => {
      const entries = allEntries(db);
      return { csv: formatDirectoryCsv(entries), count: entries.length };
    },
  };
};
