/**
 * `trust` benchmark (issue 11 §5–6): `vigie verify` of a 1 M-event log with signed checkpoints, phase by
 * phase (chains, signatures, projections replayed and compared), in a child process as an operator runs
 * it; and an evidence bundle of one day's main courante (1 000 entries): its size, the export time and
 * the `vigie verify-export` time. Real files in os.tmpdir(), deleted at the end. Figures printed (not merged
 * into bench/results.json).
 * `node dist/bench/trust.js` (VIGIE_BENCH_TRUST_EVENTS to change the 1 M).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { moduleSchemas } from '../electron/core/modules.js';
import { openStore } from '../electron/core/store/index.js';
import { positionKeyPath } from '../electron/core/trust/keys.js';
import { createTrustService } from '../electron/core/trust/service.js';

const TOTAL = Number(process.env['VIGIE_BENCH_TRUST_EVENTS'] ?? 1_000_000);
const BATCH = 5000;
const cli = join(dirname(fileURLToPath(import.meta.url)), '../electron/cli/main.js');
const words = [
  'VSAV',
  'engagé',
  'Nouméa',
  'Dumbéa',
  'feu de brousse',
  'Boulouparis',
  'cyclone',
  'renfort',
  'SAMU',
  'Païta',
  'crue',
];
const text = (i: number): string => {
  const parts = [`${String(8 + (i % 12)).padStart(2, '0')}h${String(i % 60).padStart(2, '0')}`];
  for (let k = 0; parts.join(' ').length < 60 + (i % 100); k += 1)
    parts.push(words[(i * 7 + k * 13) % words.length] ?? 'x');
  return parts.join(' ');
};

const fill = (dataDir: string, total: number, checkpointEvery: number): void => {
  const store = openStore({ dataDir, modules: moduleSchemas(), backup: false });
  const trust = createTrustService(store, positionKeyPath(dataDir));
  for (let i = 0; i < total; i += BATCH) {
    const n = Math.min(BATCH, total - i);
    store.appendAll(
      Array.from({ length: n }, (_, k) => ({
        type: 'logbook.entry',
        payload: { text: text(i + k), category: 'information' },
        author: `opérateur ${(i + k) % 7}`,
      })),
    );
    if ((i + n) % checkpointEvery === 0) trust.checkpoint('timer');
  }
  store.close();
};

const timed = (args: string[]): { ms: number; out: string; status: number | null } => {
  const started = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { ms: performance.now() - started, out: r.stdout + r.stderr, status: r.status };
};

export const run = async (): Promise<void> => {
  const work = mkdtempSync(join(tmpdir(), 'vigie-bench-trust-'));
  try {
    // A day's main courante: 1 000 entries over one Nouméa day, written in batches of BATCH at one minute apart.
    const day = join(work, 'day');
    const dayStart = Date.parse('2026-11-30T19:00:00Z');
    let t = dayStart;
    const store = openStore({ dataDir: day, modules: moduleSchemas(), backup: false, now: () => (t += 80_000) });
    for (let i = 0; i < 1000; i += 1)
      store.append('logbook.entry', { text: text(i), category: 'information' }, `opérateur ${i % 7}`);
    store.close();
    const bundleFile = join(work, 'preuve.json');
    const exported = timed(['export', '--data', day, '--format', 'bundle', '--out', bundleFile]);
    if (exported.status !== 0) throw new Error(exported.out);
    const checked = timed(['verify-export', bundleFile]);
    if (checked.status !== 0) throw new Error(checked.out);
    const bytes = statSync(bundleFile).size;
    process.stdout.write(
      `preuve d'une journée (1 000 inscriptions) : ${(bytes / 1024).toFixed(0)} Kio, export ${exported.ms.toFixed(0)} ms, ` +
        `vigie verify-export ${checked.ms.toFixed(0)} ms (processus compris)\n`,
    );

    const big = join(work, 'big');
    const filled = performance.now();
    fill(big, TOTAL, 100_000);
    process.stdout.write(`${TOTAL} événements écrits en ${((performance.now() - filled) / 1000).toFixed(1)} s\n`);
    const chain = timed(['verify', '--data', big, '--chain-only']);
    const full = timed(['verify', '--data', big]);
    if (chain.status !== 0 || full.status !== 0) throw new Error(full.out);
    const phase = (out: string, what: string): number =>
      Number(new RegExp(`${what}[^\\n]*\\((\\d+) ms\\)`).exec(out)?.[1] ?? NaN);
    process.stdout.write(`${full.out}\n`);
    const figures = {
      verifyChainOnlySeconds: Math.round(chain.ms / 10) / 100,
      verifyFullSeconds: Math.round(full.ms / 10) / 100,
      chainsMs: phase(full.out, 'chaînes'),
      signaturesMs: phase(full.out, 'signatures vérifiées'),
      projectionsMs: phase(full.out, 'projections'),
      events: TOTAL,
      bundle1000Bytes: bytes,
      bundle1000ExportMs: Math.round(exported.ms),
      bundle1000VerifyExportMs: Math.round(checked.ms),
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await run();
