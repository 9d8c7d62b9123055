/**
 * `rebuild` benchmark (docs/architecture.md, "Targets": rebuild all projections of 1 M events < 10 s).
 *
 * A data directory of 1 M `logbook.entry` events (the `store` suite's entries, every module's projections)
 * is filled once, then copied for each measurement so that every run starts from the same file:
 * - `rebuild()`: every projection emptied and replayed in one transaction, checkpoint included;
 * - the floor, in the same run on the same copy: a bare `INSERT INTO t SELECT … FROM events` of the whole
 *   log in projection order, one transaction — what reading and writing that many rows costs in SQLite alone;
 * - the schema's floor, on the rebuilt copy: the main courante's rows copied set-based (no JavaScript, no
 *   event read) into an empty table with the same columns and indexes, and its full-text index filled as a
 *   replay fills it, one transaction — what the projection's tables alone cost to write, whatever the code;
 * - the projection tables (and the full-text vocabulary) are digested before and after: a rebuild must give
 *   back exactly what the appends wrote;
 * - a remote batch of 100 entries sorting just before the end of the log: only the order-sensitive
 *   projections are replayed, the logbook from the first late entry (store/replay.ts `projectInserted`).
 *
 * `VIGIE_BENCH_REBUILD_SOURCE=DIR` keeps the filled directory there and reuses it in later runs (the fill
 * takes ~75 s); otherwise it lives in os.tmpdir() and is deleted at the end. `VIGIE_BENCH_REBUILD_RUNS`
 * (default 2) measurements; the figure is their median. The 2 CPUs are shared: the load average is printed
 * beside each figure.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillSearch } from '../electron/core/logbook/projections.js';
import { moduleSchemas } from '../electron/core/modules.js';
import { databasePath, openDatabase, openStore } from '../electron/core/store/index.js';
import { eventsAfter } from '../electron/core/store/remote.js';
import type { RemoteEvent } from '../electron/core/store/types.js';
import { percentile, recordResults } from './results.js';
import { fillTo } from './store.js';

const TOTAL = Number(process.env['VIGIE_BENCH_REBUILD_EVENTS'] ?? 1_000_000);
const RUNS = Number(process.env['VIGIE_BENCH_REBUILD_RUNS'] ?? 2);

const log = (message: string): void => {
  process.stdout.write(`  ${message}\n`);
};
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

const fill = (dir: string): void => {
  const store = openStore({ dataDir: dir, modules: moduleSchemas(), backup: false });
  try {
    fillTo(store, TOTAL, log);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    store.close();
  }
};

/** Every projection table, rows in a stable order (all columns), and each FTS5 index's vocabulary. */
const digest = (file: string): string => {
  const db = new Database(file, { readonly: true });
  try {
    const hash = createHash('sha256');
    for (const table of moduleSchemas().flatMap((m) => m.projections.flatMap((p) => p.tables))) {
      const sql = db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').pluck().get(table);
      if (typeof sql === 'string' && /^CREATE VIRTUAL TABLE/i.test(sql)) {
        db.exec(`CREATE VIRTUAL TABLE temp.v_${table} USING fts5vocab(main, ${table}, row)`);
        for (const row of db.prepare(`SELECT term, doc, cnt FROM temp.v_${table} ORDER BY term`).raw().iterate())
          hash.update(JSON.stringify(row));
        continue;
      }
      const n = (db.prepare(`PRAGMA table_info("${table}")`).all() as unknown[]).length;
      const order = Array.from({ length: n }, (_, i) => i + 1).join(', ');
      hash.update(`\n${table}\n`);
      for (const row of db.prepare(`SELECT * FROM "${table}" ORDER BY ${order}`).raw().iterate())
        hash.update(JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
    }
    return hash.digest('hex');
  } finally {
    db.close();
  }
};

const copyDatabase = (from: string, to: string): void => {
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  for (const suffix of ['', '-wal'])
    if (existsSync(`${databasePath(from)}${suffix}`))
      copyFileSync(`${databasePath(from)}${suffix}`, `${databasePath(to)}${suffix}`);
};

/** The floor: one transaction copying the whole log, in projection order, into a bare table. */
const floorSeconds = (dir: string): number => {
  const db = new Database(databasePath(dir));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(
      'CREATE TABLE floor_copy (origin TEXT, seq INTEGER, id TEXT, hlc TEXT, type TEXT, author TEXT, payload TEXT, prev_hash TEXT, hash TEXT)',
    );
    const started = performance.now();
    db.transaction(() => {
      db.exec(
        'INSERT INTO floor_copy SELECT origin, seq, id, hlc, type, author, payload, prev_hash, hash FROM events ORDER BY hlc, origin, seq',
      );
    }).immediate();
    db.pragma('wal_checkpoint(TRUNCATE)');
    return (performance.now() - started) / 1000;
  } finally {
    db.close();
  }
};

/**
 * The schema's floor: `logbook_entries` (every index) and `logbook_fts` (its configuration) copied empty,
 * then filled from the rebuilt rows in one transaction on a connection the store opened (its WAL,
 * synchronous and cache settings), checkpoint included as in `rebuild()`.
 */
const schemaFloorSeconds = (dir: string): number => {
  const db = openDatabase(databasePath(dir), { dataDir: dir, startupCheck: 'log' });
  try {
    const ddl = db
      .prepare(
        "SELECT sql FROM sqlite_schema WHERE tbl_name = 'logbook_entries' AND sql IS NOT NULL ORDER BY type = 'index'",
      )
      .pluck()
      .all() as string[];
    for (const sql of ddl) db.exec(sql.replaceAll('logbook_entries', 'floor_entries'));
    const fts = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'logbook_fts'").pluck().get() as string;
    db.exec(fts.replace('logbook_fts', 'floor_fts'));
    const config = db.prepare("SELECT k, v FROM logbook_fts_config WHERE k <> 'version'").all() as {
      k: string;
      v: number;
    }[];
    for (const { k, v } of config) db.exec(`INSERT INTO floor_fts (floor_fts, rank) VALUES ('${k}', ${v})`);
    const started = performance.now();
    db.transaction(() => {
      db.exec('INSERT INTO floor_entries SELECT * FROM logbook_entries ORDER BY entry_no');
      fillSearch(db, 'floor_fts', 'floor_entries');
    }).immediate();
    db.pragma('wal_checkpoint(TRUNCATE)');
    return (performance.now() - started) / 1000;
  } finally {
    db.close();
  }
};

const LATE = 100;

/**
 * A remote batch of LATE entries from another position that sorts 50 ms before the last event of the
 * 1 M log (docs/architecture.md, "Conflicts by construction"): what applying it costs, its replay included.
 */
const lateBatchSeconds = (dir: string, root: string): number => {
  const store = openStore({ dataDir: dir, modules: moduleSchemas(), backup: false });
  const other = join(root, 'other');
  try {
    const last = store.db.prepare('SELECT hlc FROM events ORDER BY hlc DESC LIMIT 1').pluck().get();
    let t = Number(String(last).slice(0, 15)) - 50;
    const remote = openStore({ dataDir: other, modules: moduleSchemas(), backup: false, now: () => (t += 1) });
    let batch: RemoteEvent[] = [];
    try {
      remote.appendAll(
        Array.from({ length: LATE }, (_, i) => ({
          type: 'logbook.entry',
          payload: { text: `entrée tardive ${i}`, category: 'information' },
          author: 'Autre poste',
        })),
      );
      batch = eventsAfter(remote.db, remote.origin, 0, LATE);
    } finally {
      remote.close();
    }
    const started = performance.now();
    const result = store.applyRemote(batch);
    const seconds = (performance.now() - started) / 1000;
    if (!result.replayed || result.applied.length !== LATE) throw new Error('lot tardif : non rejoué dans l’ordre');
    return seconds;
  } finally {
    store.close();
  }
};

export const run = async (): Promise<void> => {
  const kept = process.env['VIGIE_BENCH_REBUILD_SOURCE'];
  const root = mkdtempSync(join(tmpdir(), 'vigie-bench-rebuild-'));
  const source = kept ?? join(root, 'source');
  const work = join(root, 'work');
  try {
    if (!existsSync(databasePath(source))) {
      log(`remplissage de ${source} (${TOTAL} événements)…`);
      fill(source);
    }
    const before = digest(databasePath(source));
    const rebuilds: number[] = [];
    const floors: number[] = [];
    const schemaFloors: number[] = [];
    // CPU time of this process (the checkpoint worker thread included): on a shared machine the wall time
    // also counts the time other jobs held the CPUs.
    const cpus: number[] = [];
    const loads: string[] = [];
    let events = 0;
    let identical = true;
    for (let i = 0; i < RUNS; i += 1) {
      copyDatabase(source, work);
      // quick_check before the clock starts ('full'): the 'log' mode's background check would run beside the rebuild.
      const store = openStore({ dataDir: work, modules: moduleSchemas(), backup: false });
      const loadBefore = load();
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      try {
        events = store.rebuild().events;
      } finally {
        store.close();
      }
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      cpus.push((cpu.user + cpu.system) / 1e6);
      rebuilds.push(seconds);
      const same = digest(databasePath(work)) === before;
      identical &&= same;
      const floor = floorSeconds(work);
      floors.push(floor);
      const schemaFloor = schemaFloorSeconds(work);
      schemaFloors.push(schemaFloor);
      loads.push(loadBefore);
      log(
        `rebuild ${i + 1}/${RUNS} : ${events} événements en ${seconds.toFixed(2)} s, CPU ${(cpus[i] ?? 0).toFixed(2)} s (plancher INSERT … SELECT ${floor.toFixed(2)} s, ` +
          `rapport ${(seconds / floor).toFixed(1)} ; plancher du schéma de la main courante ${schemaFloor.toFixed(2)} s) ; ` +
          `projections ${same ? 'identiques' : 'DIFFÉRENTES'} ; charge ${loadBefore}`,
      );
    }
    copyDatabase(source, work);
    const lateLoad = load();
    const late = lateBatchSeconds(work, root);
    log(
      `lot distant de ${LATE} entrées tardives (50 ms avant la fin du journal) : ${late.toFixed(2)} s ; charge ${lateLoad}`,
    );
    const rebuild = percentile(rebuilds, 50);
    const floor = percentile(floors, 50);
    recordResults('rebuild', {
      events,
      runs: RUNS,
      rebuild1MSeconds: round3(rebuild),
      rebuild1MSecondsMax: round3(Math.max(...rebuilds)),
      rebuild1MCpuSeconds: round3(percentile(cpus, 50)),
      floorInsertSelect1MSeconds: round3(floor),
      rebuildOverFloor: round3(rebuild / floor),
      logbookSchemaFloor1MSeconds: round3(percentile(schemaFloors, 50)),
      projectionsIdentical: identical,
      lateBatch100At1MSeconds: round3(late),
      lateBatchLoadAverage: lateLoad,
      loadAverage: loads.join(' | '),
    });
    if (!identical) throw new Error('rebuild : projections différentes de celles écrites par les appends');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
};
