/**
 * `store` benchmark (issue 3 §10; targets in docs/architecture.md, "Targets": durable append p99 < 2 ms at 1 M events,
 * cold start < 2 s, peak RSS < 250 MB). Everything runs on a real database in os.tmpdir(), deleted at the end.
 *
 * - durable append p50/p99: single `append` calls (one transaction + fsync each, synchronous=FULL) on an
 *   empty database, then on the same database once it holds 1 M events;
 *   (default: WAL checkpoints in a background worker; also measured with SQLite's inline checkpoint);
 * - the 1 M database is filled with `appendAll` batches (each batch one transaction);
 * - bytes per event: size of vigie.db after a checkpoint, divided by the number of events;
 * - cold open: a fresh child process opens the 1 M database (quick_check, pragmas, migrations check)
 *   — page cache warm, since dropping it would disturb the other users of this machine;
 * - peak RSS: maxRSS of that child after opening, reading and appending; and after a full verify;
 * - rebuild of 1 M events in this process, verify of 1 M events in the child;
 * - for context, the floor: a bare SQLite INSERT + fsync under the same machine load.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { moduleSchemas } from '../electron/core/modules.js';
import { databasePath, openStore, type Store } from '../electron/core/store/index.js';
import { coldStartToStatus, type ColdStart } from './cold-start.js';
import { percentile, recordResults } from './results.js';
import { removeDataDir } from '../electron/testing/data-dir.js';

const TOTAL = Number(process.env['VIGIE_BENCH_STORE_EVENTS'] ?? 1_000_000);
const BATCH = 5000;
const SAMPLES = 2000;
const COLD_RUNS = 5;

const categories = ['information', 'appel', 'intervention', 'décision', 'point de situation'];
const words = [
  'VSAV',
  'engagé',
  'Nouméa',
  'Dumbéa',
  'feu de brousse',
  'Boulouparis',
  'cyclone',
  'appel du 18',
  'renfort',
  'retour',
  'SAMU',
  'gendarmerie',
  'Païta',
  'route coupée',
  'crue',
];
/** A plausible entry of 60–160 characters, deterministic in i. */
const text = (i: number): string => {
  const parts: string[] = [`${String(8 + (i % 12)).padStart(2, '0')}h${String(i % 60).padStart(2, '0')}`];
  for (let k = 0; parts.join(' ').length < 60 + (i % 100); k += 1)
    parts.push(words[(i * 7 + k * 13) % words.length] ?? 'x');
  return parts.join(' ');
};
export const item = (i: number) => ({
  type: 'logbook.entry',
  payload: { text: text(i), category: categories[i % categories.length] ?? 'information' },
  author: `opérateur ${i % 7}`,
});

/** Appends plausible entries in batches of 5 000 until the log holds `total` events; returns the count. */
export const fillTo = (store: Store, total: number, log: (message: string) => void): number => {
  const started = performance.now();
  let n = store.count();
  while (n < total) {
    const size = Math.min(BATCH, total - n);
    store.appendAll(Array.from({ length: size }, (_, k) => item(n + k)));
    n += size;
    if (n % 100_000 < BATCH)
      log(`remplissage : ${n} événements (${Math.round((performance.now() - started) / 1000)} s)`);
  }
  return n;
};

const round2 = (x: number): number => Math.round(x * 1000) / 1000;

const appendLatencies = (store: Store, offset: number): number[] => {
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i += 1) {
    const { payload, author } = item(offset + i);
    const t = performance.now();
    store.append('logbook.entry', payload, author);
    samples.push(performance.now() - t);
  }
  return samples;
};

/**
 * The floor under the same load: a bare better-sqlite3 INSERT of a similar row, WAL + synchronous=FULL.
 * With `pages` > 1, one transaction inserts `pages` rows of ~3.9 KB (one page each): a logbook append
 * writes ~20 WAL pages per COMMIT, and on this disk the tail of a 20-page fsync is not that of a 1-page one.
 */
const rawSqliteLatencies = (dir: string, pages = 1): number[] => {
  const db = new Database(join(dir, 'raw.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (x TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO t (x) VALUES (?)');
    const commit = db.transaction((i: number) => {
      if (pages === 1) insert.run(text(i).repeat(4));
      else for (let k = 0; k < pages; k += 1) insert.run('x'.repeat(3900));
    });
    const samples: number[] = [];
    for (let i = 0; i < 2 * SAMPLES; i += 1) {
      const t = performance.now();
      commit.immediate(i);
      if (i >= SAMPLES) samples.push(performance.now() - t);
    }
    return samples;
  } finally {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, `raw.db${suffix}`), { force: true });
  }
};

export const run = async (): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-bench-store-'));
  const log = (message: string): void => {
    process.stdout.write(`  ${message}\n`);
  };
  try {
    const raw = rawSqliteLatencies(dir);
    log(
      `plancher SQLite brut (à vide) : p50 ${percentile(raw, 50).toFixed(3)} ms, p99 ${percentile(raw, 99).toFixed(3)} ms`,
    );
    // SQLite's automatic checkpoint inside the COMMIT, for comparison with the default background worker.
    const inlineDir = join(dir, 'inline');
    const inlineStore = openStore({
      dataDir: inlineDir,
      modules: moduleSchemas(),
      backup: false,
      checkpoint: 'inline',
    });
    appendLatencies(inlineStore, 0);
    const inline0 = appendLatencies(inlineStore, SAMPLES);
    inlineStore.close();
    removeDataDir(inlineDir);
    log(
      `append à vide, checkpoint dans le COMMIT : p50 ${percentile(inline0, 50).toFixed(3)} ms, p99 ${percentile(inline0, 99).toFixed(3)} ms`,
    );
    let store = openStore({ dataDir: dir, modules: moduleSchemas(), backup: false });
    appendLatencies(store, 0); // warm-up (JIT, statement cache, file growth)
    const at0 = appendLatencies(store, SAMPLES);
    log(`append à vide : p50 ${percentile(at0, 50).toFixed(3)} ms, p99 ${percentile(at0, 99).toFixed(3)} ms`);

    const fillStart = performance.now();
    const n = fillTo(store, TOTAL, log);
    const fillSeconds = (performance.now() - fillStart) / 1000;
    store.db.pragma('wal_checkpoint(TRUNCATE)');

    appendLatencies(store, n); // warm the caches for the big database as the warm-up did for the empty one
    // fsync latency on this shared disk varies with the others' I/O: measure the floor again, right now.
    const raw1m = rawSqliteLatencies(dir);
    log(
      `plancher SQLite brut (avant la mesure à 1 M) : p50 ${percentile(raw1m, 50).toFixed(3)} ms, p99 ${percentile(raw1m, 99).toFixed(3)} ms`,
    );
    const raw1m20 = rawSqliteLatencies(dir, 20);
    log(
      `plancher SQLite brut, 20 pages par COMMIT : p50 ${percentile(raw1m20, 50).toFixed(3)} ms, p99 ${percentile(raw1m20, 99).toFixed(3)} ms`,
    );
    const at1m = appendLatencies(store, n + SAMPLES);
    const events = store.count();
    log(`append à ${events} : p50 ${percentile(at1m, 50).toFixed(3)} ms, p99 ${percentile(at1m, 99).toFixed(3)} ms`);
    store.close();
    const bytes = statSync(databasePath(dir)).size;

    const childScript = join(dirname(fileURLToPath(import.meta.url)), 'store-child.js');
    const child = (mode: 'full' | 'log', verify: boolean) => {
      const started = performance.now();
      const result = spawnSync(process.execPath, [childScript, dir, mode, verify ? 'verify' : 'no-verify'], {
        encoding: 'utf8',
      });
      const wallMs = performance.now() - started;
      if (result.status !== 0) throw new Error(`store-child a échoué : ${result.stderr}`);
      const figures = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as {
        openMs: number;
        firstReadMs: number;
        rssMb: number;
        verifyMs: number;
        verifyOk: boolean | null;
        rssAfterVerifyMb: number;
      };
      return { ...figures, wallMs };
    };
    const coldLog = child('log', false);
    log(
      `ouverture à froid (quick_check du journal seul) : ${coldLog.openMs.toFixed(0)} ms, processus entier ${coldLog.wallMs.toFixed(0)} ms`,
    );
    const cold = child('full', true);
    log(
      `ouverture à froid (quick_check complet) : ${cold.openMs.toFixed(0)} ms ; RSS max ${cold.rssMb} Mo (${cold.rssAfterVerifyMb} Mo après verify)`,
    );

    // Process start → first status over the contract, what the console's first screen waits for. The
    // floor is the same measure on an empty data directory, in the same run.
    const empty = join(dir, 'empty');
    const coldEmpty: ColdStart[] = [];
    const cold1m: ColdStart[] = [];
    for (let i = 0; i < COLD_RUNS; i += 1) {
      coldEmpty.push(await coldStartToStatus(empty));
      cold1m.push(await coldStartToStatus(dir));
    }
    const median = (values: number[]): number => percentile(values, 50);
    const coldStatusMs = median(cold1m.map((c) => c.statusMs));
    const coldStatusEmptyMs = median(coldEmpty.map((c) => c.statusMs));
    log(
      `démarrage à froid jusqu'au premier statut (WebSocket) : ${coldStatusMs.toFixed(0)} ms à ${cold1m[0]?.events ?? 0} événements, ` +
        `${coldStatusEmptyMs.toFixed(0)} ms sur une base vide (médianes de ${COLD_RUNS})`,
    );

    store = openStore({ dataDir: dir, modules: moduleSchemas(), backup: false });
    const rebuildStart = performance.now();
    const rebuilt = store.rebuild();
    const rebuildSeconds = (performance.now() - rebuildStart) / 1000;
    log(`rebuild : ${rebuilt.events} événements en ${rebuildSeconds.toFixed(1)} s`);
    store.close();

    recordResults('store', {
      events,
      rawSqliteInsertP50Ms_empty: round2(percentile(raw, 50)),
      rawSqliteInsertP99Ms_empty: round2(percentile(raw, 99)),
      appendP50Ms_empty: round2(percentile(at0, 50)),
      appendP99Ms_empty: round2(percentile(at0, 99)),
      appendP50Ms_empty_inlineCheckpoint: round2(percentile(inline0, 50)),
      appendP99Ms_empty_inlineCheckpoint: round2(percentile(inline0, 99)),
      appendP50Ms_1M: round2(percentile(at1m, 50)),
      appendP99Ms_1M: round2(percentile(at1m, 99)),
      appendMaxMs_1M: round2(Math.max(...at1m)),
      fill1MSeconds: round2(fillSeconds),
      fillEventsPerSecond: Math.round(TOTAL / fillSeconds),
      bytesPerEvent: Math.round(bytes / events),
      dbMegabytes: Math.round(bytes / 1e5) / 10,
      rawSqliteInsertP50Ms_at1M: round2(percentile(raw1m, 50)),
      rawSqliteInsertP99Ms_at1M: round2(percentile(raw1m, 99)),
      rawSqlite20PageCommitP50Ms_at1M: round2(percentile(raw1m20, 50)),
      rawSqlite20PageCommitP99Ms_at1M: round2(percentile(raw1m20, 99)),
      coldOpenMs_1M_fullCheck: Math.round(cold.openMs),
      coldOpenMs_1M_logCheck: Math.round(coldLog.openMs),
      coldProcessWallMs_1M_logCheck: Math.round(coldLog.wallMs),
      coldFirstReadMs_1M: round2(cold.firstReadMs),
      coldStartToStatusMs_1M: Math.round(coldStatusMs),
      coldStartToStatusMaxMs_1M: Math.round(Math.max(...cold1m.map((c) => c.statusMs))),
      coldStartToStatusMs_empty: Math.round(coldStatusEmptyMs),
      coldStartToStatusRatio_1M_vs_empty: round2(coldStatusMs / coldStatusEmptyMs),
      peakRssMb_1M: cold.rssMb,
      peakRssMbAfterVerify_1M: cold.rssAfterVerifyMb,
      verify1MSeconds: round2(cold.verifyMs / 1000),
      verifyOk: cold.verifyOk,
      rebuild1MSeconds: round2(rebuildSeconds),
    });
  } finally {
    removeDataDir(dir);
  }
};
