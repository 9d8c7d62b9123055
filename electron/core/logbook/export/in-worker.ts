import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ExportResult } from '../../../contract/logbook.js';
import type { ExportProgress } from './run.js';
import type { WorkerInput, WorkerMessage } from './worker.js';

// The compiled worker sits next to this file in dist/. Run from TypeScript sources (vitest), there is
// no .js to start: the caller then exports in-process, yielding to the event loop between entries.
const workerUrl = new URL('./worker.js', import.meta.url);

export const workerAvailable = (): boolean => existsSync(fileURLToPath(workerUrl));

export const exportInWorker = (input: WorkerInput, onProgress: (p: ExportProgress) => void): Promise<ExportResult> =>
  new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl, { workerData: input });
    let settled = false;
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') onProgress(message);
      else if (message.type === 'done') {
        settled = true;
        resolve(message.result);
      } else {
        settled = true;
        reject(new Error(message.message));
      }
    });
    worker.on('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`export interrompu (worker terminé, code ${code})`));
    });
  });
