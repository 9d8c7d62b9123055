import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * `PRAGMA quick_check` of a file in a worker thread: it reads every page (seconds for a large backup) and
 * must not freeze the process that owns the live database, its SIP stack and its UI. The worker is eval'd
 * plain JavaScript so that it runs the same from sources (vitest) and from dist/.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  const rows = db.pragma('quick_check');
  parentPort.postMessage({ rows: rows.map((r) => String(r.quick_check)) });
} catch (error) {
  parentPort.postMessage({ error: String((error && error.message) || error) });
} finally {
  if (db !== undefined) db.close();
}
`;

/** Resolves to quick_check's result lines (`['ok']` when the file is sound). */
export const quickCheckInWorker = (
  file: string,
  options: { unref?: boolean; signal?: AbortSignal } = {},
): Promise<string[]> =>
  new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, driver: createRequire(import.meta.url).resolve('better-sqlite3') },
    });
    // A background check must not keep a finished process (a CLI command) alive.
    if (options.unref === true) worker.unref();
    options.signal?.addEventListener('abort', () => void worker.terminate(), { once: true });
    let settled = false;
    worker.once('message', (m: { rows?: string[]; error?: string }) => {
      settled = true;
      if (m.rows !== undefined) resolve(m.rows);
      else reject(new Error(m.error ?? 'quick_check : réponse vide'));
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`quick_check : le fil de vérification s'est arrêté (code ${code})`));
    });
  });
