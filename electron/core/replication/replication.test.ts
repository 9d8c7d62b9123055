/**
 * Replication end to end (docs/architecture.md, "Replication"): positions as separate processes (whole
 * cores), a real PostgreSQL 15 in a temporary directory, stopped and restarted under them; a central row
 * tampered with; a position SIGKILLed in the middle of its push.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureBuilt,
  startPosition,
  waitFor,
  type Digest,
  type PositionProcess,
} from '../../testing/position-process.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../../testing/postgres.js';
import { moduleSchemas } from '../modules.js';
import { openStore } from '../store/index.js';
import { addPosition, migrateCentral } from './central/schema.js';
import { removeDataDir } from '../../testing/data-dir.js';

if (!postgresAvailable()) console.info('replication.test : PostgreSQL 15 absent — tests ignorés');

const PASSWORD = 'mot-de-passe-de-test';

describe.skipIf(!postgresAvailable())('replication through a real PostgreSQL', () => {
  let server: TestPostgres;
  let admin: pg.Client;
  const dirs: string[] = [];
  const running: PositionProcess[] = [];

  /** A data directory whose vigie.json points at the server with its own role; returns it and its origin. */
  const prepare = async (role: string, local = 0, batchSize = 200): Promise<{ dir: string; origin: string }> => {
    const dir = mkdtempSync(join(tmpdir(), `vigie-repl-${role}-`));
    dirs.push(dir);
    const store = openStore({ dataDir: dir, modules: moduleSchemas(), backup: false });
    for (let i = 0; i < local; i += 500)
      store.appendAll(
        Array.from({ length: Math.min(500, local - i) }, (_, k) => ({
          type: 'logbook.entry',
          payload: { text: `${role} hors ligne ${i + k}`, category: 'information' },
          author: role,
        })),
      );
    const origin = store.origin;
    store.close();
    await addPosition(admin, { origin, role, password: PASSWORD });
    const passwordFile = join(dir, 'central.pw');
    writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
    const url = `postgres://${role}@127.0.0.1:${server.port}/postgres`;
    writeFileSync(
      join(dir, 'vigie.json'),
      JSON.stringify({
        positionName: role,
        central: { urls: [url], passwordFile, pollMs: 200, batchSize, retryMs: [100, 800] },
      }),
    );
    return { dir, origin };
  };

  const start = (dir: string): PositionProcess => {
    const p = startPosition(dir);
    running.push(p);
    return p;
  };

  const centralCount = async (origin?: string): Promise<number> => {
    const r = await admin.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM vigie.events WHERE $1::text IS NULL OR origin = $1',
      [origin ?? null],
    );
    return r.rows[0]?.n ?? 0;
  };

  const adminClient = async (): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: server.url });
    // The server is stopped under this connection on purpose.
    client.on('error', () => undefined);
    await client.connect();
    return client;
  };

  beforeAll(async () => {
    expect(
      ensureBuilt(),
      'dist/electron/testing/replication-position.js manquant : npx tsc -p tsconfig.build.json',
    ).toBe(true);
    server = await startPostgres();
    admin = await adminClient();
    await migrateCentral(admin);
  }, 120_000);

  afterAll(async () => {
    for (const p of running.splice(0)) await p.kill();
    await admin?.end().catch(() => undefined);
    await server?.destroy();
    for (const d of dirs.splice(0)) removeDataDir(d);
  });

  it('three positions write at once, the server stops and comes back: all converge, nothing lost or duplicated; a tampered central row is quarantined', async () => {
    // One after the other: addPosition runs a transaction on the one admin connection.
    const setups = [await prepare('poste_a'), await prepare('poste_b'), await prepare('poste_c')];
    const positions = setups.map((s) => start(s.dir));
    const writes = positions.map((p, i) => p.write(120, 8, ['A', 'B', 'C'][i] ?? 'X'));
    // Mid-way, the server goes away for a while; the positions keep writing locally.
    await waitFor(async () => (await centralCount()) > 60, 30_000, 'premiers événements au serveur').catch(
      async (error: unknown) => {
        throw new Error(
          `${String(error)}\n${positions[0]?.stderr() ?? ''}\n${JSON.stringify(await positions[0]?.status())}`,
        );
      },
    );
    await server.stop();
    await waitFor(
      async () => (await Promise.all(positions.map((p) => p.status()))).every((s) => s.info.state === 'offline'),
      20_000,
      'postes hors ligne',
    );
    const offline = await positions[0]?.status();
    expect(offline?.network.state).toBe('offline');
    expect(offline?.network.detail).toMatch(/injoignable/);
    await new Promise((r) => setTimeout(r, 1500));
    await server.start();
    await admin.end().catch(() => undefined);
    admin = await adminClient();
    const ids = (await Promise.all(writes)).flat();
    expect(ids).toHaveLength(360);

    // 120 entries and 12 calls (offered, [answered,] ended) per position, plus any clock.skew.
    // The positions go on writing by themselves (health's return to nominal, checkpoints): the digests
    // compared are those of the moment they converged, not a later read that may catch one mid-exchange.
    let digests: Digest[] = [];
    await waitFor(
      async () => {
        digests = await Promise.all(positions.map((p) => p.digest()));
        return digests.every((x) => x.events.digest === digests[0]?.events.digest);
      },
      60_000,
      'convergence des journaux',
    );
    const [first] = digests;
    for (const d of digests) {
      expect(d.verify).toBe(true);
      expect(d.events).toEqual(first?.events);
      expect(d.projections).toEqual(first?.projections);
    }
    // Everything they hold went through the server (which may already hold a newer one).
    expect(await centralCount()).toBeGreaterThanOrEqual(first?.events.count ?? Infinity);
    expect(first?.events.count).toBeGreaterThanOrEqual(360 + 3 * 12 * 2);
    const status = await positions[1]?.status();
    expect(status?.info).toMatchObject({ state: 'online', backlog: 0, quarantined: 0 });
    expect(status?.network.state).toBe('online');

    // Tamper with one of A's events in the central table (triggers off, as a superuser could).
    const victim = setups[0]?.origin ?? '';
    await admin.query('BEGIN');
    await admin.query('SET LOCAL session_replication_role = replica');
    await admin.query(
      `UPDATE vigie.events SET payload = replace(payload, 'A 5"', 'A 5 modifié"') WHERE origin = $1 AND payload LIKE '%"A 5"%'`,
      [victim],
    );
    await admin.query('COMMIT');
    // A new position reads the whole central log: A's chain stops at the altered event, kept aside.
    const late = await prepare('poste_d');
    const d = start(late.dir);
    await waitFor(async () => (await d.status()).info.quarantined > 0, 30_000, 'quarantaine');
    const seen = await d.status();
    expect(seen.network.detail).toMatch(/ALERTE : \d+ événement\(s\) reçu\(s\) en quarantaine/);
    const dd = await d.digest();
    expect(dd.verify).toBe(true);
    expect(dd.events.count).toBeLessThan(first?.events.count ?? 0);
    const db = openStore({ dataDir: late.dir, modules: moduleSchemas(), backup: false, checkpoint: 'inline' });
    try {
      const q = db.db
        .prepare(
          'SELECT problem, count(*) AS n FROM replication_quarantine WHERE origin = ? GROUP BY problem ORDER BY problem',
        )
        .all(victim) as { problem: string; n: number }[];
      // The altered event, then every later one of A: in its batch (after-refused) and in later ones (missing).
      const byProblem = Object.fromEntries(q.map((r) => [r.problem, r.n]));
      expect(byProblem['altered']).toBe(1);
      expect(Object.keys(byProblem).every((k) => ['altered', 'after-refused', 'missing'].includes(k))).toBe(true);
      expect(db.db.prepare("SELECT count(*) FROM logbook_entries WHERE text LIKE '%modifié%'").pluck().get()).toBe(0);
    } finally {
      db.close();
    }
    for (const p of [...positions, d]) await p.exit();
  }, 180_000);

  it('a position SIGKILLed in the middle of its push loses and duplicates nothing', async () => {
    const e = await prepare('poste_e', 4000, 50);
    const watcher = await prepare('poste_w');
    let p = start(e.dir);
    await waitFor(async () => (await centralCount(e.origin)) >= 300, 60_000, 'poussée commencée');
    await p.kill();
    const atKill = await centralCount(e.origin);
    expect(atKill).toBeLessThan(4000);
    p = start(e.dir);
    const w = start(watcher.dir);
    // The position writes a few events of its own at start (its key, a signed checkpoint): every event of its
    // local log reaches the central table, no more and no less.
    const localCount = (): number => {
      const db = new Database(join(e.dir, 'vigie.db'), { readonly: true, fileMustExist: true });
      try {
        return db.prepare('SELECT count(*) FROM events WHERE origin = ?').pluck().get(e.origin) as number; // count(*) is an integer
      } finally {
        db.close();
      }
    };
    let total = 0;
    await waitFor(
      async () => {
        total = localCount();
        return total >= 4000 && (await centralCount(e.origin)) === total;
      },
      120_000,
      'poussée terminée',
    );
    await waitFor(
      async () => {
        const [x, y] = await Promise.all([p.digest(), w.digest()]);
        return x.events.digest === y.events.digest;
      },
      60_000,
      'reçu par un autre poste',
    );
    expect((await w.status()).info.applied).toBeGreaterThanOrEqual(total);
    const chain = await admin.query<{ seq: string; hash: string }>(
      'SELECT seq, hash FROM vigie.events WHERE origin = $1 ORDER BY seq',
      [e.origin],
    );
    // Every seq once, none missing: 1…N with N at least what the push had to carry (the position may have
    // signed another checkpoint since).
    const seqs = chain.rows.map((r) => Number(r.seq));
    expect(seqs.length).toBeGreaterThanOrEqual(total);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    const [mine, theirs] = await Promise.all([p.digest(), w.digest()]);
    await p.exit();
    await w.exit();
    expect(theirs.verify).toBe(true);
    expect(theirs.events).toEqual(mine.events);
    expect(theirs.projections).toEqual(mine.projections);
  }, 240_000);
});
