/**
 * Runs one export in a worker thread (node:worker_threads): laying out a long PDF takes seconds of
 * CPU, which here never holds the core's event loop. The worker opens its own read-only connection
 * (WAL lets it read while the core appends: https://sqlite.org/wal.html#concurrency) and posts
 * progress, then the result, to the core.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { exportLogbook, type ExportRequest } from './run.js';

export interface WorkerInput {
  dbPath: string;
  directorate: string;
  positionName: string;
  exportDir: string;
  nowMs: number;
  request: ExportRequest;
}

export type WorkerMessage =
  | { type: 'progress'; exportId: string; format: 'pdf' | 'csv'; done: number; total: number }
  | { type: 'done'; result: Awaited<ReturnType<typeof exportLogbook>> }
  | { type: 'failed'; message: string };

const input = workerData as WorkerInput;
const port = parentPort;
if (port === null) throw new Error('worker.ts se lance comme worker_thread');
const db = new Database(input.dbPath, { readonly: true, fileMustExist: true });
try {
  db.pragma('busy_timeout = 5000');
  const result = await exportLogbook(
    {
      db,
      directorate: input.directorate,
      positionName: input.positionName,
      exportDir: input.exportDir,
      now: () => input.nowMs,
    },
    input.request,
    (p) => port.postMessage({ type: 'progress', ...p } satisfies WorkerMessage),
  );
  port.postMessage({ type: 'done', result } satisfies WorkerMessage);
} catch (error) {
  port.postMessage({
    type: 'failed',
    message: error instanceof Error ? error.message : String(error),
  } satisfies WorkerMessage);
} finally {
  db.close();
}
