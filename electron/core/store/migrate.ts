import type Database from 'better-sqlite3';
import { VigieError } from '../../contract/result.js';
import { migrations as registry, type Migration } from './migrations/index.js';

/** Throws unless versions are exactly 1, 2, …, N in order (a gap means a lost or misnumbered file). */
export const checkRegistry = (list: readonly Migration[]): void => {
  list.forEach((m, index) => {
    if (m.version !== index + 1) {
      throw new Error(
        `registre des migrations incohérent : position ${index + 1} porte la version ${m.version} (${m.name}) — trou ou désordre`,
      );
    }
  });
};

export const latestVersion = (list: readonly Migration[] = registry): number => list.length;

/**
 * Brings the database to the latest schema: every pending migration and the new `PRAGMA user_version`
 * in one transaction (user_version lives in the database header and is rolled back with it:
 * https://sqlite.org/pragma.html#pragma_user_version). A database from a newer Vigie is refused untouched.
 */
export const migrate = (db: Database.Database, file: string, list: readonly Migration[] = registry): number => {
  checkRegistry(list);
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = latestVersion(list);
  if (current > latest) {
    throw new VigieError(
      'unavailable',
      `La base ${file} a été écrite par une version plus récente de Vigie (schéma ${current}, ` +
        `cette version connaît le schéma ${latest}). Elle n'a pas été modifiée : mettez Vigie à jour sur ce poste.`,
    );
  }
  if (current === latest) return 0;
  const pending = list.slice(current);
  db.transaction(() => {
    for (const m of pending) m.up(db);
    // PRAGMA arguments cannot be bound parameters; `latest` is an integer we computed.
    db.pragma(`user_version = ${latest}`);
  }).immediate();
  return pending.length;
};
