import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import {
  CLOCK_SKEW,
  databasePath,
  openStore,
  parseHlc,
  StoreError,
  type Projection,
  type StoredEvent,
} from './index.js';
import { REPLAY_PROGRESS_STEP } from './replay.js';
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

describe('rebuild progress', () => {
  it('reports every REPLAY_PROGRESS_STEP events, then once at the end of the replay, never twice', () => {
    const store = open(tempDir());
    const batch = (n: number, tag: string) => Array.from({ length: n }, (_, i) => entry(`${tag} ${i}`));
    for (let i = 0; i < 4; i += 1) store.appendAll(batch(REPLAY_PROGRESS_STEP / 2, `lot ${i}`));
    const calls: [number, number][] = [];
    store.rebuild((done, total) => calls.push([done, total]));
    const step = REPLAY_PROGRESS_STEP;
    expect(calls).toEqual([
      [step, 2 * step],
      [2 * step, 2 * step],
    ]);
    store.appendAll(batch(7, 'fin'));
    calls.length = 0;
    expect(store.rebuild((done, total) => calls.push([done, total]))).toEqual({ events: 2 * step + 7 });
    expect(calls).toEqual([
      [step, 2 * step + 7],
      [2 * step, 2 * step + 7],
      [2 * step + 7, 2 * step + 7],
    ]);
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
