/**
 * Test scaffolding: the one way a test, an e2e file or a benchmark removes a data directory it made. The
 * core keeps two secrets BESIDE the data directory, not inside it (logbook/pin-key.ts, trust/keys.ts):
 * `rm -r <data>` alone leaves a private key behind in the temporary folder on every run.
 */
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pinKeyPath } from '../core/logbook/pin-key.js';
import { pendingKeyPath, positionKeyPath } from '../core/trust/keys.js';

// An empty environment: the files beside the directory, even when this process names a mounted secret
// (VIGIE_PIN_PEPPER_FILE, VIGIE_POSITION_KEY_FILE), which a teardown must never delete.
const BESIDE: NodeJS.ProcessEnv = {};

// Both writers create a key as `<file>.<pid>.tmp` and link it into place: a process killed in between
// leaves that file (pin-key.ts `loadPinKey`, keys.ts `createKeyFile`).
const WRITE_IN_PROGRESS = /\.\d+\.tmp$/;

/** The secrets the core may have left beside `dataDir`: PIN key, position key, a rotation's pending key, and their unfinished writes. */
export const secretsBeside = (dataDir: string): string[] => {
  const positionKey = positionKeyPath(dataDir, BESIDE);
  const names = new Set(
    [pinKeyPath(dataDir, BESIDE), positionKey, pendingKeyPath(positionKey)].map((f) => basename(f)),
  );
  const parent = dirname(resolve(dataDir));
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return [];
    throw error;
  }
  return entries.filter((name) => names.has(name.replace(WRITE_IN_PROGRESS, ''))).map((name) => join(parent, name));
};

/** Removes `dataDir` and every secret kept beside it. */
export const removeDataDir = (dataDir: string): void => {
  // Retries: a child process (SIP, served console) may still be closing its files for a moment.
  rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  for (const file of secretsBeside(dataDir)) rmSync(file, { force: true });
};
