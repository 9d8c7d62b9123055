/**
 * The central schema on a real PostgreSQL 15 started in a temporary directory: migration, roles and
 * row-level security, the chain trigger, and the reader's cursor under concurrent writers.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable, startPostgres, type TestPostgres } from '../../../testing/postgres.js';
import { moduleSchemas } from '../../modules.js';
import { eventsAfter, openStore } from '../../store/index.js';
import type { RemoteEvent, Store } from '../../store/types.js';
import { pull, pushBatch, START, type Cursor, type PulledEvent } from './client.js';
import { addPosition, HASH_SHAPE, HLC_SHAPE, migrateCentral } from './schema.js';
import { removeDataDir } from '../../../testing/data-dir.js';

if (!postgresAvailable())
  console.info('central.test : PostgreSQL 15 absent (/usr/lib/postgresql/15/bin) — tests ignorés');

const PASSWORD = 'mot-de-passe-de-test';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!postgresAvailable())('central schema (real PostgreSQL)', () => {
  let server: TestPostgres;
  const dirs: string[] = [];
  const stores: Store[] = [];
  const clients: pg.Client[] = [];

  const position = async (
    role: string,
    events: number,
  ): Promise<{ store: Store; client: pg.Client; events: RemoteEvent[] }> => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-central-'));
    dirs.push(dir);
    const store = openStore({ dataDir: dir, modules: moduleSchemas(), backup: false });
    stores.push(store);
    for (let i = 0; i < events; i += 100) {
      store.appendAll(
        Array.from({ length: Math.min(100, events - i) }, (_, k) => ({
          type: 'logbook.entry',
          payload: { text: `${role} ${i + k}`, category: 'information' },
          author: role,
        })),
      );
    }
    const admin = await connect(server.url);
    await addPosition(admin, { origin: store.origin, role, password: PASSWORD });
    const client = await connect(server.urlFor(role, PASSWORD));
    return { store, client, events: eventsAfter(store.db, store.origin, 0, 1_000_000) };
  };

  const connect = async (url: string): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await startPostgres();
    const admin = await connect(server.url);
    expect((await migrateCentral(admin)).map((m) => m.version)).toEqual([1, 2, 3]);
    expect(await migrateCentral(admin)).toEqual([]);
  });

  afterAll(async () => {
    for (const c of clients.splice(0)) await c.end().catch(() => undefined);
    for (const s of stores.splice(0)) s.close();
    for (const d of dirs.splice(0)) removeDataDir(d);
    await server?.destroy();
  });

  it('a position inserts its own origin only, reads everyone, and can neither rewrite nor stamp its rows', async () => {
    const a = await position('poste_a', 3);
    const b = await position('poste_b', 2);
    expect(await pushBatch(a.client, a.events)).toBe(3);
    // Pushing again is a success (ON CONFLICT DO NOTHING, same hashes).
    expect(await pushBatch(a.client, a.events)).toBe(0);
    await expect(pushBatch(a.client, b.events)).rejects.toThrow(/row-level security/);
    expect(await pushBatch(b.client, b.events)).toBe(2);
    const seen = await b.client.query('SELECT count(*)::int AS n FROM vigie.events');
    expect(seen.rows[0]).toEqual({ n: 5 });
    await expect(a.client.query("UPDATE vigie.events SET author = 'x'")).rejects.toThrow(/permission denied/);
    await expect(a.client.query('DELETE FROM vigie.events')).rejects.toThrow(/permission denied/);
    await expect(
      a.client.query(
        `INSERT INTO vigie.events (origin, seq, id, hlc, type, author, payload, prev_hash, hash, txid)
         VALUES ($1, 99, 'x', '000000000000000-00000', 't', 'a', '{}', $2, $2, '1')`,
        [a.store.origin, '0'.repeat(64)],
      ),
    ).rejects.toThrow(/permission denied/);
    // Even the owner cannot rewrite the log: the append-only trigger.
    const admin = await connect(server.url);
    await expect(admin.query("UPDATE vigie.events SET author = 'x'")).rejects.toThrow(/ajout seul/);
  });

  it('the chain trigger refuses a wrong genesis, a gap, a broken link; a forked copy is reported', async () => {
    const c = await position('poste_c', 4);
    const [e1, e2, e3] = c.events;
    if (e1 === undefined || e2 === undefined || e3 === undefined) throw new Error('événements attendus');
    await expect(pushBatch(c.client, [{ ...e1, prevHash: e2.hash }])).rejects.toThrow(/empreinte initiale/);
    await expect(pushBatch(c.client, [e1, e3])).rejects.toThrow(/seq 2 manque avant seq 3/);
    await expect(pushBatch(c.client, [e1, { ...e2, prevHash: e3.hash }])).rejects.toThrow(/ne suit pas/);
    expect(await pushBatch(c.client, [e1, e2])).toBe(2);
    await expect(pushBatch(c.client, [{ ...e2, hash: e3.hash }])).rejects.toThrow(/historique divergent/);
  });

  it('step 3 accepts exactly the shapes step 1 accepted, and the table still refuses the others', async () => {
    const admin = await connect(server.url);
    const hashes = ['a'.repeat(64), '0123456789abcdef'.repeat(4), 'A'.repeat(64), 'a'.repeat(63), 'a'.repeat(65)];
    const hlcs = ['000000000000001-00002', '00000000000001-000002', '000000000000001-0000a', '000000000000001--0000'];
    const samples = [
      ...hashes,
      ...hlcs,
      `${'a'.repeat(63)}\n`,
      `${'a'.repeat(32)}\n${'a'.repeat(31)}`,
      '',
      'é'.repeat(64),
    ];
    const compared = await admin.query<{
      x: string;
      old_hash: boolean;
      new_hash: boolean;
      old_hlc: boolean;
      new_hlc: boolean;
    }>(
      `SELECT x, x ~ '^[0-9a-f]{64}$' AS old_hash, (${HASH_SHAPE('x')}) AS new_hash,
         x ~ '^[0-9]{15}-[0-9]{5}$' AS old_hlc, (${HLC_SHAPE('x')}) AS new_hlc FROM unnest($1::text[]) AS t(x)`,
      [samples],
    );
    expect(compared.rows).toHaveLength(samples.length);
    for (const r of compared.rows) {
      expect(r.new_hash, r.x).toBe(r.old_hash);
      expect(r.new_hlc, r.x).toBe(r.old_hlc);
    }
    expect(compared.rows.filter((r) => r.new_hash)).toHaveLength(2);
    expect(compared.rows.filter((r) => r.new_hlc)).toHaveLength(1);
    const c = await position('poste_s', 1);
    const [e1] = c.events;
    if (e1 === undefined) throw new Error('événement attendu');
    await expect(pushBatch(c.client, [{ ...e1, hash: e1.hash.toUpperCase() }])).rejects.toThrow(/events_hash_shape/);
    await expect(pushBatch(c.client, [{ ...e1, hlc: `${e1.hlc}0` }])).rejects.toThrow(/events_hlc_shape/);
    expect(await pushBatch(c.client, [e1])).toBe(1);
  });

  it('a server that ran step 1 with events is upgraded in place: chains go on, the checks and stamps hold', async () => {
    const admin = await connect(server.url);
    await admin.query('CREATE DATABASE upgrade_test');
    const old = await connect(server.url.replace(/\/postgres$/, '/upgrade_test'));
    expect((await migrateCentral(old, 1)).map((m) => m.version)).toEqual([1]);
    const dir = mkdtempSync(join(tmpdir(), 'vigie-central-'));
    dirs.push(dir);
    const store = openStore({ dataDir: dir, modules: moduleSchemas(), backup: false });
    stores.push(store);
    store.appendAll(
      Array.from({ length: 5 }, (_, i) => ({
        type: 'logbook.entry',
        payload: { text: `avant et après ${i}`, category: 'information' },
        author: 'poste_u',
      })),
    );
    const [e1, e2, e3, e4, e5] = eventsAfter(store.db, store.origin, 0, 10);
    if (e1 === undefined || e2 === undefined || e3 === undefined || e4 === undefined || e5 === undefined)
      throw new Error('événements attendus');
    await addPosition(old, { origin: store.origin, role: 'poste_u', password: PASSWORD });
    const position = await connect(server.urlFor('poste_u', PASSWORD, 'upgrade_test'));
    expect(await pushBatch(position, [e1, e2])).toBe(2);
    expect((await migrateCentral(old)).map((m) => m.version)).toEqual([2, 3]);
    // The same refusals as step 1's row trigger, now from the statement trigger.
    await expect(pushBatch(position, [e4])).rejects.toThrow(/seq 3 manque avant seq 4/);
    await expect(pushBatch(position, [{ ...e3, prevHash: e1.hash }])).rejects.toThrow(/ne suit pas/);
    // One statement with a row already there (skipped) and rows chaining onto it and onto each other.
    expect(await pushBatch(position, [e2, e3, e4])).toBe(2);
    await expect(
      position.query(
        `INSERT INTO vigie.events (origin, seq, id, hlc, type, author, payload, prev_hash, hash, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now() - interval '1 day')`,
        [e5.origin, e5.seq, e5.id, e5.hlc, e5.type, e5.author, e5.payloadJson, e5.prevHash, e5.hash],
      ),
    ).rejects.toThrow(/permission denied/);
    const rows = await old.query<{ seq: string; txid: string; fresh: boolean }>(
      `SELECT seq, txid::text AS txid, received_at > now() - interval '1 minute' AS fresh
       FROM vigie.events ORDER BY seq`,
    );
    expect(rows.rows.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4]);
    expect(rows.rows.every((r) => r.fresh && Number(r.txid) > 0)).toBe(true);
    // seq 3 and 4 came in one statement, hence one transaction; seq 1 and 2 in an earlier one.
    expect(rows.rows[2]?.txid).toBe(rows.rows[3]?.txid);
    expect(Number(rows.rows[2]?.txid)).toBeGreaterThan(Number(rows.rows[1]?.txid));
  });

  it('a reader never skips an event committed after a later one (deterministic interleaving)', async () => {
    const d = await position('poste_d', 1);
    const e = await position('poste_e', 1);
    const reader = await connect(server.url);
    let cursor: Cursor = START;
    const drain = async (): Promise<PulledEvent[]> => {
      const r = await pull(reader, cursor, 100, '00000000-0000-4000-8000-000000000000');
      cursor = r.cursor;
      return r.events;
    };
    await drain();
    // D inserts first (smaller txid and sid) and stays open; E inserts and commits.
    await d.client.query('BEGIN');
    await pushBatch(d.client, d.events);
    await e.client.query('BEGIN');
    await pushBatch(e.client, e.events);
    await e.client.query('COMMIT');
    // A plain "sid after the last seen" reader now sees E's row and would move past D's forever.
    const naive = await reader.query('SELECT origin FROM vigie.events WHERE origin = ANY($1) ORDER BY sid', [
      [d.store.origin, e.store.origin],
    ]);
    expect(naive.rows.map((r: { origin: string }) => r.origin)).toEqual([e.store.origin]);
    // Ours waits below the horizon of D's open transaction.
    expect(await drain()).toEqual([]);
    await d.client.query('COMMIT');
    expect((await drain()).map((x) => x.origin)).toEqual([d.store.origin, e.store.origin]);
  });

  it('concurrent writers with transactions held open at random: the reader gets every event exactly once', async () => {
    const writers = await Promise.all(['poste_f', 'poste_g', 'poste_h'].map((r) => position(r, 240)));
    const reader = await connect(server.url);
    const expected = new Set(writers.flatMap((w) => w.events.map((e) => e.id)));
    const got: string[] = [];
    let cursor: Cursor = START;
    let writing = true;
    const write = async (w: (typeof writers)[number]): Promise<void> => {
      for (let i = 0; i < w.events.length;) {
        const n = 1 + Math.floor(Math.random() * 12);
        await w.client.query('BEGIN');
        await pushBatch(w.client, w.events.slice(i, i + n));
        await sleep(Math.random() * 15);
        await w.client.query('COMMIT');
        i += n;
      }
    };
    const read = async (): Promise<void> => {
      for (;;) {
        const stillWriting = writing;
        const r = await pull(reader, cursor, 7, '00000000-0000-4000-8000-000000000000');
        cursor = r.cursor;
        for (const e of r.events) if (expected.has(e.id)) got.push(e.id);
        if (!stillWriting && r.events.length === 0) return;
        if (r.events.length === 0) await sleep(2);
      }
    };
    const reading = read();
    await Promise.all(writers.map(write));
    writing = false;
    await reading;
    expect(got).toHaveLength(expected.size);
    expect(new Set(got).size).toBe(expected.size);
    // Each origin's events arrive in seq order (the chain trigger and the cursor agree).
    for (const w of writers) {
      const mine = got.filter((id) => w.events.some((e) => e.id === id));
      expect(mine).toEqual(w.events.map((e) => e.id));
    }
  });
});
