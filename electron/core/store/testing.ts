/**
 * Test fixture shared by the store's tests: stores opened on temporary data directories with every
 * domain module, all closed and removed after each test. Not used by production code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { eventTypes, projections } from '../domain.js';
import { openStore } from './store.js';
import type { Store, StoreOptions } from './types.js';

export const useTempStores = (prefix: string) => {
  const dirs: string[] = [];
  const stores: Store[] = [];
  afterEach(() => {
    for (const s of stores.splice(0)) s.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  const open = (dataDir: string, extra: Partial<StoreOptions> = {}): Store => {
    const store = openStore({ dataDir, eventTypes, projections, backup: false, ...extra });
    stores.push(store);
    return store;
  };
  return { tempDir, open };
};
