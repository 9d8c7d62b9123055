/**
 * The one projection path (replay.ts `createProjector`, README "One projection path"): routing by declared
 * event types, one run per transaction ended inside it, and a full replay that fails leaving the tables,
 * the full-text index, the indexes and the page cache as they were. A probe module sits beside every real one.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ModuleSchema, Projection, ProjectionRun, StoredEvent } from './types.js';
import { testSchemas, useTempStores } from './testing.js';

const { tempDir, open } = useTempStores('vigie-replay-');

interface Probe {
  module: ModuleSchema;
  applied: string[];
  runs: { replay: boolean; events: number; ended: boolean }[];
  failOn: { text: string | undefined };
}

const probe = (): Probe => {
  const applied: string[] = [];
  const runs: Probe['runs'] = [];
  const failOn: Probe['failOn'] = { text: undefined };
  const record = (db: Parameters<Projection['apply']>[0], event: StoredEvent): void => {
    applied.push(event.type);
    // Cast: payloads here are logbook.entry or probe.read, objects validated by their schema on append.
    const text = (event.payload as { text?: unknown }).text;
    if (failOn.text !== undefined && text === failOn.text) throw new Error('projection en échec (test)');
    db.prepare('INSERT INTO probe_seen (event_id, type) VALUES (?, ?)').run(event.id, event.type);
  };
  const projection: Projection = {
    name: 'probe',
    tables: ['probe_seen'],
    eventTypes: ['logbook.entry', 'probe.read'],
    apply: record,
    begin: (db, replay): ProjectionRun => {
      const run = { replay, events: 0, ended: false };
      runs.push(run);
      return {
        apply: (event) => {
          run.events += 1;
          record(db, event);
        },
        end: () => {
          run.ended = true;
        },
      };
    },
  };
  const module: ModuleSchema = {
    name: 'probe',
    eventTypes: [
      { type: 'probe.read', schema: z.object({ n: z.number() }) },
      { type: 'probe.ignored', schema: z.object({ n: z.number() }) },
    ],
    projections: [projection],
    migrations: [
      {
        version: 1,
        name: 'probe_seen',
        up: (db) =>
          db.exec(`CREATE TABLE probe_seen (event_id TEXT PRIMARY KEY, type TEXT NOT NULL);
                   CREATE INDEX probe_seen_by_type ON probe_seen (type);`),
      },
    ],
  };
  return { module, applied, runs, failOn };
};

const entry = (text: string) => ({ type: 'logbook.entry', payload: { text, category: 'information' }, author: 'test' });

describe('one projection path', () => {
  it('gives a projection only the types it reads, one run per transaction, ended inside it', () => {
    const p = probe();
    const store = open(tempDir(), { modules: [...testSchemas(), p.module] });
    store.appendAll([
      entry('un'),
      { type: 'probe.ignored', payload: { n: 1 }, author: 'test' },
      { type: 'probe.read', payload: { n: 2 }, author: 'test' },
    ]);
    store.append('probe.ignored', { n: 3 }, 'test');
    store.append('logbook.entry', { text: 'deux', category: 'information' }, 'test');
    expect(p.applied).toEqual(['logbook.entry', 'probe.read', 'logbook.entry']);
    // One run per append transaction that reached the projection; none for the one it does not read.
    expect(p.runs).toEqual([
      { replay: false, events: 2, ended: true },
      { replay: false, events: 1, ended: true },
    ]);
    const before = store.db.prepare('SELECT event_id, type FROM probe_seen ORDER BY event_id').all();

    p.applied.length = 0;
    expect(store.rebuild()).toEqual({ events: 5 });
    expect(p.applied).toEqual(['logbook.entry', 'probe.read', 'logbook.entry']);
    expect(p.runs.at(-1)).toEqual({ replay: true, events: 3, ended: true });
    expect(store.db.prepare('SELECT event_id, type FROM probe_seen ORDER BY event_id').all()).toEqual(before);
  });

  it('a replay that fails changes nothing: rows, full-text index, indexes, page cache', () => {
    const p = probe();
    const store = open(tempDir(), { modules: [...testSchemas(), p.module] });
    store.appendAll(Array.from({ length: 50 }, (_, i) => entry(`Inscription ${i} Poindimié`)));
    const count = (table: string): unknown => store.db.prepare(`SELECT count(*) AS n FROM "${table}"`).get();
    const indexes = (): unknown =>
      store.db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' ORDER BY name").all();
    const search = (): unknown =>
      store.db.prepare("SELECT rowid FROM logbook_fts WHERE logbook_fts MATCH 'poindimie' ORDER BY rowid").all();
    const before = {
      entries: count('logbook_entries'),
      seen: count('probe_seen'),
      indexes: indexes(),
      search: search(),
      cache: store.db.pragma('cache_size', { simple: true }),
    };
    expect((before.search as unknown[]).length).toBe(50);

    p.failOn.text = 'Inscription 30 Poindimié';
    expect(() => store.rebuild()).toThrow(/projection en échec/);
    expect({
      entries: count('logbook_entries'),
      seen: count('probe_seen'),
      indexes: indexes(),
      search: search(),
      cache: store.db.pragma('cache_size', { simple: true }),
    }).toEqual(before);
  });
});
