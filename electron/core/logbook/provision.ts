/**
 * The roster outside the console: `vigie users` at provisioning, and tests. Takes the data directory's
 * lock (store/lock.ts), so that it never runs beside a console on the same directory.
 */
import { join } from 'node:path';
import { loadFileConfig } from '../config.js';
import { moduleSchemas } from '../modules.js';
import { openStore } from '../store/index.js';
import { acquireDataDirLock, ensureDataDir } from '../store/lock.js';
import { pinKeyPath } from './pin-key.js';
import { createLogbookService, type LogbookService } from './service.js';

export const withRoster = async <T>(
  dataDir: string,
  what: string,
  fn: (roster: LogbookService['provisioning']) => Promise<T> | T,
): Promise<T> => {
  // The first step of a new position (README: the first chef de salle goes on the roster before the console
  // starts): its directory is made here, private as the console makes it (core/index.ts).
  ensureDataDir(dataDir);
  const lock = acquireDataDirLock(dataDir, what);
  try {
    const config = loadFileConfig(dataDir);
    const store = openStore({ dataDir, modules: moduleSchemas(), backup: false });
    try {
      const logbook = createLogbookService(store, {
        positionName: config.positionName,
        directorate: config.directorate,
        exportDir: join(dataDir, 'exports'),
        pinKeyFile: pinKeyPath(dataDir),
        operatorPinRequired: config.operatorPinRequired,
      });
      return await fn(logbook.provisioning);
    } finally {
      store.close();
    }
  } finally {
    lock.release();
  }
};
