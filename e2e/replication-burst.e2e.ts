import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleSchemas } from '../electron/core/modules.js';
import { openStore } from '../electron/core/store/index.js';
import { removeDataDir } from '../electron/testing/data-dir.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../electron/testing/postgres.js';
import { provisionPosition, signIn, vigie } from './support/central.js';
import { launchChromium } from './support/chromium.js';
import { screenshots } from './support/screenshots.js';
import { serve, type Served } from './support/serve.js';

/**
 * A burst reaching a console: POSTE-A comes online with 40 000 entries the room has not seen (a long cut, a
 * bulk import), and POSTE-B applies them page after page while its operator has the main courante open in
 * Chromium. Sent one frame each, they would queue past what the browser host lets a page owe and the
 * screen would be disconnected, its audio with it (host/server.ts MAX_BUFFERED_BYTES). The screen must stay
 * connected and end up showing the newest entries (core/kernel/burst.ts, `logbook.stale`).
 */
if (!postgresAvailable()) console.info('replication-burst.e2e : PostgreSQL 15 absent — test ignoré');

const BURST = 40_000;

describe.skipIf(!postgresAvailable())('a burst of replicated entries at a console, in Chromium', () => {
  let server: TestPostgres;
  const dirs: string[] = [];
  const served: Served[] = [];
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;

  beforeAll(async () => {
    server = await startPostgres();
    vigie('central', 'migrate', '--url', server.url);
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  afterAll(async () => {
    await chromium?.close();
    for (const s of served.splice(0)) await s.stop();
    await server?.destroy();
    for (const d of dirs.splice(0)) removeDataDir(d);
  });

  it('stays connected while 40 000 entries arrive, and shows the newest', async () => {
    const user: [string, string, string] = ['Marie Wamytan', 'chef_de_salle', '2468'];
    const dirA = provisionPosition(server, { name: 'POSTE-A', role: 'poste_a', user });
    const dirB = provisionPosition(server, { name: 'POSTE-B', role: 'poste_b', user });
    dirs.push(dirA, dirB);
    const b = await serve(['--data', dirB]);
    served.push(b);
    const hostLog: string[] = [];
    b.child.stderr?.on('data', (chunk: Buffer) => hostLog.push(chunk.toString()));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, b.url, 'Marie Wamytan — Chef de salle', '2468');

    // POSTE-A's backlog, written while it was off the network.
    const store = openStore({ dataDir: dirA, modules: moduleSchemas(), backup: false });
    try {
      for (let i = 0; i < BURST; i += 5000)
        store.appendAll(
          Array.from({ length: 5000 }, (_, k) => ({
            type: 'logbook.entry',
            payload: { text: `Inscription de la coupure n° ${i + k + 1}`, category: 'information' },
            author: 'Paul Néaoutyine',
          })),
        );
    } finally {
      store.close();
    }
    served.push(await serve(['--data', dirA]));

    const rows = () => page.getByTestId('entry-row').allTextContents();
    await expect
      .poll(async () => (await rows()).join('\n'), { timeout: 90_000, interval: 250 })
      .toContain(`Inscription de la coupure n° ${BURST}`);
    await expect
      .poll(() => page.getByTestId('status-network').getAttribute('title'), { timeout: 30_000 })
      .toMatch(/à envoyer : 0/);
    // Newest first, as a reload lists them.
    const listed = (await rows()).filter((t) => t.includes('Inscription de la coupure'));
    expect(listed[0]).toContain(`n° ${BURST}`);
    await screenshots(page, 'replication-burst');
    const log = hostLog.join('');
    expect(log).not.toContain('écran déconnecté');
    expect(log).not.toContain('plus aucun écran ne gère l’audio');
    expect(errors).toEqual([]);
  });
});
