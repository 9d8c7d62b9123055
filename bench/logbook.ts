/**
 * `logbook` suite: full-text search and filtered lists of the main courante at 1 M entries
 * (docs/architecture.md, "Targets"). Entries are written through the real store (hash chain,
 * HLC, projections, FTS5 index), in transactions of 2 000, with texts drawn from an operations-room
 * vocabulary (accents included) by a seeded generator so that runs are comparable.
 * ENTRIES=200000 node dist/bench/run.js logbook for a quicker, smaller run; LOGBOOK_BENCH_DIR=DIR keeps
 * the database in DIR and reuses it on the next run (the write phase is then skipped).
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { LogbookFilters } from '../electron/contract/logbook.js';
import { DEFAULT_CATEGORIES } from '../electron/contract/logbook.js';
import { moduleSchemas } from '../electron/core/modules.js';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { exportInWorker, workerAvailable } from '../electron/core/logbook/export/in-worker.js';
import { exportLogbook } from '../electron/core/logbook/export/run.js';
import { listEntries, searchEntries } from '../electron/core/logbook/queries.js';
import { openStore } from '../electron/core/store/index.js';
import { removeDataDir } from '../electron/testing/data-dir.js';
import { percentile, recordResults } from './results.js';

const WORDS = (
  'départ arrivée VSAV CCF FPT ambulance hélicoptère Dragon gendarmerie SAMU pompiers renfort engagement retour centre ' +
  'appel ligne standard rappel abonné victime blessé malaise incendie feu brousse fumée route accident véhicule ' +
  'cyclone dépression alerte vigilance orange rouge houle marée inondation crue radier coupé évacuation hébergement ' +
  'électricité réseau coupure antenne relais téléphone radio poste transmission message préfecture haut-commissariat ' +
  'province mairie tribu chefferie coutumier population consigne point situation bilan moyens demande décision action ' +
  'Nouméa Dumbéa Païta Mont-Dore Koné Koumac Bourail Houaïlou Canala Thio Yaté Lifou Maré Ouvéa Poindimié Hienghène ' +
  'Boulouparis Farino Sarraméa Pouébo Ouégoa Bélep Poya Voh Kaala-Gomen Pouembout Touho Ponérihouen Kouaoua Moindou'
).split(' ');
const AUTHORS = Array.from({ length: 20 }, (_, i) => `Agent ${String.fromCharCode(65 + i)}`);
const OPERATIONS = Array.from({ length: 20 }, (_, i) => `op-${i}`);

/** Mulberry32: small seeded PRNG, so every run writes the same log. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

export const run = async (): Promise<void> => {
  const total = Number(process.env['ENTRIES'] ?? 1_000_000);
  const keep = process.env['LOGBOOK_BENCH_DIR'];
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'vigie-bench-logbook-'));
  const random = prng(42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  // The log spans 200 days: the wall clock advances ~17 s per entry.
  let t = Date.parse('2026-05-01T00:00:00Z');
  const start = t;
  const step = Math.floor((200 * 24 * 3600_000) / total);
  const store = openStore({ dataDir: dir, modules: moduleSchemas(), backup: false, now: () => t });
  try {
    const t0 = performance.now();
    const BATCH = 2000;
    const already = (store.db.prepare('SELECT count(*) AS n FROM logbook_entries').get() as { n: number }).n;
    if (already !== 0 && already !== total) throw new Error(`${dir} contient ${already} inscriptions, pas ${total}`);
    for (let i = already; i < total; i += BATCH) {
      const items = [];
      for (let j = i; j < Math.min(total, i + BATCH); j += 1) {
        t += step;
        const n = 6 + Math.floor(random() * 20);
        const text = Array.from({ length: n }, () => pick(WORDS)).join(' ');
        items.push({
          type: 'logbook.entry',
          payload: {
            text,
            category: pick(DEFAULT_CATEGORIES),
            position: 'POSTE-1',
            ...(random() < 0.05 ? { important: true } : {}),
            ...(random() < 0.1 ? { operationId: pick(OPERATIONS) } : {}),
          },
          author: pick(AUTHORS),
        });
      }
      store.appendAll(items);
      if ((i / BATCH) % 50 === 0) process.stdout.write(`\r${i + items.length} inscriptions écrites`);
    }
    const buildSeconds = already === total ? null : (performance.now() - t0) / 1000;
    process.stdout.write('\n');
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const dbMb = statSync(store.path).size / 1e6;

    const day = (d: number): string => new Date(start + d * 24 * 3600_000).toISOString();
    const searches: { q: string; f?: LogbookFilters }[] = [
      { q: 'depart' },
      { q: 'DÉPART koné' },
      { q: 'houailou evacuation' },
      { q: 'boul' },
      { q: 'cyclone alerte rouge' },
      { q: 'helicoptere dragon' },
      { q: 'inondation', f: { important: true } },
      { q: 'appel', f: { category: 'décision' } },
      { q: 'feu brousse', f: { author: 'Agent C' } },
      { q: 'renfort', f: { operationId: 'op-7' } },
      { q: 'radier', f: { from: day(100), to: day(101) } },
      { q: 'ambulance', f: { from: day(10), to: day(12) } },
      { q: 'Bélep tribu coutumier' },
      { q: 'vigilance orange', f: { important: true, category: 'information' } },
    ];
    const lists: LogbookFilters[] = [
      {},
      { category: 'action' },
      { author: 'Agent K' },
      { important: true },
      { operationId: 'op-3' },
      { from: day(50), to: day(51) },
    ];
    const cpuMs: number[] = [];
    const time = (fn: () => unknown): number => {
      const a = performance.now();
      const c = process.cpuUsage();
      fn();
      const used = process.cpuUsage(c);
      cpuMs.push((used.user + used.system) / 1000);
      return performance.now() - a;
    };
    const ROUNDS = 15;
    const searchMs: number[] = [];
    const searchCpuMs: number[] = [];
    const perQuery: Record<string, number[]> = {};
    const listMs: number[] = [];
    for (let r = 0; r < ROUNDS; r += 1) {
      for (const s of searches) {
        const ms = time(() => searchEntries(store.db, s.q, s.f, undefined, 100));
        searchCpuMs.push(cpuMs.at(-1) ?? 0);
        searchMs.push(ms);
        (perQuery[`${s.q}${s.f === undefined ? '' : ` ${JSON.stringify(s.f)}`}`] ??= []).push(ms);
      }
      for (const f of lists) listMs.push(time(() => listEntries(store.db, f, undefined, 100)));
    }
    const worst = Object.entries(perQuery)
      .map(([q, v]) => [q, percentile(v, 50)] as const)
      .sort((a, b) => b[1] - a[1])[0];
    const round = (x: number): number => Math.round(x * 100) / 100;

    // Export of one day of this log (about 5 000 entries) while a timer measures how long the event
    // loop is held: the core must keep answering the UI during a long export. The app runs exports
    // in a worker thread (export/in-worker.ts); the in-process path (used from sources) is measured too.
    const exportOne = async (format: 'pdf' | 'csv', worker: boolean) => {
      const histogram = monitorEventLoopDelay({ resolution: 5 });
      histogram.enable();
      const a = performance.now();
      const request = { format, filters: { from: day(120), to: day(121) }, file: join(dir, `export.${format}`) };
      const env = { directorate: 'DSCGR', positionName: 'POSTE-1', exportDir: dir };
      const result = worker
        ? await exportInWorker({ ...env, dbPath: store.path, nowMs: Date.now(), request }, () => {})
        : await exportLogbook({ ...env, db: store.db, now: Date.now }, request);
      histogram.disable();
      return { seconds: (performance.now() - a) / 1000, entries: result.entries, maxLoopBlockMs: histogram.max / 1e6 };
    };
    if (!workerAvailable())
      throw new Error('worker d’export absent : lancer depuis dist/ (npx tsc -p tsconfig.build.json)');
    const pdf = await exportOne('pdf', true);
    const csv = await exportOne('csv', true);
    const pdfInProcess = await exportOne('pdf', false);
    recordResults('logbook', {
      entries: total,
      buildSeconds: buildSeconds === null ? null : round(buildSeconds),
      databaseMb: round(dbMb),
      pageSize: 100,
      searchQueries: searchMs.length,
      searchP50Ms: round(percentile(searchMs, 50)),
      searchP95Ms: round(percentile(searchMs, 95)),
      searchP99Ms: round(percentile(searchMs, 99)),
      searchMaxMs: round(Math.max(...searchMs)),
      // CPU time of the same queries: what the wall-clock figures would be on an idle machine.
      searchCpuP95Ms: round(percentile(searchCpuMs, 95)),
      slowestQuery: worst === undefined ? null : `${worst[0]} (p50 ${round(worst[1])} ms)`,
      filteredListP95Ms: round(percentile(listMs, 95)),
      exportEntries: pdf.entries,
      exportPdfSeconds: round(pdf.seconds),
      exportPdfMaxLoopBlockMs: round(pdf.maxLoopBlockMs),
      exportCsvSeconds: round(csv.seconds),
      exportCsvMaxLoopBlockMs: round(csv.maxLoopBlockMs),
      exportPdfInProcessSeconds: round(pdfInProcess.seconds),
      exportPdfInProcessMaxLoopBlockMs: round(pdfInProcess.maxLoopBlockMs),
      targetSearchP95Ms: 50,
      searchP95Ok: percentile(searchMs, 95) < 50,
    });
  } finally {
    store.close();
    if (keep === undefined) removeDataDir(dir);
  }
};
