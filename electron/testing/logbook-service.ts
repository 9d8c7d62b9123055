/** Test scaffolding: a logbook service on a real SQLite file in a temporary folder, with a clock the test moves. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { LogbookEntry } from '../contract/logbook.js';
import { VigieError } from '../contract/result.js';
import { DEFAULT_DIRECTORATE } from '../core/config.js';
import type { LogbookService, LogbookServiceEvent } from '../core/logbook/index.js';
import { createLogbookService } from '../core/logbook/service.js';
import { moduleSchemas } from '../core/modules.js';
import { openStore } from '../core/store/index.js';
import type { Store } from '../core/store/types.js';
import { removeDataDir } from './data-dir.js';

export interface LogbookFixture {
  dir: string;
  store: Store;
  service: LogbookService;
  events: LogbookServiceEvent[];
  clock: { now: () => number; advance: (ms: number) => void };
  close(): void;
}

export const logbookFixture = (start = '2026-11-29T01:00:00Z'): LogbookFixture => {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-logbook-'));
  let t = Date.parse(start);
  const clock = { now: () => t, advance: (ms: number) => void (t += ms) };
  const store = openStore({ dataDir: dir, modules: moduleSchemas(), backup: false, now: clock.now });
  const events: LogbookServiceEvent[] = [];
  const service = createLogbookService(store, {
    positionName: 'POSTE-1',
    directorate: DEFAULT_DIRECTORATE,
    now: clock.now,
    exportDir: join(dir, 'exports'),
    pinKeyFile: join(dir, 'pin.key'),
    emit: (e) => events.push(e),
  });
  // In the core the module's reactor forwards committed events; here the fixture wires it directly.
  const off = store.onAppend(service.forward);
  return {
    dir,
    store,
    service,
    events,
    clock,
    close() {
      off();
      store.close();
      removeDataDir(dir);
    },
  };
};

export const appendText = (
  service: LogbookService,
  text: string,
  extra: Partial<Parameters<LogbookService['handlers']['logbook.append']>[0]> = {},
): LogbookEntry => service.handlers['logbook.append']({ text, category: 'information', ...extra }) as LogbookEntry;

/**
 * For a test file: a fresh fixture per test, closed after each test (vitest afterEach) whether it passed or
 * not. Call it at the file's top level; the function it returns opens the test's fixture.
 */
export const logbookFixturePerTest = (): ((start?: string) => LogbookFixture) => {
  let current: LogbookFixture | undefined;
  afterEach(() => {
    current?.close();
    current = undefined;
  });
  return (start) => {
    current?.close();
    current = logbookFixture(start);
    return current;
  };
};

/** The VigieError a handler refuses with; throws if `fn` returns, and passes any other error on. */
export const refusal = (fn: () => unknown): VigieError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof VigieError) return error;
    throw error;
  }
  throw new Error('aucune erreur levée');
};
