import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir } from '../electron/testing/data-dir.js';
import { launchChromium } from './support/chromium.js';
import { repoRoot } from './support/paths.js';
import { serve, type Served } from './support/serve.js';

// Degraded mode in the browser host: a watched host on 127.0.0.1 whose port nobody listens on, so the
// health module is DEGRADED from its first probe. The operator sees the banner, records a call taken on
// a backup phone with the keyboard only, and acknowledges the banner.
const artifacts = join(repoRoot, 'test-results', 'health');

/** A loopback port that was free a moment ago: bound, read, released. */
const closedPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address !== null && typeof address !== 'string' ? resolve(address.port) : reject()));
    });
  });

describe('degraded mode in Chromium', () => {
  let data: string;
  let served: Served;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    data = mkdtempSync(join(tmpdir(), 'vigie-e2e-health-'));
    const port = await closedPort();
    writeFileSync(
      join(data, 'vigie.json'),
      JSON.stringify({
        positionName: 'POSTE-2',
        health: {
          probeIntervalMs: 500,
          failuresBeforeFault: 1,
          minFreeDiskMiB: 1,
          hosts: [{ name: 'serveur central', host: '127.0.0.1', port }],
        },
      }),
    );
    served = await serve(['--data', data]);
    chromium = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  });

  afterAll(async () => {
    await chromium?.close();
    await served?.stop();
    removeDataDir(data);
  });

  it('shows the banner, records a manual call by keyboard, and keeps a line once acknowledged', async () => {
    const page = await chromium.context.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(served.url);

    const banner = page.getByTestId('health-banner');
    await expect.poll(() => banner.textContent(), { timeout: 15_000 }).toContain('MODE DÉGRADÉ');
    expect(await banner.getAttribute('role')).toBe('alert');
    const text = (await banner.textContent()) ?? '';
    expect(text).toMatch(/serveur central \(127\.0\.0\.1:\d+\) — hors service depuis \d{2}:\d{2}:\d{2}/);
    expect(text).toContain('Fonctionnent encore');
    expect(text).toContain('0 appel manuel');
    await expect.poll(() => page.getByTestId('status-network').textContent()).toContain('HORS LIGNE');
    await page.screenshot({ path: join(artifacts, 'banner-1366x768.png') });

    // Keyboard only: Alt+M opens the form with the time field focused and filled with the current time.
    await page.keyboard.press('Alt+KeyM');
    const form = page.getByTestId('manual-call-form');
    await form.waitFor();
    expect(await page.locator(':focus').getAttribute('name')).toBe('time');
    expect(await page.locator(':focus').inputValue()).toMatch(/^\d{2}:\d{2}$/);
    // Enter on an incomplete form: refused in French, nothing recorded, the form stays.
    await page.keyboard.press('Enter');
    await expect.poll(() => form.getByRole('alert').textContent()).toContain('Indiquez la ligne');
    await page.keyboard.press('Tab');
    await page.keyboard.type('18');
    await page.keyboard.press('Tab');
    await page.keyboard.type('+687 27 12 34');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Feu de brousse à Boulouparis');
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').getAttribute('name')).toBe('means');
    await page.keyboard.press('ArrowDown'); // GSM → Satellite
    await page.keyboard.press('Tab');
    await page.keyboard.type('Appel reçu sur le téléphone satellite');
    await page.screenshot({ path: join(artifacts, 'manual-call-1366x768.png') });
    await page.keyboard.press('Control+Enter');

    await expect
      .poll(() => page.getByTestId('health-notice').textContent())
      .toMatch(/Appel manuel enregistré : ligne 18/);
    expect(await form.count()).toBe(0);
    await expect.poll(() => banner.textContent()).toContain('1 appel manuel');

    // Alt+A acknowledges: the banner becomes one line that stays for the outage.
    await page.keyboard.press('Alt+a');
    await expect.poll(() => banner.textContent()).toMatch(/acquitté par POSTE-2 à \d{2}:\d{2}:\d{2}/);
    expect(await banner.getAttribute('role')).toBe('status');
    await page.screenshot({ path: join(artifacts, 'acknowledged-1366x768.png') });
    expect(errors).toEqual([]);
    await page.close();

    // What the core recorded, through its own API from a second page: the call flagged manual, satellite.
    const check = await chromium.context.newPage();
    await check.goto(served.url);
    await check.getByTestId('health-banner').waitFor();
    expect(await check.getByTestId('health-banner').textContent()).toContain('acquitté par POSTE-2');
    await check.close();
    const db = new Database(join(data, 'vigie.db'), { readonly: true });
    try {
      expect(
        db.prepare('SELECT line, caller_number, nature, notes, means, author FROM health_manual_calls').all(),
      ).toEqual([
        {
          line: '18',
          caller_number: '+687 27 12 34',
          nature: 'Feu de brousse à Boulouparis',
          notes: 'Appel reçu sur le téléphone satellite',
          means: 'satellite',
          author: 'POSTE-2',
        },
      ]);
    } finally {
      db.close();
    }
  });
});
