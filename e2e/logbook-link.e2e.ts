/**
 * Issue 10 item 12, the main courante's part: with the link to the core lost, an entry being committed
 * shows pending, then failed — never nothing — and keeps its text; when the host comes back with a new
 * token (one per launch), the page says how to reconnect, and the new address works.
 */
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir } from '../electron/testing/data-dir.js';
import { launchChromium } from './support/chromium.js';
import { addUser } from './support/roster.js';
import { screenshots, SIZES } from './support/screenshots.js';
import { serve, type Served } from './support/serve.js';

/** A free loopback port, so that the host can come back on the same address. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

describe('main courante when the link to the core is lost (issue 10, item 12)', () => {
  let data: string;
  let port: number;
  let served: Served;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;

  const press = async (...keys: string[]) => {
    for (const k of keys) await page.keyboard.press(k);
  };
  const signIn = async () => {
    await expect
      .poll(() => page.getByTestId('signin-name').locator('option').allTextContents(), { timeout: 15_000 })
      .toEqual(['Marie Wamytan — Chef de salle']);
    await press('F8', 'Tab');
    await page.keyboard.type('2468');
    await press('Enter');
    await expect.poll(() => page.getByTestId('session-user').textContent()).toContain('Marie Wamytan');
  };

  beforeAll(async () => {
    data = mkdtempSync(join(tmpdir(), 'vigie-e2e-lblink-'));
    addUser(data, 'Marie Wamytan', 'chef_de_salle', '2468');
    port = await freePort();
    served = await serve(['--data', data, '--port', String(port)]);
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    await page.setViewportSize(SIZES[0]);
  });

  afterAll(async () => {
    await page?.close();
    await chromium?.close();
    await served?.stop();
    removeDataDir(data);
  });

  it('shows pending then failed for an entry committed without the link, and keeps its text', async () => {
    await page.goto(served.url);
    await signIn();
    await press('F8');
    await page.keyboard.type('Avant la coupure');
    await press('Control+Enter');
    await expect.poll(() => page.getByTestId('entry-state').textContent()).toMatch(/✓ inscrite n° \d+/);

    await served.stop();
    await expect
      .poll(() => page.getByTestId('status-link').textContent(), { timeout: 15_000 })
      .toContain('LIAISON AVEC LE POSTE PERDUE');
    await press('F8');
    await page.keyboard.type('Pendant la coupure');
    await press('Control+Enter');
    // Pending at once (the request waits a moment for the link), then failed, said in words.
    await expect.poll(() => page.getByTestId('entry-state').textContent()).toBe('Inscription en cours…');
    await expect
      .poll(() => page.getByTestId('entry-state').textContent(), { timeout: 10_000 })
      .toContain('✗ non inscrite');
    expect(await page.getByTestId('entry-error').textContent()).toContain('rien n’a été envoyé');
    expect(await page.getByTestId('entry-text').inputValue()).toBe('Pendant la coupure');
    await screenshots(page, 'logbook-link-failed');
  });

  it('says how to reconnect once the host is back with a new token, and the new address works', async () => {
    served = await serve(['--data', data, '--port', String(port)]);
    await expect
      .poll(() => page.getByTestId('status-link').textContent(), { timeout: 20_000 })
      .toContain('LE POSTE A REDÉMARRÉ');
    expect(await page.getByTestId('status-link').textContent()).toContain('« vigie serve »');
    await screenshots(page, 'logbook-link-restarted');
    // The address printed by the new launch: the console comes back, and the draft is still there.
    // Same page, same port: only the fragment (the token) differs, and the page starts again with it.
    await page.goto(served.url);
    // The session was kept by the core across its restart (it is in the log): straight to the entry box.
    await expect
      .poll(() => page.getByTestId('session-user').textContent(), { timeout: 15_000 })
      .toContain('Marie Wamytan');
    expect(await page.getByTestId('status-link').count()).toBe(0);
    expect(await page.getByTestId('entry-text').inputValue()).toBe('Pendant la coupure');
    await press('F8', 'Control+Enter');
    await expect.poll(() => page.getByTestId('entry-row').first().textContent()).toContain('Pendant la coupure');
  });
});
