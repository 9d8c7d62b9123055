import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { databasePath, listBackups, restoreBackup, verifyDatabase, type Store } from './index.js';
import { useTempStores } from './testing.js';
import { quickCheckInWorker } from './quick-check-worker.js';

const { tempDir, open } = useTempStores('vigie-backup-');
const write = (store: Store, n: number, prefix = 'e'): void => {
  for (let i = 0; i < n; i += 1)
    store.append('logbook.entry', { text: `${prefix}${i}`, category: 'information' }, 'test');
};

describe('backups', () => {
  it('writes a checked, standalone copy into <data>/backups', async () => {
    const dir = tempDir();
    const store = open(dir);
    write(store, 25);
    const { file, events } = await store.backup();
    expect(events).toBe(25);
    expect(file.startsWith(join(dir, 'backups', 'vigie-'))).toBe(true);
    expect(readdirSync(join(dir, 'backups'))).toEqual([file.split('/').at(-1)]);
    const copy = new Database(file, { readonly: true });
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(copy.pragma('quick_check', { simple: true })).toBe('ok');
    expect(verifyDatabase(copy)).toMatchObject({ ok: true, events: 25 });
    copy.close();
  });

  it('keeps only the configured number of backups', async () => {
    const dir = tempDir();
    const store = open(dir, { backup: { keep: 3, intervalMs: 0 } });
    const made: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      write(store, 1, `r${i}`);
      made.push((await store.backup()).file);
    }
    // Several backups in the same millisecond still get distinct names in creation order.
    expect([...made].sort()).toEqual(made);
    expect(listBackups(dir)).toEqual(made.slice(2));
  });

  it('runs on a schedule', async () => {
    const dir = tempDir();
    const store = open(dir, { backup: { intervalMs: 50, keep: 2 } });
    write(store, 3);
    await vi.waitFor(() => expect(listBackups(dir).length).toBeGreaterThanOrEqual(2), {
      timeout: 10_000,
      interval: 50,
    });
    expect(listBackups(dir).length).toBeLessThanOrEqual(2);
  });
});

describe('quick_check of a backup in a worker thread', () => {
  it('says ok for a sound file, and reports a damaged or foreign one', async () => {
    const dir = tempDir();
    const store = open(dir);
    store.appendAll(
      Array.from({ length: 3000 }, (_, i) => ({
        type: 'logbook.entry',
        payload: { text: `entrée ${i} `.repeat(5), category: 'information' },
        author: 't',
      })),
    );
    const { file } = await store.backup();
    expect(await quickCheckInWorker(file)).toEqual(['ok']);
    const bytes = readFileSync(file);
    for (let i = 10 * 4096 + 100; i < 12 * 4096; i += 1) bytes[i] = (i * 7) & 0xff;
    const damaged = join(dir, 'abîmée.db');
    writeFileSync(damaged, bytes);
    expect(await quickCheckInWorker(damaged).catch((e: Error) => [e.message])).not.toEqual(['ok']);
    const foreign = join(dir, 'étrangère.db');
    writeFileSync(foreign, 'pas une base '.repeat(400));
    await expect(quickCheckInWorker(foreign)).rejects.toThrow(/not a database/);
  });
});

describe('restore', () => {
  it('replaces the live database by a backup, keeping the previous one aside; appends continue the chain', async () => {
    const dir = tempDir();
    const store = open(dir);
    write(store, 5, 'avant');
    const { file } = await store.backup();
    write(store, 3, 'après');
    store.close();

    const result = restoreBackup(file, dir);
    expect(result.events).toBe(5);
    expect(result.previous).toBeDefined();
    const previous = new Database(result.previous ?? '', { readonly: true });
    expect(verifyDatabase(previous)).toMatchObject({ ok: true, events: 8 });
    previous.close();

    const restored = open(dir);
    expect(restored.count()).toBe(5);
    expect(restored.db.prepare('SELECT count(*) AS n FROM logbook_entries').get()).toEqual({ n: 5 });
    const next = restored.append('logbook.entry', { text: 'reprise', category: 'information' }, 'test');
    expect(next.seq).toBe(6);
    expect(restored.verify()).toMatchObject({ ok: true, events: 6 });
  });

  it('is the way out of a corrupt database: the open error names the latest backup, restoring it works', async () => {
    const dir = tempDir();
    const store = open(dir);
    write(store, 4);
    const { file } = await store.backup();
    store.close();
    writeFileSync(databasePath(dir), 'détruit');
    rmSync(`${databasePath(dir)}-wal`, { force: true });
    expect(() => open(dir)).toThrow(`restaurer une sauvegarde : vigie restore --data ${dir} --from ${file}`);
    restoreBackup(file, dir);
    expect(open(dir).verify()).toMatchObject({ ok: true, events: 4 });
  });

  it('refuses a backup whose chain is broken, and leaves the live database alone', async () => {
    const dir = tempDir();
    const store = open(dir);
    write(store, 4);
    const { file } = await store.backup();
    write(store, 1);
    store.close();
    const bad = new Database(file);
    bad.exec(
      "DROP TRIGGER events_no_update; UPDATE events SET payload = json_set(payload, '$.text', 'faux') WHERE seq = 2",
    );
    bad.close();
    expect(() => restoreBackup(file, dir)).toThrow(/refusée : FAIL origin=.* seq=2 .*altered/);
    expect(existsSync(databasePath(dir))).toBe(true);
    expect(open(dir).count()).toBe(5);
  });
});
