import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../core/index.js';
import { loadPinKey, pinKeyPath } from '../core/logbook/pin-key.js';
import { createKeyFile, pendingKeyPath, positionKeyPath } from '../core/trust/keys.js';
import { removeDataDir, secretsBeside } from './data-dir.js';
import { provision, TEST_PIN } from './roster.js';

// Each case works inside its own temporary parent, so that listing it shows exactly what a teardown left.
const parents: string[] = [];
afterEach(() => {
  for (const p of parents.splice(0)) rmSync(p, { recursive: true, force: true });
});
const parent = (): string => {
  const p = mkdtempSync(join(tmpdir(), 'vigie-data-dir-'));
  parents.push(p);
  return p;
};

describe('removeDataDir', () => {
  it('removes what a real core and provisioning write beside the data directory', async () => {
    const root = parent();
    const data = join(root, 'data');
    mkdirSync(data);
    await provision(data, [{ name: 'Léa', role: 'operateur', pin: TEST_PIN }]);
    const core = await createCore({ dataDir: data, log: () => {} });
    // The position key is made when the services start, after createCore returns.
    await core.started;
    await core.close();
    // If the core one day keeps another secret beside the directory, this list tells.
    expect(readdirSync(root).sort()).toEqual(['data', 'data.pin-key', 'data.position-key']);
    removeDataDir(data);
    expect(readdirSync(root)).toEqual([]);
  });

  it("removes a rotation's pending key and unfinished writes, and nothing of a neighbour", () => {
    const root = parent();
    const data = join(root, 'data');
    mkdirSync(data);
    writeFileSync(join(data, 'vigie.db'), '');
    const key = positionKeyPath(data, {});
    loadPinKey(pinKeyPath(data, {}));
    createKeyFile(key);
    createKeyFile(pendingKeyPath(key));
    writeFileSync(`${key}.4242.tmp`, '');
    writeFileSync(`${pinKeyPath(data, {})}.4243.tmp`, '');
    expect(secretsBeside(data)).toHaveLength(5);
    // Neighbours: another data directory, its key, and a file that merely starts with the same name.
    mkdirSync(join(root, 'data-2'));
    createKeyFile(positionKeyPath(join(root, 'data-2'), {}));
    writeFileSync(join(root, 'data.json'), '{}');
    writeFileSync(`${key}.old`, '');
    removeDataDir(data);
    expect(readdirSync(root).sort()).toEqual(['data-2', 'data-2.position-key', 'data.json', 'data.position-key.old']);
  });

  it('leaves a secret the environment names elsewhere (a mounted secret is not the test’s)', () => {
    const root = parent();
    const data = join(root, 'data');
    mkdirSync(data);
    const mounted = join(root, 'mounted.position-key');
    const saved = process.env.VIGIE_POSITION_KEY_FILE;
    process.env.VIGIE_POSITION_KEY_FILE = mounted;
    try {
      createKeyFile(positionKeyPath(data));
      createKeyFile(positionKeyPath(data, {}));
      removeDataDir(data);
    } finally {
      if (saved === undefined) delete process.env.VIGIE_POSITION_KEY_FILE;
      else process.env.VIGIE_POSITION_KEY_FILE = saved;
    }
    expect(readdirSync(root)).toEqual(['mounted.position-key']);
  });

  it('accepts a directory that is already gone', () => {
    const data = join(parent(), 'never-made');
    expect(() => removeDataDir(data)).not.toThrow();
    expect(secretsBeside(join(data, 'nor-this'))).toEqual([]);
  });
});
