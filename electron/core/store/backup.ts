import Database from 'better-sqlite3';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { join } from 'node:path';
import { StoreError, storeErrorFromSqlite } from './errors.js';
import { LAYOUT_VERSION } from './layout.js';
import { backupsDir, databasePath, listBackups } from './paths.js';
import { quickCheckInWorker } from './quick-check-worker.js';
import { formatFailure, verifyDatabase, verifyDatabaseAsync } from './verify.js';

export const DEFAULT_BACKUP_INTERVAL_MS = 15 * 60 * 1000;
export const DEFAULT_BACKUP_KEEP = 10;

/** fsync a file or a directory (a rename is durable only once its directory is synced). */
const syncPath = (path: string): void => {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};

const stampOf = (ms: number): string => new Date(ms).toISOString().replace(/[:.]/g, '-');

/** A name not yet taken; within the same ms the instant is bumped, so that name order stays creation order. */
const freshName = (dir: string, ms: number): string => {
  for (let t = ms; ; t += 1) {
    const file = join(dir, `vigie-${stampOf(t)}.db`);
    if (!existsSync(file) && !existsSync(`${file}.partial`)) return file;
  }
};

const quickCheck = (db: Database.Database, file: string): void => {
  const rows = db.pragma('quick_check') as { quick_check: string }[];
  if (rows.length !== 1 || rows[0]?.quick_check !== 'ok') {
    throw new StoreError('corrupt', `Sauvegarde ${file} endommagée : ${rows.map((r) => r.quick_check).join(' ; ')}`);
  }
};

/**
 * Checks a freshly written backup file: standalone rollback journal (the backup copied the WAL flag of the
 * live database's header, https://sqlite.org/wal.html#persistence_of_wal_mode), quick_check in a worker
 * thread, then the chains, yielding to the event loop. Returns the number of events it holds.
 */
const checkNewBackup = async (file: string): Promise<number> => {
  const writable = new Database(file, { fileMustExist: true });
  try {
    writable.pragma('journal_mode = DELETE');
  } finally {
    writable.close();
  }
  const rows = await quickCheckInWorker(file);
  if (rows.length !== 1 || rows[0] !== 'ok') {
    throw new StoreError('corrupt', `Sauvegarde ${file} endommagée : ${rows.slice(0, 3).join(' ; ')}`);
  }
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const report = await verifyDatabaseAsync(db);
    if (report.firstBad !== undefined) {
      throw new StoreError('corrupt', `Sauvegarde ${file} refusée : ${formatFailure(report.firstBad)}`);
    }
    return report.events;
  } finally {
    db.close();
  }
};

/** Keeps the `keep` newest backups of the data directory, deletes the older ones. */
export const rotateBackups = (dataDir: string, keep: number): string[] => {
  const all = listBackups(dataDir);
  const doomed = all.slice(0, Math.max(0, all.length - Math.max(1, keep)));
  for (const file of doomed) rmSync(file, { force: true });
  return doomed;
};

/**
 * Online backup (https://sqlite.org/backup.html, better-sqlite3 `db.backup`, which copies a consistent
 * snapshot page by page without blocking writers for long) into <dataDir>/backups/vigie-<instant>.db.
 * The copy is written as `.partial`, checked, fsynced, and only then renamed into place and rotated.
 */
export const backupDatabase = async (
  db: Database.Database,
  dataDir: string,
  keep: number,
  nowMs: number = Date.now(),
): Promise<{ file: string; events: number }> => {
  const dir = backupsDir(dataDir);
  // Backups hold the whole log (callers, victims): owner only, like the data directory (open.ts).
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const file = freshName(dir, nowMs);
  const partial = `${file}.partial`;
  let events: number;
  try {
    await db.backup(partial);
    chmodSync(partial, 0o600);
    events = await checkNewBackup(partial);
    syncPath(partial);
    renameSync(partial, file);
    syncPath(dir);
  } catch (error) {
    rmSync(partial, { force: true });
    rmSync(`${partial}-journal`, { force: true });
    throw storeErrorFromSqlite(error, partial) ?? error;
  }
  rotateBackups(dataDir, keep);
  return { file, events };
};

export interface RestoreResult {
  /** The live database path, now holding the backup's content. */
  restored: string;
  /** Where the previous database (and its -wal/-shm) was moved, if there was one: it is never deleted. */
  previous?: string;
  events: number;
}

/**
 * Restores a backup as the live database of `dataDir`. Vigie must not be running on that directory.
 * 1. the backup is checked first (quick_check, schema version, every chain): a bad backup changes nothing;
 * 2. the current vigie.db and its -wal/-shm, if any, are renamed vigie.db.avant-restauration-<instant>
 *    (kept for investigation: events written after the backup are still in it);
 * 3. the backup is copied to vigie.db.restauration, fsynced, and renamed to vigie.db.
 */
export const restoreBackup = (backupFile: string, dataDir: string, nowMs: number = Date.now()): RestoreResult => {
  if (!existsSync(backupFile)) throw new StoreError('unavailable', `Sauvegarde introuvable : ${backupFile}`);
  let events: number;
  const check = new Database(backupFile, { readonly: true, fileMustExist: true });
  try {
    quickCheck(check, backupFile);
    const version = check.pragma('user_version', { simple: true }) as number;
    // Module versions need the module list, which restore has not: openStore checks them at the next start.
    if (version > LAYOUT_VERSION) {
      throw new StoreError(
        'newer_schema',
        `La sauvegarde ${backupFile} vient d'une version plus récente de Vigie (schéma ${version}).`,
      );
    }
    const report = verifyDatabase(check);
    if (report.firstBad !== undefined) {
      throw new StoreError('corrupt', `Sauvegarde ${backupFile} refusée : ${formatFailure(report.firstBad)}`);
    }
    events = report.events;
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new StoreError(
      storeErrorFromSqlite(error, backupFile)?.code ?? 'unavailable',
      `Sauvegarde ${backupFile} illisible : ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    check.close();
  }
  mkdirSync(dataDir, { recursive: true });
  const live = databasePath(dataDir);
  let previous: string | undefined;
  if (existsSync(live) || existsSync(`${live}-wal`)) {
    previous = `${live}.avant-restauration-${stampOf(nowMs)}`;
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(`${live}${suffix}`)) renameSync(`${live}${suffix}`, `${previous}${suffix}`);
    }
  }
  const staging = `${live}.restauration`;
  copyFileSync(backupFile, staging);
  chmodSync(staging, 0o600);
  syncPath(staging);
  renameSync(staging, live);
  syncPath(dataDir);
  return previous === undefined ? { restored: live, events } : { restored: live, previous, events };
};
