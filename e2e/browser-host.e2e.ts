import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir } from '../electron/testing/data-dir.js';
import { launchChromium } from './support/chromium.js';
import { cliPath } from './support/paths.js';
import { serve, type Served } from './support/serve.js';

describe('browser host in Chromium', () => {
  let data: string;
  let served: Served;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    data = mkdtempSync(join(tmpdir(), 'vigie-e2e-'));
    served = await serve(['--data', data]);
    chromium = await launchChromium();
  });

  afterAll(async () => {
    await chromium?.close();
    await served?.stop();
    removeDataDir(data);
  });

  it('prints a loopback URL that carries a token', () => {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{40,}$/);
  });

  it('shows the core’s real status in the status bar', async () => {
    // What the core says, asked through the CLI on the same data directory.
    const cli = spawnSync(process.execPath, [cliPath, 'status', '--data', data, '--json'], { encoding: 'utf8' });
    expect(cli.status).toBe(0);
    const status = JSON.parse(cli.stdout) as { positionName: string; version: string; database: { events: number } };

    const page = await chromium.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(served.url);
    await expect.poll(() => page.getByTestId('status-position').textContent()).toContain(status.positionName);
    await expect.poll(() => page.getByTestId('status-database').textContent()).toContain('OK');
    expect(await page.getByTestId('status-clock').getAttribute('title')).toBe(status.version);
    expect(await page.getByTestId('status-telephony').textContent()).toContain('Téléphonie');
    // The Nouméa clock ticks: hh:mm:ss present.
    expect(await page.getByTestId('status-clock').textContent()).toMatch(/\d{2}:\d{2}:\d{2}/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('moves focus between areas with function keys, without the mouse', async () => {
    const page = await chromium.context.newPage();
    await page.goto(served.url);
    await page.getByTestId('status-position').waitFor();
    await page.keyboard.press('F4');
    expect(await page.locator(':focus').getAttribute('data-testid')).toBe('area-logbook');
    await page.keyboard.press('F2');
    expect(await page.locator(':focus').getAttribute('data-testid')).toBe('area-queue');
    await page.close();
  });

  it('refuses the page’s API without the token', async () => {
    const page = await chromium.context.newPage();
    await page.goto(served.url.replace(/#.*$/, ''));
    // Refused by the host (no token of this launch): the page says how to get back in, as after a restart.
    await expect.poll(() => page.getByTestId('status-link').textContent()).toMatch(/REDÉMARRÉ|PERDUE|Connexion/);
    expect(await page.getByTestId('status-position').textContent()).not.toContain('POSTE');
    await page.close();
  });
});
