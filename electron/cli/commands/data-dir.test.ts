import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir } from '../../testing/data-dir.js';

/**
 * A mistyped --data (the built CLI, as a technician types it): the commands that work on a position's log
 * refuse it in French and make nothing there; the ones that make a position (users add, restore) make it.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'dist/electron/cli/main.js');
let parent = '';
beforeAll(() => {
  if (!existsSync(cli)) spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  parent = mkdtempSync(join(tmpdir(), 'vigie-cli-data-'));
});
afterAll(() => removeDataDir(parent));

const vigie = (args: string[], input = '') => {
  const r = spawnSync(process.execPath, [cli, ...args], { input, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('--data that names no position yet', () => {
  for (const args of [
    ['append', '--author', 'Paul'],
    ['backup'],
    ['rebuild'],
    ['status'],
    ['export', '--format', 'csv', '--out', '/dev/null'],
    ['keys', 'show'],
  ]) {
    it(`vigie ${args.join(' ')} refuses it and creates nothing`, () => {
      const dir = join(parent, `faute-de-frappe-${args[0] ?? ''}`);
      const r = vigie([args[0] ?? '', '--data', dir, ...args.slice(1)], 'une ligne\n');
      expect(r.code, r.err).toBe(2); // a usage error, as a missing option
      expect(r.err).toContain(`aucune base Vigie dans ${dir}`);
      expect(existsSync(dir)).toBe(false);
    });
  }

  it('vigie restore makes the directory of a new machine and restores the backup there', () => {
    const from = join(parent, 'poste-sauvegarde');
    expect(vigie(['users', 'add', '--data', from, '--name', 'Paul', '--role', 'operateur']).code).toBe(0);
    const backup = vigie(['backup', '--data', from]);
    expect(backup.code, backup.err).toBe(0);
    const file = backup.out.trim().split('\n')[0] ?? '';
    const to = join(parent, 'nouvelle-machine', 'poste1');
    const restored = vigie(['restore', '--data', to, '--from', file]);
    expect(restored.code, restored.err).toBe(0);
    expect(existsSync(join(to, 'vigie.db'))).toBe(true);
    expect(vigie(['verify', '--data', to]).out).toMatch(/OK 1 events/);
  });
});
