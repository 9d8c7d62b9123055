/**
 * The probes of the health service: each answers ok or a French detail, never throws. They run in the
 * core's process, so each is bounded in time (the TCP connect has its own timeout) and uses the async
 * file-system calls: a slow disk must not freeze the console.
 */
import { constants } from 'node:fs';
import { access, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { connect } from 'node:net';
import type { Store } from '../store/types.js';

export type ProbeResult = { ok: true } | { ok: false; detail: string };

const OK: ProbeResult = { ok: true };
const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error)).slice(0, 200);

/** The local log can still be written: its integrity check has not failed, the file and folder are writable. */
export const probeDatabase = async (store: Pick<Store, 'path' | 'integrity'>): Promise<ProbeResult> => {
  const integrity = store.integrity();
  if (integrity.state === 'error') return { ok: false, detail: `contrôle d’intégrité : ${integrity.message}` };
  try {
    // SQLite writes the -wal and -shm files beside the database (sqlite.org/wal.html): the folder counts too.
    await access(store.path, constants.W_OK);
    await access(dirname(store.path), constants.W_OK);
    return OK;
  } catch (error) {
    return { ok: false, detail: `écriture refusée : ${reason(error)}` };
  }
};

/** Free space for the database's file system, from statfs(2): blocks available to unprivileged users. */
export const freeBytes = async (path: string): Promise<number> => {
  const stats = await statfs(path);
  return stats.bavail * stats.bsize;
};

/** `dir`: the folder of the database (statfs needs a path that exists). */
export const probeDisk = async (dir: string, minFreeMiB: number): Promise<ProbeResult> => {
  try {
    const free = await freeBytes(dir);
    const freeMiB = Math.floor(free / (1024 * 1024));
    if (freeMiB < minFreeMiB) return { ok: false, detail: `${freeMiB} Mio libres, seuil ${minFreeMiB} Mio (${dir})` };
    return OK;
  } catch (error) {
    return { ok: false, detail: `espace disque illisible : ${reason(error)}` };
  }
};

/** What a failed connect means, in French (the host and port are in the probe's label). */
const SOCKET_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connexion refusée',
  ECONNRESET: 'connexion coupée',
  EHOSTUNREACH: 'hôte injoignable',
  ENETUNREACH: 'réseau injoignable',
  ENOTFOUND: 'nom d’hôte inconnu',
  EAI_AGAIN: 'résolution du nom impossible',
};

/** A TCP connection to host:port opens within `timeoutMs` (then is closed at once). */
export const probeTcp = (host: string, port: number, timeoutMs: number): Promise<ProbeResult> =>
  new Promise((resolve) => {
    const socket = connect({ host, port });
    let done = false;
    const finish = (result: ProbeResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ ok: false, detail: `pas de réponse en ${timeoutMs} ms` }), timeoutMs);
    socket.once('connect', () => finish(OK));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? '';
      finish({ ok: false, detail: code in SOCKET_ERRORS ? `${SOCKET_ERRORS[code]} (${code})` : reason(error) });
    });
  });
