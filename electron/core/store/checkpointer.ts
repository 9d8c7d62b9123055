import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints off the append path (https://sqlite.org/wal.html#checkpointing).
 *
 * With SQLite's automatic checkpoint (every 1000 WAL pages), the append that crosses the threshold copies
 * the WAL back into the database and fsyncs it inside its own COMMIT: with ~17 pages written per logbook
 * append that is one append in ~60, i.e. the p99. Here a worker thread with its own connection runs
 * `wal_checkpoint(PASSIVE)` every `intervalMs` — PASSIVE never blocks writers — while the appending
 * connection keeps a high automatic threshold only as a backstop. The worker's connection is
 * synchronous=FULL too, so the database file is fsynced before any WAL frame can be overwritten.
 *
 * The same worker merges the segments of the FTS5 tables listed in `ftsTables` (automerge = 0 on them,
 * migration 0006): one 'merge' command of at most MERGE_PAGES pages per table and tick — only when no append
 * committed since the previous tick, or every MAX_MERGE_WAIT_TICKS under continuous appending — each in its own
 * short transaction (https://sqlite.org/fts5.html#the_merge_command). A positive argument only merges
 * levels holding `usermerge` (4) segments or more, so an idle table costs a no-op. Measured at 1 M entries:
 * the append that used to do 320–1 310 pages of automerge work once every 64 appends now writes ~20.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const done = new Int32Array(workerData.done);
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true, timeout: workerData.busyTimeoutMs });
  db.pragma('synchronous = FULL');
} catch (error) {
  parentPort.postMessage({ error: String(error && error.message || error) });
}
let merges = [];
let dataVersion;
try {
  if (db !== undefined) {
    merges = workerData.mergeSql.map((sql) => db.prepare(sql));
    dataVersion = db.prepare('PRAGMA data_version').pluck();
  }
} catch (error) {
  parentPort.postMessage({ error: String(error && error.message || error) });
}
let lastVersion;
let waited = 0;
const tick = () => {
  if (db === undefined) return;
  try {
    // A merge holds the write lock for milliseconds (7-95 ms measured just after a 1 M bulk load), and an
    // append arriving meanwhile waits for it. So merge when no other connection committed since the last
    // tick (data_version: https://sqlite.org/pragma.html#pragma_data_version), or after maxMergeWait ticks
    // of continuous appending so that the merges are never starved.
    if (merges.length > 0 && dataVersion !== undefined) {
      const version = dataVersion.get();
      const idle = version === lastVersion;
      lastVersion = version;
      if (idle || waited >= workerData.maxMergeWait) {
        waited = 0;
        for (const merge of merges) merge.run();
      } else waited += 1;
    }
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    // SQLITE_BUSY on a merge (the appender held the lock for the whole busy timeout): retried next tick.
    if (error && error.code === 'SQLITE_BUSY') return;
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  try { if (db !== undefined) db.close(); } finally {
    Atomics.store(done, 0, 1);
    Atomics.notify(done, 0);
    parentPort.close();
  }
});
`;

export interface Checkpointer {
  /** Synchronous: waits (bounded) until the worker has closed its connection. */
  stop(): void;
}

const STOP_TIMEOUT_MS = 5000;
/** Pages written by one background 'merge' (https://sqlite.org/fts5.html#the_merge_command): a short lock. */
const MERGE_PAGES = 64;
/** Ticks of continuous appending after which the worker merges anyway (8 × 250 ms = 2 s). */
const MAX_MERGE_WAIT_TICKS = 8;

export const startCheckpointer = (
  file: string,
  options: {
    intervalMs: number;
    busyTimeoutMs: number;
    /** FTS5 tables with automerge = 0 whose segments this worker merges (identifiers checked by the caller). */
    ftsTables?: readonly string[];
    onError: (message: string) => void;
  },
): Checkpointer => {
  const done = new SharedArrayBuffer(4);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      file,
      done,
      intervalMs: options.intervalMs,
      busyTimeoutMs: options.busyTimeoutMs,
      // Table names checked against /^[A-Za-z_][A-Za-z0-9_]*$/ by the store; the page count is a literal
      // because FTS5 wants an integer and better-sqlite3 binds JS numbers as REAL.
      maxMergeWait: MAX_MERGE_WAIT_TICKS,
      mergeSql: (options.ftsTables ?? []).map(
        (t) => `INSERT INTO "${t}" ("${t}", rank) VALUES ('merge', ${MERGE_PAGES})`,
      ),
      // Resolved here: an eval'd worker resolves modules from the process's working directory, not from us.
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
    },
  });
  worker.unref();
  let reported = false;
  const report = (message: string): void => {
    if (reported) return;
    reported = true;
    options.onError(message);
  };
  worker.on('message', (m: unknown) => {
    if (typeof m === 'object' && m !== null && 'error' in m) report(String(m.error));
  });
  worker.on('error', (error) => report(error.message));
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      const flag = new Int32Array(done);
      worker.postMessage('stop');
      // Atomics.wait is allowed on Node's main thread; it keeps close() synchronous like db.close().
      if (Atomics.wait(flag, 0, 0, STOP_TIMEOUT_MS) === 'timed-out') void worker.terminate();
    },
  };
};
