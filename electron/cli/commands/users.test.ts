import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../core/index.js';
import { pinKeyPath } from '../../core/logbook/pin-key.js';
import { removeDataDir } from '../../testing/data-dir.js';

/** `vigie users` as a technician runs it at provisioning: the built CLI, the PIN on stdin. */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'dist/electron/cli/main.js');
beforeAll(() => {
  if (!existsSync(cli)) spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  expect(existsSync(cli), `${cli} manquant : npm run build`).toBe(true);
});
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeDataDir(d);
});
const vigie = (args: string[], input = '') => {
  const r = spawnSync(process.execPath, [cli, 'users', ...args], { input, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('vigie users', () => {
  it('adds users with their first PIN from stdin, refuses look-alikes and a chef without PIN, lists no secret', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-cli-users-'));
    dirs.push(dir);
    const added = vigie(
      ['add', '--data', dir, '--name', 'Marie Chef', '--role', 'chef_de_salle', '--pin-stdin'],
      '4821\n',
    );
    expect(added, added.err).toMatchObject({ code: 0 });
    expect(added.out).toContain('Marie Chef — Chef de salle');
    const alike = vigie(['add', '--data', dir, '--name', 'Marie \u0421hef', '--role', 'operateur']);
    expect(alike.code).toBe(1);
    expect(alike.err).toContain('se lit comme « Marie Chef »');
    const noPin = vigie(['add', '--data', dir, '--name', 'Tech', '--role', 'technicien']);
    expect(noPin.code).toBe(1);
    expect(noPin.err).toMatch(/code PIN est obligatoire/);
    // Never a PIN on the command line (visible in ps and the shell history).
    expect(vigie(['add', '--data', dir, '--name', 'Tech', '--role', 'technicien', '--pin', '1234']).code).not.toBe(0);
    const list = vigie(['list', '--data', dir, '--json']);
    const users = list.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(users).toEqual([expect.objectContaining({ name: 'Marie Chef', role: 'chef_de_salle', hasPin: true })]);
    expect(list.out).not.toContain('scrypt');
    expect(statSync(pinKeyPath(dir)).mode & 0o777).toBe(0o600);
  });

  it('creates a new position’s data directory, private, as the README’s first step does; says when --data is not a directory', () => {
    const parent = mkdtempSync(join(tmpdir(), 'vigie-cli-users-'));
    dirs.push(parent);
    const dir = join(parent, 'poste1');
    const added = vigie(
      ['add', '--data', dir, '--name', 'Marie Chef', '--role', 'chef_de_salle', '--pin-stdin'],
      '4821\n',
    );
    expect(added, added.err).toMatchObject({ code: 0 });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const file = join(dir, 'vigie.db');
    const notDir = vigie(['add', '--data', join(file, 'x'), '--name', 'Paul', '--role', 'operateur']);
    expect(notDir.code).toBe(1);
    expect(notDir.err).toContain(`Le dossier de données ${join(file, 'x')}`);
    expect(notDir.err).not.toMatch(/ENOENT: no such file|at /);
  });

  it('is refused while a console runs on the directory, naming its PID, and so is a second vigie serve', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-cli-users-'));
    dirs.push(dir);
    const core = await createCore({ dataDir: dir, log: () => {} });
    try {
      const r = vigie(['add', '--data', dir, '--name', 'Paul', '--role', 'operateur']);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`processus ${process.pid} (console`);
      expect(r.err).toContain(dir);
      // A second console (vigie serve) on the same directory is refused the same way, before it listens.
      const serve = spawnSync(process.execPath, [cli, 'serve', '--data', dir], { encoding: 'utf8', timeout: 60_000 });
      expect(serve.status).toBe(1);
      expect(serve.stderr).toContain(`processus ${process.pid} (console`);
      expect(serve.stdout).not.toContain('Vigie prête');
    } finally {
      await core.close();
    }
    expect(vigie(['add', '--data', dir, '--name', 'Paul', '--role', 'operateur']).code).toBe(0);
  });
});
