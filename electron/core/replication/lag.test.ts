/**
 * The replication lag (docs/architecture.md, "Replication") on a real PostgreSQL 15: a transaction held
 * open on the server keeps B from reading what A pushed after it began (the horizon); B's lag is then the
 * age of A's first event it has not applied, growing, and shown in its status bar; once the transaction
 * ends B catches up and its lag is 0. A runs in this process (its replication service alone), B is a
 * whole core in a child process.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBuilt, startPosition, waitFor, type PositionProcess } from '../../testing/position-process.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../../testing/postgres.js';
import { moduleSchemas } from '../modules.js';
import { openStore, type Store } from '../store/index.js';
import { addPosition, migrateCentral } from './central/schema.js';
import { centralConfigSchema } from './config.js';
import { createReplication, type Replication } from './service.js';
import { removeDataDir } from '../../testing/data-dir.js';

if (!postgresAvailable()) console.info('lag.test : PostgreSQL 15 absent — test ignoré');

const PASSWORD = 'mot-de-passe-de-test';

describe.skipIf(!postgresAvailable())('replication lag', () => {
  let server: TestPostgres | undefined;
  const clients: pg.Client[] = [];
  const stores: Store[] = [];
  const services: Replication[] = [];
  const running: PositionProcess[] = [];
  const dirs: string[] = [];

  afterAll(async () => {
    for (const p of running) await p.kill();
    for (const s of services) await s.service.stop();
    for (const s of stores) s.close();
    for (const c of clients) await c.end().catch(() => undefined);
    await server?.destroy();
    for (const d of dirs) removeDataDir(d);
  });

  it('is the age of the first event not applied while B is held back, and 0 once B has caught up', async () => {
    expect(ensureBuilt()).toBe(true);
    const pgServer = await startPostgres();
    server = pgServer;
    const connect = async (): Promise<pg.Client> => {
      const c = new pg.Client({ connectionString: pgServer.url });
      await c.connect();
      clients.push(c);
      return c;
    };
    const admin = await connect();
    await migrateCentral(admin);
    const centralFor = (role: string, dir: string) => {
      const passwordFile = join(dir, 'central.pw');
      writeFileSync(passwordFile, PASSWORD, { mode: 0o600 });
      return { urls: [`postgres://${role}@127.0.0.1:${pgServer.port}/postgres`], passwordFile, pollMs: 100 };
    };

    const aDir = mkdtempSync(join(tmpdir(), 'vigie-lag-a-'));
    const bDir = mkdtempSync(join(tmpdir(), 'vigie-lag-b-'));
    dirs.push(aDir, bDir);
    const a = openStore({ dataDir: aDir, modules: moduleSchemas(), backup: false });
    stores.push(a);
    await addPosition(admin, { origin: a.origin, role: 'retard_a', password: PASSWORD });
    const bStore = openStore({ dataDir: bDir, modules: moduleSchemas(), backup: false });
    const bOrigin = bStore.origin;
    bStore.close();
    await addPosition(admin, { origin: bOrigin, role: 'retard_b', password: PASSWORD });
    writeFileSync(join(bDir, 'vigie.json'), JSON.stringify({ central: centralFor('retard_b', bDir) }));
    const replication = createReplication({
      store: a,
      config: centralConfigSchema.parse(centralFor('retard_a', aDir)),
      now: Date.now,
      log: () => undefined,
      changed: () => undefined,
    });
    services.push(replication);
    replication.service.start();
    const b = startPosition(bDir);
    running.push(b);
    const entry = (text: string) => a.append('logbook.entry', { text, category: 'information' }, 'retard_a');

    entry('avant la transaction longue');
    await b.waitApplied(1);
    await waitFor(async () => (await b.status()).info.lagMs === 0, 10_000, 'B à jour');

    // A transaction with an id, left open: readers stop below it (schema.ts), writers do not.
    const holder = await connect();
    await holder.query('BEGIN');
    await holder.query('SELECT pg_current_xact_id()');
    for (let i = 0; i < 5; i += 1) entry(`pendant la transaction longue ${i}`);
    await replication.synced();
    expect(replication.info().backlog).toBe(0);
    await waitFor(async () => ((await b.status()).info.lagMs ?? 0) >= 1500, 15_000, 'retard de B visible');
    const behind = await b.status();
    expect(behind.info.applied).toBe(1);
    expect(behind.network.detail).toMatch(/retard [1-9]\d* s/);
    await new Promise((r) => setTimeout(r, 1000));
    const later = await b.status();
    expect(later.info.lagMs ?? 0).toBeGreaterThan(behind.info.lagMs ?? 0);

    await holder.query('COMMIT');
    const caughtUp = await b.waitApplied(6);
    expect(caughtUp.applied).toBe(6);
    await waitFor(async () => (await b.status()).info.lagMs === 0, 10_000, 'B de nouveau à jour');
    expect((await b.status()).network.detail).toMatch(/retard 0 s/);
    // B kept the server's receive time of each of A's events, as ISO 8601 instants of this run.
    const db = new Database(join(bDir, 'vigie.db'), { readonly: true, fileMustExist: true });
    try {
      const received = db
        .prepare('SELECT seq, received_at AS at FROM replication_received WHERE origin = ? ORDER BY seq')
        .all(a.origin) as { seq: number; at: string }[]; // the columns of migrations/0001_replication.ts
      expect(received.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      for (const r of received) {
        expect(r.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        expect(Math.abs(Date.parse(r.at) - Date.now())).toBeLessThan(120_000);
      }
    } finally {
      db.close();
    }
  }, 90_000);
});
