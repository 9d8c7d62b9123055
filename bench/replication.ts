/**
 * Suite `replication` (docs/architecture.md, "Replication"), on a PostgreSQL 15 started in a temporary
 * directory on loopback:
 * - floors: 10 000 events INSERTed in batches of 1000 (unnest) into a plain table of the same columns,
 *   and the same number appended locally with appendAll (every projection): B cannot apply faster;
 * - drain: 10 000 events queued at position A until position B has applied them (push, chain trigger,
 *   RLS, pull below the horizon, chain checks, projections). B's own first events (key, checkpoint) are
 *   newer than A's queue, so applying it replays B's projections: the outage case, where both wrote;
 * - lag: an entry appended at A every 50 ms, until it is in B's log (p50 / p95).
 * B says when it has applied a count (waitApplied): asking it every few ms would cost it in the measure.
 * A runs in this process (its replication service alone), B is a whole core in a child process
 * (electron/testing/replication-position.ts), as on two machines.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { moduleSchemas } from '../electron/core/modules.js';
import { addPosition, migrateCentral } from '../electron/core/replication/central/schema.js';
import { centralConfigSchema } from '../electron/core/replication/config.js';
import { createReplication, type Replication } from '../electron/core/replication/service.js';
import { eventsAfter, openStore, type Store } from '../electron/core/store/index.js';
import { ensureBuilt, startPosition, type PositionProcess } from '../electron/testing/position-process.js';
import { startPostgres } from '../electron/testing/postgres.js';
import { percentile, recordResults } from './results.js';
import { removeDataDir } from '../electron/testing/data-dir.js';

const EVENTS = 10_000;
const BATCH = 1000;
const PASSWORD = 'mot-de-passe-de-mesure';

const entries = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => ({
    type: 'logbook.entry',
    payload: { text: `${tag} inscription ${i}`, category: 'information' },
    author: tag,
  }));

export const run = async (): Promise<void> => {
  const server = await startPostgres();
  const dirs: string[] = [];
  const stores: Store[] = [];
  const services: Replication[] = [];
  const children: PositionProcess[] = [];
  const admin = new pg.Client({ connectionString: server.url });
  try {
    await admin.connect();
    await migrateCentral(admin);
    const position = async (
      role: string,
      changed: () => void = () => undefined,
    ): Promise<{ store: Store; replication: Replication }> => {
      const dir = mkdtempSync(join(tmpdir(), `vigie-bench-repl-${role}-`));
      dirs.push(dir);
      const store = openStore({ dataDir: dir, modules: moduleSchemas(), backup: false });
      stores.push(store);
      await addPosition(admin, { origin: store.origin, role, password: PASSWORD });
      const passwordFile = join(dir, 'pw');
      writeFileSync(passwordFile, PASSWORD, { mode: 0o600 });
      const config = centralConfigSchema.parse({
        urls: [`postgres://${role}@127.0.0.1:${server.port}/postgres`],
        passwordFile,
        batchSize: BATCH,
      });
      const replication = createReplication({
        store,
        config,
        now: Date.now,
        log: (level, message) => process.stderr.write(`[${level}] ${message}\n`),
        changed,
      });
      services.push(replication);
      return { store, replication };
    };

    // A's push is over when its backlog first reads 0 after the start (told by the service, not polled).
    let draining = false;
    let pushedAt: number | undefined;
    const a = await position('mesure_a', () => {
      if (draining && pushedAt === undefined && a.replication.info().backlog === 0) pushedAt = performance.now();
    });
    // B: its data directory and vigie.json, then a child process.
    const bDir = mkdtempSync(join(tmpdir(), 'vigie-bench-repl-b-'));
    dirs.push(bDir);
    const bStore = openStore({ dataDir: bDir, modules: moduleSchemas(), backup: false });
    const bOrigin = bStore.origin;
    bStore.close();
    await addPosition(admin, { origin: bOrigin, role: 'mesure_b', password: PASSWORD });
    writeFileSync(join(bDir, 'pw'), PASSWORD, { mode: 0o600 });
    writeFileSync(
      join(bDir, 'vigie.json'),
      JSON.stringify({
        central: {
          urls: [`postgres://mesure_b@127.0.0.1:${server.port}/postgres`],
          passwordFile: join(bDir, 'pw'),
          batchSize: BATCH,
        },
      }),
    );
    if (!ensureBuilt()) throw new Error('dist/electron/testing/replication-position.js manquant');
    for (let i = 0; i < EVENTS; i += 1000) a.store.appendAll(entries(1000, 'A'));
    const queued = eventsAfter(a.store.db, a.store.origin, 0, EVENTS);

    // Floor: the same rows, batched INSERT into a plain table (no trigger, no RLS, no index but the key).
    await admin.query(
      `CREATE TABLE bench_raw (origin text, seq bigint, id text, hlc text, type text, author text, payload text,
         prev_hash text, hash text, PRIMARY KEY (origin, seq))`,
    );
    const rawStart = performance.now();
    for (let i = 0; i < queued.length; i += BATCH) {
      const batch = queued.slice(i, i + BATCH);
      await admin.query(
        `INSERT INTO bench_raw SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[],
           $6::text[], $7::text[], $8::text[], $9::text[])`,
        [
          batch.map((e) => e.origin),
          batch.map((e) => e.seq),
          batch.map((e) => e.id),
          batch.map((e) => e.hlc),
          batch.map((e) => e.type),
          batch.map((e) => e.author),
          batch.map((e) => e.payloadJson),
          batch.map((e) => e.prevHash),
          batch.map((e) => e.hash),
        ],
      );
    }
    const rawSeconds = (performance.now() - rawStart) / 1000;

    // Second floor, local: the same 10 000 entries appended in batches of 1000 into a fresh store (every
    // projection, FTS included) — what applying them at B costs at least, network aside.
    const floorDir = mkdtempSync(join(tmpdir(), 'vigie-bench-repl-floor-'));
    dirs.push(floorDir);
    const floor = openStore({ dataDir: floorDir, modules: moduleSchemas(), backup: false });
    stores.push(floor);
    const localStart = performance.now();
    for (let i = 0; i < EVENTS; i += BATCH) floor.appendAll(entries(BATCH, 'F'));
    const localSeconds = (performance.now() - localStart) / 1000;

    // Drain: A's queue until B has applied all of it. B tells when (waitApplied): asking it every few
    // milliseconds would cost B a request and a status each time, inside the measurement.
    const b: PositionProcess = startPosition(bDir);
    children.push(b);
    await b.status();
    const drainStart = performance.now();
    draining = true;
    let timeout: NodeJS.Timeout | undefined;
    const seen = Promise.race([
      b.waitApplied(EVENTS),
      new Promise<never>((_, reject) => {
        timeout = setTimeout(() => reject(new Error('délai dépassé : vidage de plus de 120 s')), 120_000);
      }),
    ]);
    await a.replication.service.start();
    const atB = await seen.finally(() => clearTimeout(timeout));
    const drainSeconds = (performance.now() - drainStart) / 1000;
    const pushSeconds = pushedAt === undefined ? Number.NaN : (pushedAt - drainStart) / 1000;
    if (atB.quarantined > 0) throw new Error(`${atB.quarantined} événement(s) en quarantaine à B`);

    // Lag: one entry at A every 50 ms, timed until B has applied it.
    const lags: number[] = [];
    for (let i = 0; i < 100; i += 1) {
      const applied = b.waitApplied(EVENTS + i + 1);
      a.store.append('logbook.entry', { text: `mesure du retard ${i}`, category: 'information' }, 'A');
      const sent = performance.now();
      await applied;
      lags.push(performance.now() - sent);
      await new Promise((r) => setTimeout(r, 50));
    }

    const drainPerSecond = Math.round(EVENTS / drainSeconds);
    const rawPerSecond = Math.round(EVENTS / rawSeconds);
    recordResults('replication', {
      events: EVENTS,
      batch: BATCH,
      rawBatchedInsertSeconds: Number(rawSeconds.toFixed(3)),
      rawBatchedInsertEventsPerSecond: rawPerSecond,
      localAppendAllSeconds: Number(localSeconds.toFixed(3)),
      localAppendAllEventsPerSecond: Math.round(EVENTS / localSeconds),
      pushedSeconds: Number(pushSeconds.toFixed(3)),
      // What B still needed once A's queue was on the server: its wait for the last page, then applying.
      afterPushSeconds: Number((drainSeconds - pushSeconds).toFixed(3)),
      drainSeconds: Number(drainSeconds.toFixed(3)),
      drainEventsPerSecond: drainPerSecond,
      drainOverRaw: Number((drainPerSecond / rawPerSecond).toFixed(3)),
      lagP50Ms: Number(percentile(lags, 50).toFixed(1)),
      lagP95Ms: Number(percentile(lags, 95).toFixed(1)),
      lagMaxMs: Number(percentile(lags, 100).toFixed(1)),
    });
  } finally {
    for (const c of children) await c.exit();
    for (const s of services) await s.service.stop();
    for (const s of stores) s.close();
    await admin.end().catch(() => undefined);
    await server.destroy();
    for (const d of dirs) removeDataDir(d);
  }
};
