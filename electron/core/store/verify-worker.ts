/**
 * Worker thread of verify-worker-host.ts: the second part of a chain check, on its own read-only connection.
 * Whatever happens it posts one message, then sets the done word: the host waits on that word.
 */
import Database from 'better-sqlite3';
import { workerData, type MessagePort } from 'node:worker_threads';
import { verifyPart } from './verify-parts.js';
import { DONE, PROGRESS, type VerifyWorkerInput, type VerifyWorkerMessage } from './verify-worker-host.js';

const input = workerData as VerifyWorkerInput & { port: MessagePort };
const shared = new Int32Array(input.shared);
let message: VerifyWorkerMessage;
let db: Database.Database | undefined;
try {
  db = new Database(input.file, { readonly: true, fileMustExist: true });
  const steps = verifyPart(db, { ...input.bounds, maxSeq: new Map(input.bounds.maxSeq) });
  let step = steps.next();
  for (; step.done !== true; step = steps.next()) Atomics.store(shared, PROGRESS, step.value);
  message = { result: step.value };
} catch (error) {
  message = { error: error instanceof Error ? error.message : String(error) };
} finally {
  db?.close();
}
input.port.postMessage(message);
Atomics.store(shared, DONE, 1);
Atomics.notify(shared, DONE);
