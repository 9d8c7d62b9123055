/**
 * One core per data directory, file modes, and storage faults told truthfully (issue 11 §3 and §7):
 * a second console refused naming the PID and the directory, read-only uses beside it; a read-only
 * directory is « lecture seule », a full disk « disque plein » with the status bar red; a lost vigie.db
 * is refused, never replaced by an empty one.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { CoreModule } from '../kernel/module.js';
import { createCore, type Core } from '../index.js';
import { coreModules, moduleSchemas } from '../modules.js';
import { provision, TEST_PIN } from '../../testing/roster.js';
import { StoreError } from './errors.js';
import { lockPath } from './lock.js';
import { restoreBackup } from './backup.js';
import { openStore } from './store.js';
import { databasePath, identityPath } from './paths.js';
import { removeDataDir } from '../../testing/data-dir.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-storage-'));
  cleanup.push(() => {
    removeDataDir(dir);
  });
  return dir;
};
const start = async (dataDir: string, extra: { services?: boolean } = {}, modules?: CoreModule[]): Promise<Core> => {
  const core = await createCore({ dataDir, log: () => {}, ...extra }, modules);
  cleanup.push(() => core.close());
  return core;
};
const caught = async (fn: () => unknown): Promise<unknown> => {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('aucune erreur levée');
};
const mode = (path: string): number => statSync(path).mode & 0o777;

describe('one core per data directory', () => {
  it('refuses a second console with the PID and the directory; read-only uses still work beside it', async () => {
    const dir = tempDir();
    const first = await start(dir);
    const error = await caught(() => createCore({ dataDir: dir, log: () => {} }));
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('locked');
    expect((error as StoreError).message).toContain(`processus ${process.pid}`);
    expect((error as StoreError).message).toContain(dir);
    // status (a core without services), verify and export (a plain store) beside the running console.
    const status = await start(dir, { services: false });
    expect(status.status().database.state).not.toBe('error');
    const reader = openStore({ dataDir: dir, modules: moduleSchemas(), backup: false });
    expect(reader.verify()).toMatchObject({ ok: true });
    reader.close();
    await status.close();
    await first.close();
    expect(existsSync(lockPath(dir))).toBe(false);
    await (await start(dir)).close();
  });

  it('takes over the lock of a process that has ended (crash, power cut)', async () => {
    const dir = tempDir();
    await (await start(dir)).close();
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid ?? 0;
    writeFileSync(
      lockPath(dir),
      JSON.stringify({ pid: dead, host: (await import('node:os')).hostname(), what: 'console', since: 'hier' }),
    );
    const core = await start(dir);
    expect(core.status().database.state).not.toBe('error');
  });

  it('starts no service (no SIP client, no backup timer) in a core for `vigie status`', async () => {
    const dir = tempDir();
    const started: string[] = [];
    const probe: CoreModule = {
      name: 'probe',
      eventTypes: [],
      projections: [],
      migrations: [],
      setup: () => ({ services: [{ name: 'sip', start: () => void started.push('sip'), stop: () => {} }] }),
    };
    const core = await start(dir, { services: false }, [...coreModules(), probe]);
    await core.started;
    expect(started).toEqual([]);
    const full = await start(tempDir(), {}, [...coreModules(), probe]);
    await full.started;
    expect(started).toEqual(['sip']);
  });

  it('keeps the data directory 0700 and its files 0600', async () => {
    const dir = tempDir();
    const core = await start(dir);
    for (const file of [databasePath(dir), `${databasePath(dir)}-wal`, identityPath(dir), lockPath(dir)])
      expect(mode(file), file).toBe(0o600);
    expect(mode(dir)).toBe(0o700);
    await core.close();
  });
});

describe('backups and exports', () => {
  it('are written 0600 in 0700 directories, even with a permissive umask', async () => {
    const dir = tempDir();
    const previous = process.umask(0o022);
    try {
      const core = await start(dir);
      const { file } = await core.store.backup();
      expect(mode(file), file).toBe(0o600);
      expect(mode(join(dir, 'backups'))).toBe(0o700);
      const { createLogbookService } = await import('../logbook/service.js');
      const exportDir = join(dir, 'exports');
      const service = createLogbookService(core.store, { positionName: 'POSTE-1', directorate: 'DSCGR', exportDir });
      core.store.append('logbook.entry', { text: 'Une inscription', category: 'information' }, 'Marie Wamytan');
      for (const format of ['csv', 'pdf'] as const) {
        const result = await service.exportLogbook({ format });
        expect(mode(result.file), result.file).toBe(0o600);
      }
      const outside = join(dir, 'déjà-là.csv');
      writeFileSync(outside, 'ancien', { mode: 0o644 });
      expect(mode((await service.exportLogbook({ format: 'csv', file: outside })).file)).toBe(0o600);
      expect(mode(exportDir)).toBe(0o700);
      await core.close();
    } finally {
      process.umask(previous);
    }
  });
});

describe('storage faults', () => {
  it('a full disk: « disque plein » with the path, the write refused, the status bar red, then green again', async () => {
    const dir = tempDir();
    const [chef] = await provision(dir, [{ name: 'Marie Chef', role: 'chef_de_salle', pin: TEST_PIN }]);
    const core = await start(dir);
    expect(await core.request('session.signIn', { userId: chef?.userId ?? '', pin: TEST_PIN })).toMatchObject({
      ok: true,
    });
    const before = core.store.count();
    // The file may not grow by one page: what SQLite reports on a full disk (https://sqlite.org/pragma.html#pragma_max_page_count).
    core.store.db.pragma(`max_page_count = ${String(core.store.db.pragma('page_count', { simple: true }))}`);
    const refused = await core.request('logbook.append', { text: 'x'.repeat(3900), category: 'information' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(!refused.ok && refused.error.message).toMatch(/disque plein/);
    expect(!refused.ok && refused.error.message).toContain(databasePath(dir));
    expect(core.store.count()).toBe(before);
    expect(core.status().database).toMatchObject({ state: 'error', detail: expect.stringMatching(/disque plein/) });
    core.store.db.pragma('max_page_count = 4294967294');
    expect(await core.request('logbook.append', { text: 'après', category: 'information' })).toMatchObject({
      ok: true,
    });
    expect(core.status().database.state).not.toBe('error');
  });

  it('a missing or empty vigie.db in a directory that held a log is refused, never replaced; restore is the way out', async () => {
    const dir = tempDir();
    const first = await start(dir);
    const backup = join(tempDir(), 'copie.db');
    await first.store.backup().then(({ file }) => renameSync(file, backup));
    await first.close();
    for (const lose of [() => writeFileSync(databasePath(dir), ''), () => rmSync(databasePath(dir))]) {
      lose();
      const error = await caught(() => createCore({ dataDir: dir, log: () => {} }));
      expect((error as StoreError).message).toMatch(/a disparu ou est vide/);
      expect((error as StoreError).message).toContain(identityPath(dir));
      expect(existsSync(databasePath(dir)) ? statSync(databasePath(dir)).size : 0).toBe(0);
      expect(existsSync(lockPath(dir))).toBe(false);
    }
    restoreBackup(backup, dir);
    const restored = await start(dir);
    expect(restored.status().database.state).not.toBe('error');
  });

  it('a read-only data directory is « lecture seule » with its path, not a damaged database', () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const built = join(root, 'dist/electron/core/index.js');
    if (!existsSync(built)) {
      console.warn(`test sauté : ${built} absent (npm run build)`);
      return;
    }
    for (const withLog of [true, false]) {
      const dir = tempDir();
      if (withLog) openStore({ dataDir: dir, modules: moduleSchemas(), backup: false }).close();
      // Root ignores file modes: the check runs as an unprivileged account (nobody) when the test is root.
      const uid = process.getuid?.() === 0 ? 65534 : undefined;
      if (uid !== undefined) {
        chownSync(dir, uid, uid);
        for (const f of ['vigie.db', 'vigie.identity']) if (existsSync(join(dir, f))) chownSync(join(dir, f), uid, uid);
      }
      spawnSync('chmod', ['0500', dir]);
      const script = `import(${JSON.stringify(built)}).then((m) => m.createCore({ dataDir: ${JSON.stringify(dir)}, log: () => {} }))
        .then(() => console.log('ouvert'), (e) => console.log(e.code + ' ' + e.message));`;
      const out = spawnSync(process.execPath, ['-e', script], {
        encoding: 'utf8',
        ...(uid === undefined ? {} : { uid, gid: uid }),
      });
      spawnSync('chmod', ['0700', dir]);
      expect(out.stdout, out.stderr).toMatch(/^read_only .*lecture seule/);
      expect(out.stdout).toContain(dir);
      expect(out.stdout).not.toMatch(/endommagée/);
    }
  });
});
