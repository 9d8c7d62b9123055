/**
 * One core per data directory. Two consoles on one directory each keep their own "signed-in user" and
 * write under it into the same log: one person's entries end up under the other's name. The console
 * (createCore with services) and the commands that write (users, rebuild, restore) take `vigie.lock`;
 * read-only commands (verify, export, calls, status) do not, and work beside a running console — SQLite
 * itself serialises their access to the file (https://sqlite.org/wal.html#concurrency).
 *
 * The lock is a file created with O_EXCL holding the owner's PID, host and start time. A lock whose PID
 * no longer runs on this host is stale (a crash, a power cut) and is taken over.
 */
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StoreError } from './errors.js';

export const lockPath = (dataDir: string): string => join(dataDir, 'vigie.lock');

interface LockOwner {
  pid: number;
  host: string;
  what: string;
  since: string;
}

/** Lock files this process holds. */
const held = new Set<string>();

export interface DataDirLock {
  readonly file: string;
  release(): void;
}

const readOwner = (file: string): LockOwner | null => {
  try {
    const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof raw !== 'object' || raw === null) return null;
    const { pid, host, what, since } = raw as Record<string, unknown>;
    return typeof pid === 'number' && typeof host === 'string' && typeof what === 'string' && typeof since === 'string'
      ? { pid, host, what, since }
      : null;
  } catch {
    return null;
  }
};

/** kill(pid, 0) tests for existence: ESRCH = gone; EPERM = exists under another account. */
const running = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
};

const errorCode = (error: unknown): unknown => (error instanceof Error && 'code' in error ? error.code : undefined);

/** The lock cannot be written: a read-only or full data directory, said as such with its path. */
const unwritable = (dataDir: string, error: unknown): Error => {
  const code = String(errorCode(error));
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new StoreError(
      'disk_full',
      `Écriture impossible dans ${dataDir} : disque plein (${code}). Rien n'a été écrit ; libérez de la place.`,
    );
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return new StoreError(
      'unavailable',
      `Le dossier de données ${dataDir} n'existe pas (${code}) : vérifiez le chemin donné à --data. Rien n'a été écrit.`,
    );
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return new StoreError(
      'read_only',
      `Le dossier de données ${dataDir} est en lecture seule (${code}) : Vigie ne peut pas y écrire. Rien n'a été modifié. ` +
        'Rendez-le accessible en écriture au compte qui lance Vigie (chmod 700) ou vérifiez le montage.',
    );
  return error instanceof Error ? error : new Error(String(error));
};

/**
 * Makes a position's data directory, private (0700), as the console and provisioning do for a new position;
 * a path that cannot be one (a file on the way, no permission) is refused in French, nothing written.
 */
export const ensureDataDir = (dataDir: string): void => {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw unwritable(dataDir, error);
  }
};

/** Takes the data directory's lock for `what` ('console', 'vigie users'…), or refuses naming the holder. */
export const acquireDataDirLock = (dataDir: string, what: string): DataDirLock => {
  const file = lockPath(dataDir);
  const mine: LockOwner = { pid: process.pid, host: hostname(), what, since: new Date().toISOString() };
  // Written aside then linked: the lock file is never seen half-written.
  const temp = `${file}.${process.pid}.tmp`;
  try {
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(mine));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    rmSync(temp, { force: true });
    throw unwritable(dataDir, error);
  }
  try {
    for (let attempt = 0; ; attempt += 1) {
      try {
        linkSync(temp, file);
        break;
      } catch (error) {
        if (errorCode(error) !== 'EEXIST' || attempt >= 2) throw error;
      }
      const owner = readOwner(file);
      const foreign = owner !== null && owner.host !== mine.host;
      // An unreadable lock younger than a minute may be one being replaced right now: not taken over.
      const fresh = owner === null && Date.now() - statSync(file).mtimeMs < 60_000;
      // Our own PID: held only if this process took it (a second core in one process); else a reused PID.
      const alive = owner !== null && (owner.pid === process.pid ? held.has(file) : running(owner.pid));
      if (foreign || fresh || alive) {
        const who =
          owner === null
            ? 'un autre processus'
            : `le processus ${owner.pid} (${owner.what}${foreign ? ` sur la machine ${owner.host}` : ''}, depuis le ${owner.since})`;
        throw new StoreError(
          'locked',
          `Le dossier de données ${dataDir} est déjà utilisé par ${who} : une seule console Vigie à la fois par dossier. ` +
            `Arrêtez-la d'abord ; les commandes en lecture (verify, export, calls, status) restent possibles à côté. ` +
            `Verrou : ${file}.`,
        );
      }
      rmSync(file, { force: true }); // stale: its process has ended
    }
  } finally {
    rmSync(temp, { force: true });
  }
  held.add(file);
  let released = false;
  return {
    file,
    release() {
      if (released) return;
      released = true;
      held.delete(file);
      const owner = readOwner(file);
      if (owner?.pid === mine.pid && owner.since === mine.since) rmSync(file, { force: true });
    },
  };
};
