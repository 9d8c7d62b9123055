/**
 * Failover (docs/architecture.md, "Replication"): a real streaming standby made by pg_basebackup -R; the
 * primary is stopped as by a crash (immediate shutdown), the standby promoted; two positions given both
 * URLs move to it and converge, nothing lost.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBuilt, startPosition, waitFor, type PositionProcess } from '../../testing/position-process.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../../testing/postgres.js';
import { moduleSchemas } from '../modules.js';
import { openStore } from '../store/index.js';
import { addPosition, migrateCentral } from './central/schema.js';
import { removeDataDir } from '../../testing/data-dir.js';

if (!postgresAvailable()) console.info('failover.test : PostgreSQL 15 absent — test ignoré');

const PASSWORD = 'mot-de-passe-de-test';

describe.skipIf(!postgresAvailable())('failover to a promoted standby', () => {
  const servers: TestPostgres[] = [];
  const dirs: string[] = [];
  const running: PositionProcess[] = [];
  const clients: pg.Client[] = [];

  const connect = async (url: string): Promise<pg.Client> => {
    const c = new pg.Client({ connectionString: url });
    c.on('error', () => undefined);
    await c.connect();
    clients.push(c);
    return c;
  };

  afterAll(async () => {
    for (const p of running) await p.kill();
    for (const c of clients) await c.end().catch(() => undefined);
    for (const s of servers) await s.destroy();
    for (const d of dirs) removeDataDir(d);
  });

  it('positions move to the promoted standby and resume with nothing lost', async () => {
    expect(ensureBuilt()).toBe(true);
    const primary = await startPostgres();
    servers.push(primary);
    const admin = await connect(primary.url);
    await migrateCentral(admin);
    const standby = await primary.standby();
    servers.push(standby);

    const setups: { dir: string; origin: string }[] = [];
    for (const role of ['poste_p', 'poste_q']) {
      const dir = mkdtempSync(join(tmpdir(), `vigie-failover-${role}-`));
      dirs.push(dir);
      const store = openStore({ dataDir: dir, modules: moduleSchemas(), backup: false });
      const origin = store.origin;
      store.close();
      await addPosition(admin, { origin, role, password: PASSWORD });
      writeFileSync(join(dir, 'pw'), PASSWORD, { mode: 0o600 });
      const urls = [primary, standby].map((s) => `postgres://${role}@127.0.0.1:${s.port}/postgres`);
      writeFileSync(
        join(dir, 'vigie.json'),
        JSON.stringify({ central: { urls, passwordFile: join(dir, 'pw'), pollMs: 200, retryMs: [100, 500] } }),
      );
      setups.push({ dir, origin });
    }
    const [p, q] = setups.map((s) => {
      const child = startPosition(s.dir);
      running.push(child);
      return child;
    });
    if (p === undefined || q === undefined) throw new Error('deux postes attendus');
    const converged = async (): Promise<boolean> => {
      const [a, b] = await Promise.all([p.digest(), q.digest()]);
      return a.events.digest === b.events.digest;
    };

    await Promise.all([p.write(60, 5, 'P'), q.write(60, 5, 'Q')]);
    await waitFor(converged, 60_000, 'convergence sur le primaire');
    const before = (await p.digest()).events.count;

    // The primary dies; P keeps writing meanwhile; the standby is promoted.
    await primary.stop('SIGQUIT');
    const writing = p.write(40, 10, 'P2');
    const promoter = await connect(standby.url);
    await promoter.query('SELECT pg_promote(true, 30)');
    await writing;
    await q.write(20, 5, 'Q2');

    await waitFor(
      async () => (await Promise.all([p.status(), q.status()])).every((s) => s.info.state === 'online'),
      60_000,
      'postes en ligne sur le secours promu',
    );
    await waitFor(converged, 60_000, 'convergence sur le secours promu');
    const [a, b] = await Promise.all([p.digest(), q.digest()]);
    expect(a.verify && b.verify).toBe(true);
    expect(a.projections).toEqual(b.projections);
    // 60 + 40 entries at P, 60 + 20 at Q, each with a call every 10th entry: 1 offered, 1 ended, half answered.
    expect(a.events.count).toBeGreaterThan(before);
    const onStandby = await promoter.query<{ n: number }>('SELECT count(*)::int AS n FROM vigie.events');
    expect(onStandby.rows[0]?.n).toBe(a.events.count);
    expect((await p.status()).info.server).toBe(`127.0.0.1:${standby.port}`);
    await p.exit();
    await q.exit();
  }, 240_000);
});
