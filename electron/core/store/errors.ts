/**
 * The store's own error type. The store knows nothing of the contract between renderer and core: the
 * layer that calls it (dispatch, CLI) decides how a StoreError is shown. Messages are French, for the
 * operator or the technician, and name the file when one is involved.
 */
export type StoreErrorCode =
  /** A caller's mistake: unknown event type, invalid payload, blank author, bad module declaration. */
  | 'invalid'
  /** The file was written by a newer Vigie (layout or a module's schema): refused, not modified. */
  | 'newer_schema'
  /** The file is not a database, or SQLite found it damaged. */
  | 'corrupt'
  /** The store is closed, the file is missing or cannot be opened. */
  | 'unavailable'
  | 'read_only'
  | 'disk_full'
  /** Another connection holds the lock beyond the busy timeout. */
  | 'locked';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly details?: readonly string[],
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/** The extended result code better-sqlite3 puts on its SqliteError (e.g. 'SQLITE_READONLY_DBMOVED'). */
export const sqliteCode = (error: unknown): string | undefined =>
  error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;

const primary = (code: string): string => {
  const match = /^SQLITE_[A-Z]+/.exec(code);
  return match === null ? code : match[0];
};

/**
 * The StoreError for a SQLite failure on `file`, by primary result code (https://sqlite.org/rescode.html),
 * or undefined when the failure is not one of those the store names (a constraint, a bug in a migration…).
 */
export const storeErrorFromSqlite = (error: unknown, file: string): StoreError | undefined => {
  if (error instanceof StoreError) return error;
  const code = sqliteCode(error);
  if (code === undefined) return undefined;
  const detail = error instanceof Error ? error.message : String(error);
  switch (primary(code)) {
    case 'SQLITE_READONLY':
      return new StoreError(
        'read_only',
        `La base de données ${file} est en lecture seule (${detail}) : rien n'a été écrit. Vérifiez les droits sur le fichier et son dossier.`,
      );
    case 'SQLITE_FULL':
      return new StoreError(
        'disk_full',
        `Écriture impossible dans ${file} : disque plein (${detail}). Rien n'a été écrit ; libérez de la place.`,
      );
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      return new StoreError('corrupt', `La base de données ${file} est endommagée ou illisible (${detail}).`);
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return new StoreError('locked', `La base de données ${file} est verrouillée par un autre processus ; réessayez.`);
    default:
      return undefined;
  }
};

/** Runs `fn`, turning the SQLite failures the store names into StoreErrors; others are rethrown as they are. */
export const mappingSqliteErrors = <T>(file: string, fn: () => T): T => {
  try {
    return fn();
  } catch (error) {
    throw storeErrorFromSqlite(error, file) ?? error;
  }
};
