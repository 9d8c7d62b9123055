import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir } from '../electron/testing/data-dir.js';
import { launchChromium } from './support/chromium.js';
import { addUser } from './support/roster.js';
import { artifactsDir } from './support/screenshots.js';
import { serve, type Served } from './support/serve.js';

/**
 * The main courante through the browser host, keyboard only: sign in from the roster, open the shift,
 * write three entries, correct one, search, close the shift with a handover, export a PDF checked with
 * pdftotext.
 */
describe('main courante in Chromium', () => {
  let data: string;
  let served: Served;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;

  beforeAll(async () => {
    data = mkdtempSync(join(tmpdir(), 'vigie-e2e-logbook-'));
    mkdirSync(artifactsDir, { recursive: true });
    addUser(data, 'Paul Néaoutyine', 'operateur', '1357');
    addUser(data, 'Marie Wamytan', 'chef_de_salle', '2468');
    served = await serve(['--data', data]);
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  afterAll(async () => {
    await page?.close();
    await chromium?.close();
    await served?.stop();
    removeDataDir(data);
  });

  const rows = () => page.getByTestId('entry-row');
  // A string expression: it runs in the page (DOM), this file is type-checked for Node.
  const focused = () => page.evaluate<string | null>("document.activeElement?.getAttribute('data-testid') ?? null");

  it('signs in from the roster with the keyboard: no free name, a wrong PIN refused, then opens the shift', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(served.url);
    await page.getByTestId('logbook-signin').waitFor();
    await page.keyboard.press('F8');
    expect(await focused()).toBe('signin-name');
    // A list box of the roster, not a text field: the names come from `vigie users add`.
    expect(await page.getByTestId('signin-name').evaluate((el) => el.tagName)).toBe('SELECT');
    await expect
      .poll(() => page.getByTestId('signin-name').locator('option').allTextContents())
      .toEqual(['Marie Wamytan — Chef de salle', 'Paul Néaoutyine — Opérateur']);
    await page.keyboard.press('ArrowDown'); // Marie → Paul
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('signin-pin');
    await page.keyboard.type('0000');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Code PIN incorrect');
    await page.screenshot({ path: join(artifactsDir, 'logbook-signin-refused-1366x768-dark.png') });
    await page.getByTestId('signin-name').focus();
    await page.keyboard.press('ArrowUp'); // Paul → Marie
    await page.keyboard.press('Tab');
    await page.keyboard.type('2468');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('session-user').textContent()).toContain('Marie Wamytan — Chef de salle');
    // The chef de salle keeps the roster: a look-alike name is refused.
    await page.getByTestId('roster-open').click();
    await page.getByTestId('roster-name').fill('Marie Wamytan.');
    await page.getByTestId('roster-pin').fill('1111');
    await page.getByTestId('roster-add').click();
    await expect.poll(() => page.getByTestId('roster').getByRole('alert').textContent()).toContain('se lit comme');
    await page.screenshot({ path: join(artifactsDir, 'logbook-roster-refused-1366x768-dark.png') });
    await page.getByTestId('shift-open').focus();
    await page.keyboard.press('Enter');
    expect(await focused()).toBe('shift-team');
    await page.keyboard.type(', Paul Néaoutyine');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('shift-state').textContent())
      .toContain('Vacation ouverte par Marie Wamytan');
    expect(errors).toEqual([]);
  });

  it('writes three entries with F8 and Ctrl+Enter; each appears once committed, numbered', async () => {
    const before = await rows().count();
    for (const text of [
      'Départ du VSAV de Koné vers Pouembout',
      'Appel du maire de Thio : route coupée',
      'Point de situation : 3 moyens engagés',
    ]) {
      await page.keyboard.press('F8');
      expect(await focused()).toBe('entry-text');
      await page.keyboard.type(text);
      await page.keyboard.press('Control+Enter');
      await expect.poll(() => page.getByTestId('entry-text').inputValue()).toBe('');
      await expect.poll(() => rows().first().textContent()).toContain(text);
    }
    expect(await rows().count()).toBe(before + 3);
    // Newest first: the three entries follow the shift opening (n° 1).
    expect(await rows().nth(0).getAttribute('data-number')).toBe('4');
    expect(await rows().nth(2).getAttribute('data-number')).toBe('2');
  });

  it('corrects an entry from the list with R; the original shows as corrected', async () => {
    await page.getByTestId('entry-list').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown'); // the "Appel du maire" entry (n° 3)
    // Meanwhile another screen of the position writes: the new entry goes on top, the selection stays on n° 3.
    const other = await chromium.context.newPage();
    await other.goto(served.url);
    await other.getByTestId('entry-text').waitFor();
    await other.getByTestId('entry-text').fill('Point de situation du CODIS');
    await other.keyboard.press('Control+Enter');
    await expect.poll(() => rows().first().textContent()).toContain('Point de situation du CODIS');
    await other.close();
    await page.getByTestId('entry-list').focus();
    await page.keyboard.press('r');
    expect(await focused()).toBe('entry-text');
    expect(await page.getByTestId('entry-text').inputValue()).toBe('Appel du maire de Thio : route coupée');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Appel du maire de Thio : route de Petit-Borindi coupée');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => rows().first().textContent()).toContain('Petit-Borindi');
    expect(await rows().first().textContent()).toContain('rectifie 2026');
    const original = page.locator('[data-testid="entry-row"][data-number="3"]');
    await expect.poll(() => original.getByTestId('entry-corrected').textContent()).toContain('n° 6');
  });

  it('searches without accents', async () => {
    await page.keyboard.press('F7');
    expect(await focused()).toBe('search-query');
    await page.keyboard.type('depart kone');
    await expect.poll(() => rows().count()).toBe(1);
    expect(await rows().first().textContent()).toContain('Départ du VSAV de Koné');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await expect.poll(() => rows().count()).toBe(6);
  });

  it('closes the shift with a handover note, then exports a PDF that holds every entry', async () => {
    await page.getByTestId('shift-close').focus();
    await page.keyboard.press('Enter');
    // A dialog with the handover's preview first (renderer/src/logbook/CloseShift.tsx), then the consignes.
    await expect.poll(() => focused()).toBe('shift-consignes');
    await page.keyboard.type('Rappeler la mairie de Thio à 6 h.');
    await page.getByTestId('shift-close-dialog-confirm').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('shift-state').textContent()).toContain('Aucune vacation ouverte');
    await expect.poll(() => rows().first().textContent()).toContain('Relève');
    expect(await rows().first().textContent()).toContain('Rappeler la mairie de Thio');

    await page.getByTestId('export-pdf').focus();
    // The browser downloads the file (electron/host/download.ts): no path of the server on the page.
    const downloading = page.waitForEvent('download', { timeout: 60_000 });
    await page.keyboard.press('Enter');
    const file = join(data, 'downloaded.pdf');
    await (await downloading).saveAs(file);
    await page.getByTestId('export-result').waitFor({ timeout: 60_000 });
    expect(existsSync(file)).toBe(true);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    for (const n of [1, 2, 3, 4, 5, 6]) expect(text).toMatch(new RegExp(`n° ${n}\\s`));
    expect(text).toContain('page 1 / 1');
    expect(text).toContain('Petit-Borindi');
    expect(text).toContain('RECTIFIÉE');
    expect(text).toContain('SHA-256 du dernier événement couvert :');
    expect(text).toMatch(/^\s*[0-9a-f]{64}\s*$/m);
  });
});
