/**
 * Test fixture shared by the store's tests: the schema part of every domain module (testSchemas), and
 * stores opened on temporary data directories with them, all closed and removed after each test. Not
 * used by production code.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { moduleSchemas } from '../modules.js';
import { openStore } from './store.js';
import type { ModuleSchema, Store, StoreOptions } from './types.js';
import { removeDataDir } from '../../testing/data-dir.js';

/** Every module of the list as the store sees it (schema parts only: no runtime, no sip.js). */
export const testSchemas = (): readonly ModuleSchema[] => moduleSchemas();

export const useTempStores = (prefix: string) => {
  const dirs: string[] = [];
  const stores: Store[] = [];
  afterEach(() => {
    for (const s of stores.splice(0)) s.close();
    for (const d of dirs.splice(0)) removeDataDir(d);
  });
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  const open = (dataDir: string, extra: Partial<StoreOptions> = {}): Store => {
    const store = openStore({ dataDir, modules: testSchemas(), backup: false, ...extra });
    stores.push(store);
    return store;
  };
  return { tempDir, open };
};
