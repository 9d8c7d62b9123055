import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeDataDir } from '../../testing/data-dir.js';
import { moduleSchemas } from '../modules.js';
import { openStore, type Store } from '../store/index.js';
import { createMonitor } from './monitor.js';
import { readState, readView } from './projection.js';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0).reverse()) c();
});

const newStore = (): Store => {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-health-monitor-'));
  const store = openStore({ dataDir: dir, modules: moduleSchemas(), backup: false });
  cleanup.push(
    () => removeDataDir(dir),
    () => store.close(),
  );
  return store;
};

describe('health monitor', () => {
  it('writes each transition, and waits for the backlog to drain before NOMINAL', () => {
    const store = newStore();
    let backlog = 3;
    const errors: string[] = [];
    const monitor = createMonitor({
      store,
      now: () => 5000,
      backlog: () => backlog,
      onTransition: () => {},
      log: (_l, m) => errors.push(m),
    });
    monitor.fault('telephony', 'telephony', 'Téléphonie IP', 'connexion fermée', 1000);
    monitor.clear('telephony', 4000);
    expect(monitor.state()).toEqual({ phase: 'recovering', since: 1000, restoredAt: 4000 });
    monitor.checkDrained();
    expect(monitor.state().phase).toBe('recovering');
    backlog = 0;
    monitor.checkDrained();
    expect(monitor.state().phase).toBe('nominal');
    const rows = store.db.prepare("SELECT type, payload FROM events WHERE type LIKE 'health.%' ORDER BY seq").all() as {
      type: string;
      payload: string;
    }[];
    expect(rows.map((r) => r.type)).toEqual(['health.degraded', 'health.recovering', 'health.nominal']);
    expect(JSON.parse(rows[2]?.payload ?? '{}')).toMatchObject({ since: 1000, durationMs: 3000, at: 5000 });
    expect(readState(store.db, store.origin)).toEqual({ phase: 'nominal' });
    expect(errors).toEqual([]);
  });

  it('a log that refuses the event still moves the state (the fault may be the log itself)', () => {
    const store = newStore();
    const errors: string[] = [];
    const refusing = {
      db: store.db,
      origin: store.origin,
      append: () => {
        throw new Error('SQLITE_READONLY');
      },
    };
    const monitor = createMonitor({
      store: refusing,
      now: () => 2000,
      backlog: () => 0,
      onTransition: () => {},
      log: (_l, m) => errors.push(m),
    });
    monitor.fault('database', 'database', 'Base locale', 'écriture refusée', 1000);
    expect(monitor.state()).toMatchObject({ phase: 'degraded', faults: [{ check: 'database' }] });
    expect(readView(store.db, store.origin).phase).toBe('nominal');
    expect(errors).toEqual([expect.stringContaining('SQLITE_READONLY')]);
  });
});
