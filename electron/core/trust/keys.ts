/**
 * The position's Ed25519 key pair (RFC 8032). The private key is a PKCS#8 PEM file, mode 0600, beside the
 * data directory like the PIN key (logbook/pin-key.ts): never in the database, its -wal or its backups.
 * `VIGIE_POSITION_KEY_FILE` names another place (a mounted secret). The public key is registered in the
 * log (`trust.keyRegistered`), which is what verifiers trust; a file readable by others is refused.
 * Wrapping the file with the desktop shell's OS keychain (Electron safeStorage) is left to the shell.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { VigieError } from '../../contract/result.js';
import { keyIdOf, privateKeyFromPem, rawPublicKey } from './signatures.js';

export interface PositionKey {
  privateKey: KeyObject;
  /** Raw public key, base64. */
  publicKey: string;
  keyId: string;
  file: string;
}

export const positionKeyPath = (dataDir: string, env: NodeJS.ProcessEnv = process.env): string => {
  const configured = env.VIGIE_POSITION_KEY_FILE;
  if (configured !== undefined && configured !== '') return resolve(configured);
  const dir = resolve(dataDir);
  return join(dirname(dir), `${basename(dir)}.position-key`);
};

/** Where a rotation writes the new key before the log registers it (keys.ts `rotate`, trust/index.ts). */
export const pendingKeyPath = (file: string): string => `${file}.next`;

const fromPem = (pem: string, file: string): PositionKey => {
  const privateKey = privateKeyFromPem(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new VigieError(
      'unavailable',
      `Clé du poste ${file} : Ed25519 attendu (${privateKey.asymmetricKeyType ?? '?'}).`,
    );
  const publicKey = rawPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey), file };
};

/** Reads a key file, or undefined when there is none; a file others can read is refused. */
export const readKeyFile = (file: string): PositionKey | undefined => {
  if (!existsSync(file)) return undefined;
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0)
    throw new VigieError(
      'unavailable',
      `Clé privée du poste ${file} lisible par d'autres comptes (droits ${mode.toString(8)}) : refusée. chmod 600 ${file}`,
    );
  return fromPem(readFileSync(file, 'utf8'), file);
};

/** Writes a fresh key at `file` (0600, fsynced, linked into place so that an existing key is never overwritten). */
export const createKeyFile = (file: string): PositionKey => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, pem);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, file);
  } catch (error) {
    // Another process created it meanwhile: theirs is the key.
    if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
  } finally {
    rmSync(temp, { force: true });
  }
  const key = readKeyFile(file);
  if (key === undefined) throw new VigieError('unavailable', `Clé du poste ${file} non écrite.`);
  return key;
};

/** The current key file, created when absent. */
export const loadOrCreateKey = (file: string): PositionKey => readKeyFile(file) ?? createKeyFile(file);

/** The pending key of a rotation becomes the key (atomic rename in the same directory). */
export const promotePending = (file: string): void => {
  renameSync(pendingKeyPath(file), file);
  const fd = openSync(dirname(file), 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};

export const discardPending = (file: string): void => rmSync(pendingKeyPath(file), { force: true });
