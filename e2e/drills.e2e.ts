/**
 * A drill in the browser host, keyboard only (issue 12 item 5): a technicien opens Alt+E, starts an observed
 * drill after a confirmation, the technicians cut a watched host for real (a TCP listener on 127.0.0.1 that
 * the test closes), the banner and the EXERCICE marks show, the operator acknowledges, the host comes back,
 * the drill is ended and its PDF report downloads.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir } from '../electron/testing/data-dir.js';
import { launchChromium } from './support/chromium.js';
import { addUser } from './support/roster.js';
import { artifactsDir, screenshots, SIZES } from './support/screenshots.js';
import { serve, type Served } from './support/serve.js';

const listen = (port = 0): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
const close = (server: Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

describe('a degraded-mode drill on the screen', () => {
  let data: string;
  let served: Served;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let host: Server;
  let port = 0;

  beforeAll(async () => {
    data = mkdtempSync(join(tmpdir(), 'vigie-e2e-drills-'));
    host = await listen();
    const address = host.address();
    port = address !== null && typeof address !== 'string' ? address.port : 0;
    writeFileSync(
      join(data, 'vigie.json'),
      JSON.stringify({
        positionName: 'POSTE-2',
        health: {
          probeIntervalMs: 300,
          failuresBeforeFault: 1,
          minFreeDiskMiB: 1,
          hosts: [{ name: 'serveur central', host: '127.0.0.1', port }],
        },
      }),
    );
    addUser(data, 'Marc Technicien', 'technicien', '8642');
    served = await serve(['--data', data]);
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    await page.setViewportSize(SIZES[0]);
  });

  afterAll(async () => {
    await page?.close();
    await chromium?.close();
    await served?.stop();
    await close(host).catch(() => undefined);
    removeDataDir(data);
  });

  it('starts an observed drill by keyboard, marks its timeline, ends it and downloads the report', async () => {
    await page.goto(served.url);
    // The page's keys answer once it has its first status from the core: F8 before that would do nothing.
    await expect
      .poll(() => page.getByTestId('status-position').textContent(), { timeout: 15_000 })
      .toContain('POSTE-2');
    await page.keyboard.press('F8');
    await expect
      .poll(() => page.evaluate<string>("document.activeElement?.getAttribute('data-testid') ?? ''"))
      .toBe('signin-name');
    await expect.poll(() => page.getByTestId('signin-name').locator('option').count()).toBe(1);
    await page.keyboard.press('Tab');
    await page.keyboard.type('8642');
    await page.keyboard.press('Enter');
    await page.getByTestId('session-user').waitFor();

    await page.keyboard.press('Alt+KeyE');
    const dialog = page.getByTestId('drills');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    // Scenario list focused: « Perte de tout le réseau » is the last one; then the mode, « observé ».
    await page.keyboard.press('End');
    await page.keyboard.press('Tab');
    await page.keyboard.press('End');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await dialog.getByTestId('drills-confirm').waitFor();
    expect(await dialog.getByTestId('drills-confirm').textContent()).toContain('mode observé');
    await page.keyboard.press('Enter');
    await dialog.getByTestId('drills-running').waitFor();
    await expect.poll(() => page.getByTestId('drill-banner').textContent()).toContain('EXERCICE EN COURS');

    await close(host); // the technicians' real cut
    await expect
      .poll(() => dialog.locator('[data-mark="detect"]').getAttribute('data-reached'), { timeout: 15_000 })
      .toBe('true');
    await screenshots(page, 'drill-running');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Alt+KeyA');
    host = await listen(port);
    await expect.poll(() => page.getByTestId('health-banner').count(), { timeout: 15_000 }).toBe(0);

    await page.keyboard.press('Alt+KeyE');
    await expect
      .poll(() => dialog.locator('[data-mark="recovered"]').getAttribute('data-reached'), { timeout: 10_000 })
      .toBe('true');
    expect(await dialog.locator('[data-mark="ack"]').getAttribute('data-reached')).toBe('true');
    // The stop button has the focus; Enter asks, Enter confirms.
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await dialog.getByTestId('drills-report').waitFor();
    expect(await dialog.getByTestId('drills-report').textContent()).toContain('Intégrité conforme');
    expect(await page.getByTestId('drill-banner').count()).toBe(0);
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('drills-pdf').click()]);
    expect(download.suggestedFilename()).toMatch(/^vigie-exercice-\d{4}-\d{2}-\d{2}\.pdf$/);
    const pdf = join(artifactsDir, 'drill-report-e2e.pdf');
    mkdirSync(artifactsDir, { recursive: true });
    copyFileSync(await download.path(), pdf);
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('EXERCICE — Rapport d’exercice de mode dégradé');
    expect(text).toContain('CONFORME');
    await screenshots(page, 'drill-report');
  });
});
