import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const databasePath = (dataDir: string): string => join(dataDir, 'vigie.db');
export const backupsDir = (dataDir: string): string => join(dataDir, 'backups');
/**
 * Written beside vigie.db at its first open: this directory has held a position's log. A vigie.db that is
 * then missing or empty has been lost, not never created, and is refused instead of started afresh.
 */
export const identityPath = (dataDir: string): string => join(dataDir, 'vigie.identity');

/** Backup files are named vigie-<UTC ISO instant with ':' and '.' as '-'>.db, so name order is time order. */
export const BACKUP_PATTERN = /^vigie-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.db$/;

/** Backups of a data directory, oldest first. */
export const listBackups = (dataDir: string): string[] => {
  const dir = backupsDir(dataDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => BACKUP_PATTERN.test(name))
    .sort()
    .map((name) => join(dir, name));
};
