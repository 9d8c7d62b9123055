/**
 * A remote batch that sorts before what is already projected (replay.ts `projectInserted`,
 * docs/architecture.md "Conflicts by construction"): only the order-sensitive projections are replayed,
 * the logbook from the first out-of-order event only, and every projection table — full-text vocabulary
 * included — is byte for byte what a full rebuild gives, and what a position that received everything in
 * order holds.
 */
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { projectionDigest } from '../../testing/digest.js';
import { eventsAfter } from './remote.js';
import { testSchemas, useTempStores } from './testing.js';
import type { AppendItem, ModuleSchema, Projection, RemoteEvent, Store, StoredEvent } from './types.js';

const { tempDir, open } = useTempStores('vigie-reproject-');

const all = (store: Store): RemoteEvent[] => eventsAfter(store.db, store.origin, 0, 1_000_000);

/** The projection tables, plus each FTS5 index's vocabulary (a contentless table has no columns to read). */
const digest = (db: Database.Database): Record<string, unknown> => {
  const vocab = (table: string): string => {
    db.exec(
      `DROP TABLE IF EXISTS temp.v_${table}; CREATE VIRTUAL TABLE temp.v_${table} USING fts5vocab(main, ${table}, row)`,
    );
    const rows = db.prepare(`SELECT term, doc, cnt FROM temp.v_${table} ORDER BY term`).raw().all();
    return createHash('sha256').update(JSON.stringify(rows)).digest('hex');
  };
  return { tables: projectionDigest(db), fts: vocab('logbook_fts') };
};

const entry = (text: string, extra: Record<string, unknown> = {}): AppendItem => ({
  type: 'logbook.entry',
  payload: { text, category: 'information', ...extra },
  author: 'Marie',
});
const operation = (operationId: string): AppendItem => ({
  type: 'operation.created',
  payload: {
    operationId,
    title: `Feu ${operationId}`,
    type: 'feu',
    commune: 'Nouméa',
    communeId: '98800',
    province: 'Sud',
    position: 'P1',
    role: 'operateur',
  },
  author: 'Marie',
});

/** Two positions writing at the same time, with a shared test clock: A's and B's events interleave in HLC. */
const twoPositions = (withLink: boolean) => {
  let t = 1_790_000_000_000;
  const now = () => (t += 7);
  const a = open(tempDir(), { now });
  const b = open(tempDir(), { now });
  for (let i = 0; i < 6; i += 1) {
    const [first] = a.appendAll([entry(`A ${i} crue Dumbéa`), operation(`op-a-${i}`)]);
    // One of B's entries is written during a call (the calls module's order-free entry links).
    b.appendAll([entry(`B ${i} route coupée`), entry(`B ${i} bis`, { important: true, callId: `appel-b-${i}` })]);
    if (first !== undefined && i % 2 === 0)
      a.append('logbook.entry', entry(`A ${i} corrigée`, { correctsId: first.id }).payload, 'Marie');
    if (withLink && first !== undefined && i === 4)
      b.append(
        'logbook.operationLinked',
        { entryId: first.id, operationId: `op-a-${i}`, position: 'P2', role: 'operateur' },
        'Paul',
      );
  }
  return { a, b, now };
};

describe('an out-of-order remote batch', () => {
  for (const withLink of [false, true])
    it(`gives the tables of a full rebuild and of an in-order arrival${withLink ? ' (a link to an operation in the suffix: the logbook replayed whole)' : ''}`, () => {
      const { a, b, now } = twoPositions(withLink);
      // X receives all of A first, then B's events in pages: every page sorts before A's last event.
      const x = open(tempDir(), { now });
      expect(x.applyRemote(all(a)).replayed).toBe(false);
      const bs = all(b);
      const replayed: boolean[] = [];
      for (let i = 0; i < bs.length; i += 4) replayed.push(x.applyRemote(bs.slice(i, i + 4)).replayed);
      expect(replayed[0]).toBe(true);
      // Y receives everything at once: one batch in projection order, projected incrementally.
      const y = open(tempDir(), { now });
      expect(y.applyRemote([...all(a), ...bs]).replayed).toBe(false);
      const got = digest(x.db);
      expect(got).toEqual(digest(y.db));
      x.rebuild();
      expect(digest(x.db)).toEqual(got);
      // Every entry-making event of A and B has its entry (each is an entry, an operation or a link).
      const count = (db: Database.Database, sql: string): unknown => db.prepare(sql).pluck().get();
      const made = "SELECT count(*) FROM events WHERE type LIKE 'logbook.%' OR type LIKE 'operation.%'";
      expect(Number(count(x.db, 'SELECT count(*) FROM logbook_entries'))).toBe(
        Number(count(a.db, made)) + Number(count(b.db, made)),
      );
    });

  it('replays an order-sensitive projection from the first late event, and applies the batch to an order-free one', () => {
    const seen: Record<string, string[]> = { suffix: [], free: [] };
    const forgotten: string[] = [];
    const recorder = (name: string, extra: Partial<Projection>): Projection => ({
      name,
      tables: [`${name}_seen`],
      eventTypes: ['logbook.entry'],
      apply: (db, event: StoredEvent) => {
        // Cast: logbook.entry payloads, validated by their schema on append.
        seen[name]?.push((event.payload as { text: string }).text);
        db.prepare(`INSERT OR IGNORE INTO ${name}_seen (event_id) VALUES (?)`).run(event.id);
      },
      ...extra,
    });
    const module: ModuleSchema = {
      name: 'depth',
      eventTypes: [{ type: 'depth.none', schema: z.object({}) }],
      projections: [
        recorder('suffix', {
          forgetFrom: (db, from) => {
            forgotten.push(from.hlc);
            db.prepare(
              'DELETE FROM suffix_seen WHERE event_id IN (SELECT id FROM events WHERE (hlc, origin, seq) >= (?, ?, ?))',
            ).run(from.hlc, from.origin, from.seq);
            return true;
          },
        }),
        recorder('free', { order: 'any' }),
      ],
      migrations: [
        {
          version: 1,
          name: 'seen',
          up: (db) =>
            db.exec(
              'CREATE TABLE suffix_seen (event_id TEXT PRIMARY KEY); CREATE TABLE free_seen (event_id TEXT PRIMARY KEY) WITHOUT ROWID;',
            ),
        },
      ],
    };
    let t = 1_790_000_000_000;
    const now = () => (t += 5);
    const modules = [...testSchemas(), module];
    const a = open(tempDir(), { now, modules });
    const b = open(tempDir(), { now, modules });
    const x = open(tempDir(), { now, modules });
    a.append('logbook.entry', entry('a1').payload, 'Marie');
    b.append('logbook.entry', entry('b1').payload, 'Paul');
    a.appendAll([entry('a2'), entry('a3')]);
    x.applyRemote(all(a));
    seen['suffix'] = [];
    seen['free'] = [];
    // b1 sorts between a1 and a2: the suffix projection sees b1, a2, a3 again; the free one sees b1 only.
    expect(x.applyRemote(all(b)).replayed).toBe(true);
    expect(seen['suffix']).toEqual(['b1', 'a2', 'a3']);
    expect(seen['free']).toEqual(['b1']);
    expect(forgotten).toHaveLength(1);
    expect(x.db.prepare('SELECT count(*) FROM suffix_seen').pluck().get()).toBe(4);
  });

  it('replays a projection with no forgetFrom whole, its types merged in projection order across pages', () => {
    const seen: string[] = [];
    const module: ModuleSchema = {
      name: 'whole',
      eventTypes: [
        { type: 'whole.a', schema: z.object({ n: z.number() }) },
        { type: 'whole.b', schema: z.object({ n: z.number() }) },
      ],
      projections: [
        {
          name: 'whole',
          tables: ['whole_seen'],
          eventTypes: ['whole.a', 'whole.b'],
          apply: (db, event: StoredEvent) => {
            // Cast: whole.* payloads, validated by their schema on append.
            seen.push(`${event.type}:${(event.payload as { n: number }).n}`);
            db.prepare('INSERT INTO whole_seen (event_id) VALUES (?)').run(event.id);
          },
        },
      ],
      migrations: [
        { version: 1, name: 'seen', up: (db) => db.exec('CREATE TABLE whole_seen (event_id TEXT PRIMARY KEY)') },
      ],
    };
    let t = 1_790_000_000_000;
    const now = () => (t += 3);
    const modules = [...testSchemas(), module];
    const a = open(tempDir(), { now, modules });
    const b = open(tempDir(), { now, modules });
    a.append('whole.a', { n: -1 }, 'Marie');
    b.append('logbook.entry', entry('tardive').payload, 'Paul');
    // More than a page (1000 rows) of each type, interleaved with main courante entries nobody replays here.
    for (let i = 0; i < 1600; i += 1)
      a.appendAll([
        { type: i % 3 === 0 ? 'whole.b' : 'whole.a', payload: { n: i }, author: 'Marie' },
        entry(`a ${i}`),
        ...(i % 2 === 0 ? [{ type: 'whole.b', payload: { n: -i }, author: 'Marie' }] : []),
      ]);
    const x = open(tempDir(), { now, modules });
    x.applyRemote(all(a));
    const inOrder = x.db
      .prepare("SELECT type, payload FROM events WHERE type LIKE 'whole.%' ORDER BY hlc, origin, seq")
      .all()
      .map((r) => {
        const row = r as { type: string; payload: string };
        return `${row.type}:${(JSON.parse(row.payload) as { n: number }).n}`;
      });
    seen.length = 0;
    // B's entry was written after A's first event: it sorts inside A's log, and 'whole' is replayed whole.
    const late = all(b);
    expect(late[0] !== undefined && late[0].hlc < (all(a).at(-1)?.hlc ?? '')).toBe(true);
    expect(x.applyRemote(late).replayed).toBe(true);
    expect(seen).toEqual(inOrder);
    for (const type of ['whole.a', 'whole.b'])
      expect(seen.filter((s) => s.startsWith(`${type}:`)).length).toBeGreaterThan(1000);
  });
});
