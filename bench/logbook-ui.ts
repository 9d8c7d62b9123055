/**
 * `logbook-ui` suite: the logbook list in the real renderer (browser host + Debian's Chromium,
 * headless, software rendering) with 100 000 entries loaded: frame intervals (requestAnimationFrame)
 * while scrolling 120 px per frame (wheel/keys) and while crossing the whole list in 600 jumps (every
 * frame all new rows), rows in the DOM (virtualisation), time to the first rows.
 * Needs `npm run build` (renderer in dist/) and /usr/bin/chromium (VIGIE_CHROMIUM to override).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { moduleSchemas } from '../electron/core/modules.js';
import { openStore } from '../electron/core/store/index.js';
import { launchChromium } from '../electron/testing/chromium.js';
import { removeDataDir } from '../electron/testing/data-dir.js';
import { percentile, recordResults } from './results.js';

const ENTRIES = Number(process.env['ENTRIES'] ?? 100_000);

// Scripts run in the page (strings: this file is type-checked for Node, without the DOM library).
const SCROLL_TO_END = `(() => {
  const list = document.querySelector('[data-testid="entry-list"]');
  list.scrollTop = list.scrollHeight;
  return { count: Number(list.dataset.count), more: list.dataset.hasMore === 'true' };
})()`;
// step: pixels per frame (a wheel or key scroll), or 0 to cross the whole list in 600 jumps.
const SCROLL_THROUGH = (step: number): string => `(async () => {
  const list = document.querySelector('[data-testid="entry-list"]');
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  list.scrollTop = ${step === 0 ? 0 : 'list.scrollHeight / 2'};
  await frame();
  await frame();
  const steps = 600;
  const start = list.scrollTop;
  const deltas = [];
  let maxRows = 0;
  let last = await frame();
  for (let i = 1; i <= steps; i += 1) {
    list.scrollTop = ${step === 0 ? '(list.scrollHeight * i) / steps' : `start + ${step} * i`};
    const now = await frame();
    deltas.push(now - last);
    last = now;
    maxRows = Math.max(maxRows, list.querySelectorAll('[data-testid="entry-row"]').length);
  }
  return { deltas, maxRows, count: Number(list.dataset.count) };
})()`;

const repoRoot = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
};

export const run = async (): Promise<void> => {
  const root = repoRoot();
  const cli = join(root, 'dist', 'electron', 'cli', 'main.js');
  if (!existsSync(join(root, 'dist', 'renderer', 'index.html')))
    throw new Error('renderer absent : lancer npm run build');
  const dir = mkdtempSync(join(tmpdir(), 'vigie-bench-ui-'));
  const store = openStore({ dataDir: dir, modules: moduleSchemas(), backup: false });
  for (let i = 0; i < ENTRIES; i += 2000) {
    store.appendAll(
      Array.from({ length: Math.min(2000, ENTRIES - i) }, (_, j) => ({
        type: 'logbook.entry',
        payload: {
          text: `Inscription ${i + j + 1} : ${'départ VSAV Koné, renfort demandé. '.repeat(1 + ((i + j) % 4))}`,
          category: 'information',
          position: 'POSTE-1',
        },
        author: 'Agent A',
      })),
    );
  }
  store.close();
  const server = spawn(process.execPath, [cli, 'serve', '--data', dir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: server.stdout });
      lines.on('line', (line) => {
        const m = /^Vigie prête : (\S+)$/.exec(line);
        if (m?.[1] !== undefined) resolve(m[1]);
      });
      server.once('exit', (code) => reject(new Error(`vigie serve terminé (${code})`)));
    });
    const { context, close } = await launchChromium({ viewport: { width: 1600, height: 1000 } });
    try {
      const page = await context.newPage();
      const t0 = Date.now();
      await page.goto(url);
      await page.getByTestId('entry-row').first().waitFor();
      const firstRowsMs = Date.now() - t0;
      // Load every page by scrolling to the end until the list says nothing more is left.
      const t1 = Date.now();
      for (;;) {
        const { count, more } = await page.evaluate<{ count: number; more: boolean }>(SCROLL_TO_END);
        if (!more || count >= ENTRIES) break;
        await page.waitForTimeout(20);
      }
      const loadAllMs = Date.now() - t1;
      const wheel = await page.evaluate<{ deltas: number[]; maxRows: number; count: number }>(SCROLL_THROUGH(120));
      const measure = await page.evaluate<{ deltas: number[]; maxRows: number; count: number }>(SCROLL_THROUGH(0));
      const round = (x: number): number => Math.round(x * 10) / 10;
      recordResults('logbook-ui', {
        entries: ENTRIES,
        loadedInList: measure.count,
        firstRowsMs,
        loadAllPagesMs: loadAllMs,
        wheelFrames: wheel.deltas.length,
        wheelFrameP50Ms: round(percentile(wheel.deltas, 50)),
        wheelFrameP95Ms: round(percentile(wheel.deltas, 95)),
        wheelFramesOver50Ms: wheel.deltas.filter((d) => d > 50).length,
        jumpFrames: measure.deltas.length,
        jumpFrameP50Ms: round(percentile(measure.deltas, 50)),
        jumpFrameP95Ms: round(percentile(measure.deltas, 95)),
        jumpFrameMaxMs: round(Math.max(...measure.deltas)),
        jumpFramesOver50Ms: measure.deltas.filter((d) => d > 50).length,
        maxRowsInDom: Math.max(measure.maxRows, wheel.maxRows),
      });
    } finally {
      await close();
    }
  } finally {
    const exited = once(server, 'exit');
    server.kill('SIGTERM');
    await exited;
    removeDataDir(dir);
  }
};
