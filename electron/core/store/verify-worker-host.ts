/**
 * The second part of a chain check (verify.ts) in a worker thread, waited for synchronously: verify's callers
 * (the CLI, an export, a repair) run it inside one read transaction, so it cannot await. The worker says how
 * far it got in shared memory and posts its result on a port read with receiveMessageOnPort
 * (https://nodejs.org/docs/latest-v20.x/api/worker_threads.html#workerreceivemessageonportport).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { PartBounds, PartResult } from './verify-parts.js';

// The compiled worker sits next to this file in dist/. Run from TypeScript sources (vitest), there is none:
// the check then runs in one part (logbook/export/in-worker.ts does the same).
const workerUrl = new URL('./verify-worker.js', import.meta.url);

export const verifyWorkerAvailable = (): boolean => existsSync(fileURLToPath(workerUrl));

/** Shared words: [0] set to 1 once the result is posted, [1] rows checked so far. */
export const DONE = 0;
export const PROGRESS = 1;

export interface VerifyWorkerInput {
  file: string;
  bounds: Omit<PartBounds, 'maxSeq'> & { maxSeq: [string, number][] };
  shared: SharedArrayBuffer;
}

export type VerifyWorkerMessage = { result: PartResult } | { error: string };

export interface VerifyWorker {
  progress(): number;
  /** Waits up to `ms` for the result; 'pending' while the worker is still checking. */
  wait(ms: number): PartResult | 'pending' | 'failed';
  stop(): void;
}

export const startVerifyWorker = (file: string, bounds: PartBounds): VerifyWorker => {
  const shared = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  const input: VerifyWorkerInput = {
    file,
    bounds: { ...bounds, maxSeq: [...bounds.maxSeq] },
    shared: shared.buffer as SharedArrayBuffer,
  };
  const worker = new Worker(workerUrl, {
    workerData: { ...input, port: port2 },
    transferList: [port2],
    // Its rows are garbage at once: a small young generation keeps the process's peak memory down (peak RSS
    // of a process that opens the 1 M database and verifies it: 254 MB with V8's default, 228 MB with 4 MB,
    // for the same time; the store's target is 250 MB).
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
  // A check abandoned by its caller must not keep the process alive.
  worker.unref();
  let failed = false;
  return {
    progress: () => Atomics.load(shared, PROGRESS),
    wait(ms) {
      if (failed) return 'failed';
      Atomics.wait(shared, DONE, 0, ms);
      const received = receiveMessageOnPort(port1) as { message: VerifyWorkerMessage } | undefined;
      if (received === undefined) return 'pending';
      if ('error' in received.message) {
        failed = true;
        process.stderr.write(
          `vigie : vérification en parallèle indisponible (${received.message.error}) : suite ici\n`,
        );
        return 'failed';
      }
      return received.message.result;
    },
    stop() {
      port1.close();
      void worker.terminate();
    },
  };
};
