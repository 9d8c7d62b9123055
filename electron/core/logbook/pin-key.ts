/**
 * The PIN key (pin.ts): 32 random bytes in a 0600 file beside the data directory, not inside it, so that
 * neither the database, its -wal, nor the backups in `<data>/backups` carry it. `VIGIE_PIN_PEPPER_FILE`
 * names another place (a configuration volume, a mounted secret). Created on first use; a file of another
 * size or readable by others is refused rather than used.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { VigieError } from '../../contract/result.js';

const KEY_BYTES = 32;

export const pinKeyPath = (dataDir: string, env: NodeJS.ProcessEnv = process.env): string => {
  const configured = env.VIGIE_PIN_PEPPER_FILE;
  if (configured !== undefined && configured !== '') return resolve(configured);
  const dir = resolve(dataDir);
  return join(dirname(dir), `${basename(dir)}.pin-key`);
};

const read = (file: string): Buffer => {
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0)
    throw new VigieError(
      'unavailable',
      `Clé des codes PIN ${file} lisible par d'autres comptes (droits ${mode.toString(8)}) : refusée. chmod 600 ${file}`,
    );
  const key = readFileSync(file);
  if (key.length !== KEY_BYTES)
    throw new VigieError(
      'unavailable',
      `Clé des codes PIN ${file} invalide (${key.length} octets au lieu de ${KEY_BYTES}).`,
    );
  return key;
};

/** Reads the PIN key, creating it (atomically: written aside, then linked) when it does not exist yet. */
export const loadPinKey = (file: string): Buffer => {
  try {
    return read(file);
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
  }
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, randomBytes(KEY_BYTES));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    // link() fails if another process created the key meanwhile: then theirs is the key.
    linkSync(temp, file);
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
  } finally {
    rmSync(temp, { force: true });
  }
  return read(file);
};
