import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import type { ExportResult } from '../../../contract/logbook.js';
import { removeDataDir } from '../../../testing/data-dir.js';
import { moduleSchemas } from '../../modules.js';
import { appRoot } from '../../paths.js';
import { openStore } from '../../store/index.js';
import type { exportInWorker as ExportInWorker } from './in-worker.js';

// The worker runs compiled JavaScript: this test drives the built one (dist/, made by the build step
// of scripts/test.sh) while the core keeps appending on its own connection.
const built = join(appRoot(), 'dist', 'electron', 'core', 'logbook', 'export', 'in-worker.js');
const dir = mkdtempSync(join(tmpdir(), 'vigie-export-worker-'));
afterAll(() => removeDataDir(dir));

it('exports in a worker thread while the core appends', async () => {
  if (!existsSync(built)) {
    console.warn(`test de l’export en worker non exécuté : ${built} absent (lancer npx tsc -p tsconfig.build.json)`);
    return;
  }
  const { exportInWorker } = (await import(pathToFileURL(built).href)) as { exportInWorker: typeof ExportInWorker };
  const store = openStore({ dataDir: dir, modules: moduleSchemas(), backup: false });
  try {
    store.appendAll(
      Array.from({ length: 300 }, (_, i) => ({
        type: 'logbook.entry',
        payload: { text: `Inscription ${i + 1}`, category: 'information' },
        author: 'A',
      })),
    );
    const progress: number[] = [];
    const running = exportInWorker(
      {
        dbPath: store.path,
        directorate: 'DSCGR',
        positionName: 'POSTE-1',
        exportDir: dir,
        nowMs: Date.now(),
        request: { format: 'pdf', file: join(dir, 'w.pdf') },
      },
      (p) => progress.push(p.done),
    );
    // The core's connection stays writable during the export (WAL: one writer, readers alongside).
    store.append('logbook.entry', { text: 'Pendant l’export', category: 'information' }, 'A');
    const result: ExportResult = await running;
    expect(result.entries === 300 || result.entries === 301).toBe(true);
    expect(progress.length).toBeGreaterThan(0);
    const text = execFileSync('pdftotext', [result.file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Inscription 300');
  } finally {
    store.close();
  }
});
