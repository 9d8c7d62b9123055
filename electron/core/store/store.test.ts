import Database from 'better-sqlite3';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  CLOCK_SKEW,
  databasePath,
  LAYOUT_VERSION,
  openStore,
  parseHlc,
  StoreError,
  type Projection,
  type StoredEvent,
} from './index.js';
import { testSchemas, useTempStores } from './testing.js';
import { UUID_V7_PATTERN } from './uuidv7.js';

const { tempDir, open } = useTempStores('vigie-store-');

const entry = (text: string) => ({ type: 'logbook.entry', payload: { text, category: 'information' }, author: 'test' });
/** Every row of a table (rowid-alias columns such as entry_no included), in a stable order. */
const dump = (db: Database.Database, table: string): string[] =>
  db
    .prepare(`SELECT * FROM "${table}"`)
    .all()
    .map((row) => JSON.stringify(row))
    .sort();

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

describe('append', () => {
  it('validates, stamps, chains, projects, and is visible to another connection when it returns', () => {
    const dir = tempDir();
    const store = open(dir);
    const a = store.append('logbook.entry', { text: '  Départ VSAV  ', category: 'intervention' }, 'Marie');
    const b = store.append('logbook.entry', { text: 'Retour', category: 'information' }, 'Marie');
    expect(a).toMatchObject({
      origin: store.origin,
      seq: 1,
      type: 'logbook.entry',
      author: 'Marie',
      payload: { text: 'Départ VSAV', category: 'intervention' },
    });
    expect(a.prevHash).toBe('0'.repeat(64));
    expect(b.prevHash).toBe(a.hash);
    expect(b.seq).toBe(2);
    expect(a.id).toMatch(UUID_V7_PATTERN);
    expect(b.hlc > a.hlc).toBe(true);
    const other = new Database(databasePath(dir), { readonly: true });
    expect(other.prepare('SELECT id, payload FROM events ORDER BY seq').all()).toEqual([
      { id: a.id, payload: '{"category":"intervention","text":"Départ VSAV"}' },
      { id: b.id, payload: '{"category":"information","text":"Retour"}' },
    ]);
    expect(other.prepare('SELECT event_id, text FROM logbook_entries ORDER BY entry_no').all()).toEqual([
      { event_id: a.id, text: 'Départ VSAV' },
      { event_id: b.id, text: 'Retour' },
    ]);
    other.close();
    expect(store.count()).toBe(2);
    expect(store.verify()).toMatchObject({ ok: true, events: 2 });
  });

  it('refuses unknown types, invalid payloads and blank authors with StoreError (invalid), writing nothing', () => {
    const store = open(tempDir());
    expect(() => store.append('nope', {}, 'x')).toThrow(expect.objectContaining({ code: 'invalid' }));
    expect(() => store.append('logbook.entry', { text: '   ', category: 'information' }, 'x')).toThrow(
      /Contenu invalide pour logbook.entry/,
    );
    expect(() => store.append('logbook.entry', { text: 'ok', category: 'information' }, ' ')).toThrow(
      /Auteur invalide/,
    );
    expect(() => store.appendAll([entry('bon'), entry('')])).toThrow(StoreError);
    expect(store.count()).toBe(0);
    expect(store.db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 0 });
  });

  it('appendAll is one transaction: a failing projection rolls every event back', () => {
    const failing: Projection = {
      name: 'failing',
      tables: [],
      apply(_db, event) {
        if ((event.payload as { text: string }).text === 'boum') throw new Error('projection en panne');
      },
    };
    const modules = [...testSchemas(), { name: 'failing', eventTypes: [], projections: [failing], migrations: [] }];
    const store = open(tempDir(), { modules });
    store.append('logbook.entry', { text: 'avant', category: 'information' }, 't');
    expect(() => store.appendAll([entry('un'), entry('boum'), entry('trois')])).toThrow('projection en panne');
    expect(store.count()).toBe(1);
    expect(store.db.prepare('SELECT count(*) AS n FROM logbook_entries').get()).toEqual({ n: 1 });
    const next = store.append('logbook.entry', { text: 'après', category: 'information' }, 't');
    expect(next.seq).toBe(2);
    expect(store.verify().ok).toBe(true);
  });

  it('tells listeners after commit, in order, and survives a throwing listener', () => {
    const store = open(tempDir());
    const seen: StoredEvent[] = [];
    const off = store.onAppend((e) => {
      // After commit: the event is already readable.
      expect(store.db.prepare('SELECT 1 AS x FROM events WHERE id = ?').get(e.id)).toEqual({ x: 1 });
      seen.push(e);
    });
    store.onAppend(() => {
      throw new Error('abonné défaillant');
    });
    const events = store.appendAll([entry('a'), entry('b')]);
    expect(seen.map((e) => e.id)).toEqual(events.map((e) => e.id));
    off();
    store.append('logbook.entry', { text: 'c', category: 'information' }, 't');
    expect(seen).toHaveLength(2);
  });

  it('the events table refuses UPDATE and DELETE (triggers)', () => {
    const store = open(tempDir());
    store.append('logbook.entry', { text: 'x', category: 'information' }, 't');
    expect(() => store.db.prepare("UPDATE events SET author = 'pirate'").run()).toThrow(
      /ajout seul : modification refusée/,
    );
    expect(() => store.db.prepare('DELETE FROM events').run()).toThrow(/ajout seul : suppression refusée/);
    expect(store.verify().ok).toBe(true);
  });

  it('two connections appending to the same file (the app and `vigie append`) keep one valid chain', () => {
    const dir = tempDir();
    const a = open(dir);
    const b = open(dir);
    for (let i = 0; i < 50; i += 1)
      (i % 3 === 0 ? b : a).append('logbook.entry', { text: `n${i}`, category: 'information' }, 't');
    expect(a.verify()).toMatchObject({ ok: true, events: 50 });
    expect(b.count()).toBe(50);
  });
});

describe('background checkpoints', () => {
  it('copy the WAL back into the database without an append paying for it', async () => {
    const dir = tempDir();
    const store = open(dir);
    const { statSync } = await import('node:fs');
    const initial = statSync(databasePath(dir)).size;
    store.appendAll(Array.from({ length: 300 }, (_, i) => entry(`point de contrôle ${i}`)));
    // Below SQLite's backstop threshold: only the worker can have grown the database file.
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    await vi.waitFor(() => expect(statSync(databasePath(dir)).size).toBeGreaterThan(initial), {
      timeout: 10_000,
      interval: 50,
    });
    store.close();
    expect(open(dir).verify()).toMatchObject({ ok: true, events: 300 });
  });
});

describe('rebuild', () => {
  it('gives identical projection tables, and repairs a damaged projection', () => {
    const dir = tempDir();
    const store = open(dir);
    for (let i = 0; i < 20; i += 1) store.appendAll([entry(`lot ${i} a`), entry(`lot ${i} b`), entry(`lot ${i} c`)]);
    // Contentless FTS5 tables cannot be read back row by row; the tables they index are compared.
    const tables = testSchemas()
      .flatMap((m) => m.projections.flatMap((p) => p.tables))
      .filter((t) => !t.endsWith('_fts'));
    const before = tables.map((t) => dump(store.db, t));
    expect(store.rebuild()).toEqual({ events: 60 });
    expect(tables.map((t) => dump(store.db, t))).toEqual(before);
    store.db.prepare("UPDATE logbook_entries SET text = 'falsifié'").run();
    store.rebuild();
    expect(tables.map((t) => dump(store.db, t))).toEqual(before);
    expect(store.verify().ok).toBe(true);
  });
});

describe('hybrid logical clock in the store', () => {
  it('is persisted: after a reopen with a wall clock gone back, new events still come after the old ones', () => {
    const dir = tempDir();
    let now = 1_800_000_000_000;
    const first = open(dir, { now: () => now });
    const a = first.append('logbook.entry', { text: 'a', category: 'information' }, 't');
    first.close();
    now -= 30_000; // 30 s back: within the tolerated skew, no warning
    const second = open(dir, { now: () => now });
    const b = second.append('logbook.entry', { text: 'b', category: 'information' }, 't');
    expect(b.hlc > a.hlc).toBe(true);
    expect(parseHlc(b.hlc)).toEqual({ l: 1_800_000_000_000, c: 1 });
    expect(second.db.prepare('SELECT count(*) AS n FROM events WHERE type = ?').get(CLOCK_SKEW)).toEqual({ n: 0 });
  });

  it('records a local clock far ahead of the wall clock as one clock.skew event, not an exception', () => {
    const dir = tempDir();
    let now = 1_800_000_000_000;
    const first = open(dir, { now: () => now });
    first.append('logbook.entry', { text: 'a', category: 'information' }, 't');
    first.close();
    now -= 3_600_000; // the wall clock went back one hour (or the HLC was pushed ahead)
    const store = open(dir, { now: () => now });
    store.append('logbook.entry', { text: 'b', category: 'information' }, 't');
    store.append('logbook.entry', { text: 'c', category: 'information' }, 't');
    const skews = store.db.prepare('SELECT payload FROM events WHERE type = ?').all(CLOCK_SKEW) as {
      payload: string;
    }[];
    expect(skews).toHaveLength(1);
    expect(JSON.parse(skews[0]?.payload ?? '')).toMatchObject({ source: 'local', skewMs: 3_600_000 });
    expect(store.count()).toBe(4);
    expect(store.verify().ok).toBe(true);
  });

  it('merges a remote clock, persisted at once; a remote far ahead is recorded as clock.skew', () => {
    const dir = tempDir();
    const now = 1_800_000_000_000;
    const store = open(dir, { now: () => now });
    store.append('logbook.entry', { text: 'a', category: 'information' }, 't');
    expect(store.receiveClock('001800000000500-00003')).toBe('001800000000500-00004');
    expect(store.db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
    const far = '001800000600000-00000'; // 10 min ahead
    const after = store.receiveClock(far);
    expect(after > far).toBe(true);
    store.receiveClock(far); // same episode: no second warning
    const skew = store.db.prepare('SELECT payload FROM events WHERE type = ?').all(CLOCK_SKEW) as { payload: string }[];
    expect(skew).toHaveLength(1);
    expect(JSON.parse(skew[0]?.payload ?? '')).toMatchObject({ source: 'remote', remote: far, skewMs: 600_000 });
    const next = store.append('logbook.entry', { text: 'b', category: 'information' }, 't');
    expect(next.hlc > after).toBe(true);
    store.close();
    const reopened = open(dir, { now: () => now });
    expect(reopened.clock() > after).toBe(true);
    expect(() => reopened.receiveClock('demain')).toThrow(StoreError);
  });

  it('keeps hlc strictly increasing along the chain with an arbitrary wall clock (property over the real store)', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1_700_000_000_000, max: 1_700_000_100_000 }), { minLength: 1, maxLength: 40 }),
        (times) => {
          const dir = tempDir();
          let i = 0;
          const store = openStore({
            dataDir: dir,
            modules: testSchemas(),
            backup: false,
            now: () => times[i % times.length] ?? 0,
          });
          try {
            for (; i < times.length; i += 1)
              store.append('logbook.entry', { text: `t${i}`, category: 'information' }, 't');
            const hlcs = (store.db.prepare('SELECT hlc FROM events ORDER BY seq').all() as { hlc: string }[]).map(
              (r) => r.hlc,
            );
            for (let k = 1; k < hlcs.length; k += 1) expect((hlcs[k] ?? '') > (hlcs[k - 1] ?? '')).toBe(true);
            expect(store.verify().ok).toBe(true);
          } finally {
            store.close();
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
