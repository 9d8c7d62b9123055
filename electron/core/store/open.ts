import Database from 'better-sqlite3';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { sqliteCode, StoreError, storeErrorFromSqlite, type StoreErrorCode } from './errors.js';
import { LAYOUT_VERSION } from './layout.js';
import { identityPath, listBackups } from './paths.js';

/** How long a connection waits for another one's write lock before SQLITE_BUSY (https://sqlite.org/pragma.html#pragma_busy_timeout). */
export const BUSY_TIMEOUT_MS = 5000;
const CACHE_KIB = 32_000;

const restoreHint = (dataDir: string | undefined): string => {
  if (dataDir === undefined)
    return 'Pour continuer, restaurer une sauvegarde (vigie restore --data DOSSIER --from SAUVEGARDE).';
  const latest = listBackups(dataDir).at(-1);
  return latest === undefined
    ? `Pour continuer, restaurer une sauvegarde : vigie restore --data ${dataDir} --from FICHIER (aucune sauvegarde trouvée dans ${dataDir}/backups).`
    : `Pour continuer, restaurer une sauvegarde : vigie restore --data ${dataDir} --from ${latest} (la plus récente).`;
};

/** 'corrupt' when SQLite says the file is not a database or is damaged, 'unavailable' when it cannot open it. */
const unreadableCode = (error: unknown): StoreErrorCode =>
  /^SQLITE_(CORRUPT|NOTADB)/.test(sqliteCode(error) ?? '') ? 'corrupt' : 'unavailable';

const unreadable = (file: string, dataDir: string | undefined, cause: string, code: StoreErrorCode): StoreError =>
  new StoreError(
    code,
    `La base de données ${file} est illisible ou endommagée (${cause}). Aucune nouvelle base n'a été créée ` +
      `et le fichier n'a pas été modifié. ${restoreHint(dataDir)}`,
  );

/**
 * What quick_check covers at open. 'full': every page of the file (sqlite.org/pragma.html#pragma_quick_check),
 * O(file size) — about 1 s per 500 MB with a warm page cache here. 'log': the store's small tables (heads,
 * clock, meta, schema_versions) and the end of every chain (each head against the event it names, and
 * nothing past it), in O(origins) index seeks; the events' own pages are checked with the whole file by the
 * background quick_check (store.ts). At 1 M events a quick_check of the events table alone took 1.3–1.6 s,
 * more than the console's whole start-up budget (docs/architecture.md, "Kernel"). Every backup runs a full
 * quick_check on its copy. A fresh or pre-migration file always gets 'full'. 'none' (read-only opens only):
 * nothing, because the caller checks and reports every part itself (`vigie verify`).
 */
export type StartupCheck = 'full' | 'log' | 'none';
const LOG_TABLES = ['heads', 'clock', 'meta'] as const;

/** Each chain head names an event with its hash, and no event lies past it: a truncated or spliced end. */
const chainEndsProblem = (db: Database.Database): string | null => {
  const rows = db
    .prepare(
      `SELECT h.origin, h.seq, h.hash = e.hash AS same,
              EXISTS (SELECT 1 FROM events n WHERE n.origin = h.origin AND n.seq > h.seq) AS beyond
       FROM heads h LEFT JOIN events e ON e.origin = h.origin AND e.seq = h.seq`,
    )
    .all() as { origin: string; seq: number; same: number | null; beyond: number }[];
  for (const row of rows) {
    if (row.same !== 1) return `fin de chaîne ${row.origin} n° ${row.seq} absente ou différente`;
    if (row.beyond === 1) return `événements au-delà de la fin de chaîne ${row.origin} n° ${row.seq}`;
  }
  return null;
};

const fsCode = (error: unknown): string =>
  error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'inconnu';

/**
 * A directory or file Vigie cannot write is said so, with its path, before SQLite reports it as a
 * file it "cannot open" (which read like a damaged database). Root passes access(W_OK) on any mode,
 * but not on a read-only mount (EROFS).
 */
const readOnlyProblem = (file: string): StoreError | null => {
  const dir = dirname(file);
  for (const [path, what] of [
    [dir, 'Le dossier de données'],
    [file, 'La base de données'],
  ] as const) {
    if (path === file && !existsSync(file)) continue;
    try {
      accessSync(path, constants.W_OK);
    } catch (error) {
      if (fsCode(error) === 'ENOENT') continue;
      return new StoreError(
        'read_only',
        `${what} ${path} est en lecture seule (${fsCode(error)}) : Vigie ne peut y écrire ni le journal ni ses fichiers ` +
          `-wal et -shm. Rien n'a été modifié. Rendez-le accessible en écriture au compte qui lance Vigie (chmod 700 pour le dossier, 600 pour les fichiers) ou vérifiez le montage.`,
      );
    }
  }
  return null;
};

/** First open of this file in its data directory: leave the identity marker (paths.ts) and tighten the modes. */
const settle = (file: string, dataDir: string): void => {
  // Data files 0600, the directory 0700: the log names callers and victims (owner only). SQLite gives
  // the -wal and -shm files the mode of the database file (https://sqlite.org/tempfiles.html).
  for (const [path, mode] of [
    [dataDir, 0o700],
    [file, 0o600],
    [`${file}-wal`, 0o600],
    [`${file}-shm`, 0o600],
  ] as const) {
    try {
      if (existsSync(path) && (statSync(path).mode & 0o777) !== mode) chmodSync(path, mode);
    } catch {
      // Not the owner (a shared directory set up by hand): left as it is; the open itself worked.
    }
  }
  const marker = identityPath(dataDir);
  if (!existsSync(marker))
    writeFileSync(marker, `${JSON.stringify({ database: file, since: new Date().toISOString() })}\n`, { mode: 0o600 });
};

const lostLog = (file: string, dataDir: string): StoreError | null => {
  const marker = identityPath(dataDir);
  if (!existsSync(marker)) return null;
  let since = '';
  try {
    const parsed: unknown = JSON.parse(readFileSync(marker, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'since' in parsed && typeof parsed.since === 'string')
      since = ` depuis le ${parsed.since}`;
  } catch {
    // an unreadable marker still says that a log was here
  }
  return new StoreError(
    'unavailable',
    `Le journal ${file} a disparu ou est vide, alors que ce dossier porte le journal de ce poste${since} (${marker}) : ` +
      `aucune base vide n'est créée à sa place, rien n'a été modifié. ${restoreHint(dataDir)} ` +
      `S'il s'agit vraiment d'un nouveau poste, supprimez d'abord ${marker}.`,
  );
};

export interface OpenOptions {
  readonly?: boolean;
  startupCheck?: StartupCheck;
  /** The data directory the file belongs to, for the restore hint and the missing-database check. */
  dataDir?: string;
}

/**
 * Opens a Vigie database file with the settings every connection must have:
 * - `quick_check` first (https://sqlite.org/pragma.html#pragma_quick_check), before anything is written;
 * - WAL (https://sqlite.org/wal.html) and `synchronous=FULL` set explicitly at every open: this
 *   better-sqlite3 build reopens WAL databases with NORMAL, which may lose the last commits on power loss
 *   (https://sqlite.org/pragma.html#pragma_synchronous); docs/architecture.md, rule 3;
 * - `foreign_keys=ON` (off by default per connection), a busy timeout, a 32 MB page cache.
 * A file that cannot be read as a database is never replaced: the error names it and the way out.
 */
export const openDatabase = (file: string, options: OpenOptions = {}): Database.Database => {
  const readonly = options.readonly === true;
  const exists = existsSync(file);
  if (!readonly) {
    const problem = readOnlyProblem(file);
    if (problem !== null) throw problem;
  }
  // SQLite takes an empty file for a new database: a vigie.db truncated to 0 bytes counts as missing.
  if (!exists || statSync(file).size === 0) {
    if (readonly) throw new StoreError('unavailable', `Base de données introuvable ou vide : ${file}`);
    const lost = options.dataDir === undefined ? null : lostLog(file, options.dataDir);
    if (lost !== null) throw lost;
    if (options.dataDir !== undefined && listBackups(options.dataDir).length > 0) {
      throw new StoreError(
        'unavailable',
        `La base de données ${file} est absente ou vide alors que des sauvegardes existent : aucune base vide n'est ` +
          `créée à sa place. ${restoreHint(options.dataDir)}`,
      );
    }
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  }
  let db: Database.Database;
  try {
    db = new Database(file, { readonly, fileMustExist: exists, timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw unreadable(
      file,
      options.dataDir,
      error instanceof Error ? error.message : String(error),
      unreadableCode(error),
    );
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const userVersion = db.pragma('user_version', { simple: true });
    const hasLog = options.startupCheck === 'log' && userVersion !== 0;
    // The schema versions decide which migrations run: checked with the log (absent from older layouts).
    const own = userVersion === LAYOUT_VERSION ? [...LOG_TABLES, 'schema_versions'] : LOG_TABLES;
    // PRAGMA arguments cannot be bound; the table names are our constants.
    const checks =
      options.startupCheck === 'none' && readonly ? [] : hasLog ? own.map((t) => `quick_check(${t})`) : ['quick_check'];
    for (const pragma of checks) {
      const check = db.pragma(pragma) as { quick_check: string }[];
      if (check.length !== 1 || check[0]?.quick_check !== 'ok') {
        const detail = check
          .slice(0, 3)
          .map((row) => row.quick_check)
          .join(' ; ');
        throw unreadable(file, options.dataDir, `${pragma} : ${detail}`, 'corrupt');
      }
    }
    const ends = hasLog ? chainEndsProblem(db) : null;
    if (ends !== null) throw unreadable(file, options.dataDir, ends, 'corrupt');
    if (!readonly) {
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') throw new Error(`journal_mode=WAL refusé (mode ${String(mode)})`);
      db.pragma('synchronous = FULL');
      const sync = db.pragma('synchronous', { simple: true });
      if (sync !== 2) throw new Error(`synchronous=FULL non appliqué (valeur ${String(sync)})`);
    }
    db.pragma('foreign_keys = ON');
    // 32 MB page cache instead of SQLite's 2 MB (https://sqlite.org/pragma.html#pragma_cache_size): an
    // append touches ~17 pages across a dozen B-trees; at 1 M events their upper levels no longer fit in
    // 2 MB and re-reading them made the append tail (p99 without fsync: 2.0 ms → 0.4 ms measured).
    if (!readonly) db.pragma(`cache_size = -${CACHE_KIB}`);
    if (!readonly && options.dataDir !== undefined) settle(file, options.dataDir);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof StoreError) throw error;
    // Locked, read-only, disk full: named as such; anything else is an unreadable file (with the way out).
    const named = storeErrorFromSqlite(error, file);
    if (named !== undefined && named.code !== 'corrupt') throw named;
    throw unreadable(
      file,
      options.dataDir,
      error instanceof Error ? error.message : String(error),
      unreadableCode(error),
    );
  }
};
