import Database from 'better-sqlite3';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { databasePath, LAYOUT_VERSION, StoreError } from './index.js';
import { useTempStores } from './testing.js';

/** Opening a data directory: pragmas, identity, refusals of damaged, foreign, newer or vanished files. */
const { tempDir, open } = useTempStores('vigie-store-open-');

const entry = (text: string) => ({ type: 'logbook.entry', payload: { text, category: 'information' }, author: 'test' });

describe('opening', () => {
  it('sets WAL and synchronous=FULL at every open (also on reopen), foreign keys, and the latest schema', () => {
    const dir = tempDir();
    for (let round = 0; round < 2; round += 1) {
      const store = open(dir);
      expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
      expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(store.db.pragma('cache_size', { simple: true })).toBe(-32_000);
      expect(store.db.pragma('user_version', { simple: true })).toBe(LAYOUT_VERSION);
      store.close();
    }
  });

  it('keeps its origin (nodeId) across opens', () => {
    const dir = tempDir();
    const store = open(dir);
    const first = store.origin;
    store.close();
    expect(open(dir).origin).toBe(first);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a corrupt file with a French message naming it and the way out, and leaves it untouched', () => {
    const dir = tempDir();
    const file = databasePath(dir);
    writeFileSync(file, 'ceci n’est pas une base SQLite, '.repeat(200));
    const before = readFileSync(file);
    let error: unknown;
    try {
      open(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('corrupt');
    expect((error as StoreError).message).toContain(file);
    expect((error as StoreError).message).toContain('restaurer une sauvegarde');
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it("with startupCheck 'log', damage outside the log is reported by the background check, not at open", async () => {
    const dir = tempDir();
    const store = open(dir);
    store.appendAll(Array.from({ length: 3000 }, (_, i) => entry(`entrée ${i} `.repeat(5))));
    store.close();
    // Damage the logbook_entries table's pages only: find them with the dbstat virtual table.
    const raw = new Database(databasePath(dir));
    const pages = raw
      .prepare("SELECT pageno FROM dbstat WHERE name = 'logbook_entries' AND pagetype = 'leaf' LIMIT 3")
      .all() as { pageno: number }[];
    raw.close();
    const bytes = readFileSync(databasePath(dir));
    for (const { pageno } of pages) for (let i = (pageno - 1) * 4096; i < pageno * 4096; i += 1) bytes[i] = 0x5a;
    writeFileSync(databasePath(dir), bytes);
    const errors: string[] = [];
    const damaged = open(dir, { startupCheck: 'log', onIntegrityError: (m) => errors.push(m) });
    expect(damaged.count()).toBe(3000);
    await vi.waitFor(() => expect(damaged.integrity().state).toBe('error'), { timeout: 10_000, interval: 20 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(databasePath(dir));
    expect(() => open(tempDir()).close()).not.toThrow();
    expect(() => open(dir)).toThrow(/restaurer une sauvegarde/);
  });

  it('refuses a database whose pages are damaged (quick_check), not only a foreign file', () => {
    const dir = tempDir();
    const store = open(dir);
    store.appendAll(Array.from({ length: 3000 }, (_, i) => entry(`entrée ${i} `.repeat(5))));
    store.close();
    const file = databasePath(dir);
    const bytes = readFileSync(file);
    const pageSize = 4096;
    // Scribble over a few pages in the middle of the file (inside the events b-tree).
    for (let i = 10 * pageSize + 100; i < 12 * pageSize; i += 1) bytes[i] = (i * 7) & 0xff;
    writeFileSync(file, bytes);
    expect(() => open(dir)).toThrow(/restaurer une sauvegarde/);
  });

  it("with startupCheck 'log', refuses a file whose chain ends do not match its events (cut or spliced end)", () => {
    const dir = tempDir();
    const store = open(dir);
    store.appendAll(Array.from({ length: 5 }, (_, i) => entry(`entrée ${i}`)));
    store.close();
    const raw = new Database(databasePath(dir));
    // `heads` is the store's own bookkeeping, not guarded by triggers: pretend the last event was lost.
    raw
      .prepare(
        'UPDATE heads SET seq = seq - 1, hash = (SELECT e.hash FROM events e WHERE e.origin = heads.origin AND e.seq = heads.seq - 1)',
      )
      .run();
    raw.close();
    expect(() => open(dir, { startupCheck: 'log' })).toThrow(/au-delà de la fin de chaîne/);
    const raw2 = new Database(databasePath(dir));
    raw2.prepare("UPDATE heads SET seq = seq + 1, hash = 'f'").run();
    raw2.close();
    expect(() => open(dir, { startupCheck: 'log' })).toThrow(/absente ou différente/);
  });

  it("with startupCheck 'log', still refuses a foreign file, opens a good one and checks the rest in the background", async () => {
    const dir = tempDir();
    const first = open(dir, { startupCheck: 'log' });
    first.append('logbook.entry', { text: 'x', category: 'information' }, 't');
    first.close();
    const reopened = open(dir, { startupCheck: 'log' });
    expect(reopened.count()).toBe(1);
    expect(reopened.integrity()).toEqual({ state: 'checking' });
    await vi.waitFor(() => expect(reopened.integrity()).toEqual({ state: 'ok' }), { timeout: 10_000, interval: 20 });
    const other = tempDir();
    writeFileSync(databasePath(other), 'pas une base '.repeat(500));
    expect(() => open(other, { startupCheck: 'log' })).toThrow(/restaurer une sauvegarde/);
  });

  it('refuses a database written by a newer schema version and does not touch it', () => {
    const dir = tempDir();
    open(dir).close();
    const raw = new Database(databasePath(dir));
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => open(dir)).toThrow(/version plus récente de Vigie \(organisation du schéma 99/);
    const check = new Database(databasePath(dir), { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(99);
    check.close();
  });

  it("refuses a database where one module's schema is newer, naming the file and the module, untouched", () => {
    const dir = tempDir();
    open(dir).close();
    const raw = new Database(databasePath(dir));
    raw.prepare("UPDATE schema_versions SET version = 9 WHERE module = 'calls'").run();
    raw.close();
    const before = readFileSync(databasePath(dir));
    let error: unknown;
    try {
      open(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('newer_schema');
    expect((error as StoreError).message).toContain(databasePath(dir));
    expect((error as StoreError).message).toContain('module calls : schéma 9');
    expect(readFileSync(databasePath(dir)).equals(before)).toBe(true);
  });

  it('does not create an empty database silently where backups show there was one', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'backups'));
    writeFileSync(join(dir, 'backups', 'vigie-2026-01-01T00-00-00-000Z.db'), '');
    expect(() => open(dir)).toThrow(/absente ou vide alors que des sauvegardes existent/);
    writeFileSync(databasePath(dir), '');
    expect(() => open(dir)).toThrow(/absente ou vide alors que des sauvegardes existent/);
  });
});
