/**
 * Issue 10 item 11 (and the handover of item 4), keyboard only, through the browser host in Chromium:
 * category and operation reset after a commit; an export that holds what the search found, downloaded by
 * the browser, with French role labels; an operation badge and « O » to rattacher an entry; closing an
 * operation (chef de salle only, summary, confirmation); closing the shift (preview, callbacks with their
 * times, confirmation) and writing without a shift said plainly. Screenshots in both themes at both sizes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir } from '../electron/testing/data-dir.js';
import { launchChromium } from './support/chromium.js';
import { addUser } from './support/roster.js';
import { artifactsDir, screenshots, SIZES } from './support/screenshots.js';
import { seedAbandonedCalls } from './support/seed.js';
import { serve, type Served } from './support/serve.js';

describe('main courante fixes in Chromium (issue 10, item 11)', () => {
  let data: string;
  let served: Served;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const errors: string[] = [];

  const focused = () =>
    page.evaluate<string>(
      "document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? 'none'",
    );
  const rows = () => page.getByTestId('entry-row');
  const press = async (...keys: string[]) => {
    for (const k of keys) await page.keyboard.press(k);
  };
  const write = async (text: string) => {
    await press('F8');
    await page.keyboard.type(text);
    await press('Control+Enter');
    await expect.poll(() => rows().first().textContent()).toContain(text);
  };
  const signIn = async (arrowDowns: number, pin: string, who: string) => {
    await page.getByTestId('logbook-signin').waitFor();
    // The roster arrives after the form: choose in it once it is there.
    await expect
      .poll(() => page.getByTestId('signin-name').locator('option').allTextContents(), { timeout: 15_000 })
      .toEqual(['Marie Wamytan — Chef de salle', 'Paul Néaoutyine — Opérateur']);
    await press('F8');
    for (let i = 0; i < arrowDowns; i++) await press('ArrowDown');
    await press('Tab');
    await page.keyboard.type(pin);
    await press('Enter');
    await expect.poll(() => page.getByTestId('session-user').textContent()).toContain(who);
  };
  const download = async (button: string, name: string): Promise<string> => {
    await page.getByTestId(button).focus();
    const event = page.waitForEvent('download', { timeout: 60_000 });
    await press('Enter');
    const file = join(data, name);
    await (await event).saveAs(file);
    return file;
  };

  beforeAll(async () => {
    data = mkdtempSync(join(tmpdir(), 'vigie-e2e-lbfix-'));
    addUser(data, 'Marie Wamytan', 'chef_de_salle', '2468');
    addUser(data, 'Paul Néaoutyine', 'operateur', '1357');
    // Two callers gave up 40 and 25 minutes ago: pending callbacks for the handover.
    const now = Date.now();
    seedAbandonedCalls(data, [
      { id: 'c-1', number: '+687 27 00 00', name: '+687 27 00 00', at: now - 40 * 60_000 },
      { id: 'c-2', number: '+687 78 12 34', name: 'Mairie de Thio', at: now - 25 * 60_000 },
    ]);
    served = await serve(['--data', data]);
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setViewportSize(SIZES[0]);
    await page.goto(served.url);
  });

  afterAll(async () => {
    await page?.close();
    await chromium?.close();
    await served?.stop();
    removeDataDir(data);
  });

  it('resets category and operation after each commit', async () => {
    await signIn(0, '2468', 'Marie Wamytan — Chef de salle');
    await page.getByTestId('shift-open').focus();
    await press('Enter', 'Enter');
    await expect.poll(() => page.getByTestId('shift-state').textContent()).toContain('Vacation ouverte');
    // An operation, created with the keyboard from the operations panel.
    await page.getByTestId('logbook-operations').locator('summary').focus();
    await press('Enter', 'Tab');
    await page.keyboard.type('Feu de brousse Boulouparis');
    await press('Enter');
    await expect
      .poll(() => rows().first().textContent())
      .toContain('Ouverture de l’opération « Feu de brousse Boulouparis »');
    await page.getByTestId('logbook-operations').locator('summary').focus();
    await press('Enter'); // fold the panel again

    await press('F8');
    await page.keyboard.type('Demande de renfort pour Thio');
    await press('Tab'); // category
    await page.keyboard.type('demande');
    await press('Tab', 'Tab', 'Tab', 'ArrowDown'); // important, fact time, operation: the first open one
    expect(await page.getByTestId('entry-category').inputValue()).toBe('demande');
    expect(await page.getByTestId('entry-operation').inputValue()).not.toBe('');
    await press('Control+Enter');
    await expect.poll(() => rows().first().textContent()).toContain('Demande de renfort pour Thio');
    const first = rows().first();
    expect(await first.textContent()).toContain('demande');
    expect(await first.getByTestId('entry-op-badge').textContent()).toContain('Feu de brousse Boulouparis');
    // Back to the defaults: the next entry does not silently inherit « demande » nor the operation.
    expect(await page.getByTestId('entry-category').inputValue()).toBe('information');
    expect(await page.getByTestId('entry-operation').inputValue()).toBe('');
    expect(await focused()).toBe('entry-text');
    await write('Route de Thio coupée au col');
    expect(await rows().first().locator('.lb-cat').textContent()).toBe('information');
    expect(await rows().first().getByTestId('entry-op-badge').count()).toBe(0);
    await write('Thio : point de situation à 10 h');
    await write('Météo : vent fort sur la côte Est');
    await screenshots(page, 'logbook-reset');
  });

  it('exports what the search found, downloaded by the browser, with French role labels', async () => {
    await press('F7');
    await page.keyboard.type('thio');
    await expect.poll(() => rows().count()).toBe(3);
    expect(Number(await page.getByTestId('entry-list').getAttribute('data-count'))).toBe(3);
    const csv = readFileSync(await download('export-csv', 'recherche.csv'), 'utf8');
    const lines = csv.split('\r\n').filter((l) => l !== '');
    expect(lines.length).toBe(1 + 3);
    expect(lines.slice(1).every((l) => /thio/i.test(l))).toBe(true);
    expect(csv).toContain(',Marie Wamytan,chef de salle,');
    expect(csv).not.toContain('chef_de_salle');
    await expect
      .poll(() => page.getByTestId('export-result').textContent())
      .toMatch(/Export terminé \(3 inscriptions\) : main-courante-.*\.csv/);
    // No path of the position's disk on the page.
    expect(await page.getByTestId('logbook-export').textContent()).not.toContain(data);

    const pdf = await download('export-pdf', 'recherche.pdf');
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('recherche « thio »');
    expect(text).toContain('Route de Thio coupée au col');
    expect(text).not.toContain('Météo : vent fort');
    mkdirSync(artifactsDir, { recursive: true });
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      '1',
      '-l',
      '1',
      pdf,
      join(artifactsDir, 'logbook-export-search'),
    ]);
    await screenshots(page, 'logbook-export');
    await page.getByTestId('search-query').focus();
    await press('Control+A', 'Backspace');
    await expect.poll(() => rows().count()).toBe(6);
  });

  it('lists one category or one author with no words typed, and exports that list', async () => {
    // Category and author are filters of the full-text index (logbook migration 7), words typed or not.
    await page.getByTestId('logbook-search').locator('summary').focus();
    await press('Enter', 'Tab');
    expect(await focused()).toBe('search-category');
    await page.keyboard.type('demande');
    await expect.poll(() => rows().count()).toBe(1);
    expect(await rows().first().textContent()).toContain('Demande de renfort pour Thio');
    const csv = readFileSync(await download('export-csv', 'categorie.csv'), 'utf8');
    const lines = csv.split('\r\n').filter((l) => l !== '');
    expect(lines.length).toBe(2);
    expect(lines[1]).toContain('Demande de renfort pour Thio');
    await screenshots(page, 'logbook-filter-category');
    await page.getByTestId('search-category').focus();
    await press('Home', 'Tab'); // « toutes », then the author
    await expect.poll(() => rows().count()).toBe(6);
    await page.keyboard.type('Paul Néaoutyine');
    await expect.poll(() => rows().count()).toBe(0);
    await press('Control+A');
    await page.keyboard.type('Marie Wamytan');
    await expect.poll(() => rows().count()).toBe(6);
    await press('Control+A', 'Backspace');
    await page.getByTestId('logbook-search').locator('summary').focus();
    await press('Enter'); // fold the filters again
  });

  it('rattache an existing entry to an operation with « O », as a new entry, and badges it', async () => {
    await press('Alt+KeyL', 'Home', 'ArrowDown', 'ArrowDown'); // « Route de Thio coupée au col »
    expect(await rows().nth(2).textContent()).toContain('Route de Thio coupée au col');
    await press('o');
    await page.getByTestId('link-operation').waitFor();
    expect(await focused()).toBe('link-operation-select');
    await screenshots(page, 'logbook-link-dialog');
    await press('Enter');
    await expect
      .poll(() => rows().first().textContent())
      .toContain('rattachée à l’opération « Feu de brousse Boulouparis »');
    const linked = page.locator('[data-testid="entry-row"]', { hasText: 'Route de Thio coupée au col' });
    expect(await linked.getByTestId('entry-op-badge').textContent()).toContain('Feu de brousse Boulouparis');
    await expect.poll(() => focused()).toBe('entry-list');
    // A second time: refused, and said.
    await press('Home', 'ArrowDown', 'ArrowDown', 'ArrowDown');
    await press('o');
    await expect.poll(() => page.getByTestId('link-operation-error').textContent()).toContain('déjà rattachée');
    await press('Escape');
    await expect.poll(() => page.getByTestId('link-operation').count()).toBe(0);
  });

  it('lets only the chef de salle close an operation, after its summary and a confirmation', async () => {
    await page.getByTestId('logbook-operations').locator('summary').focus();
    await press('Enter');
    await page.getByTestId('operation-close-open').focus();
    await press('Enter');
    await page.getByTestId('operation-close').waitFor();
    // The opening, the « demande » entry, the entry rattachée and the link entry.
    await expect.poll(() => page.getByTestId('operation-entries').textContent()).toBe('4');
    expect(await page.getByTestId('operation-calls').textContent()).toBe('0');
    expect(await page.getByTestId('operation-duration').textContent()).toMatch(/^0 h 0\d min$/);
    expect(await focused()).toBe('operation-bilan');
    await page.keyboard.type('Feu fixé, deux hectares.');
    await screenshots(page, 'logbook-operation-close');
    await press('Control+Enter');
    await expect
      .poll(() => rows().first().textContent())
      .toContain('Clôture de l’opération « Feu de brousse Boulouparis ». Bilan : Feu fixé');
    await expect.poll(() => page.getByTestId('operation-close').count()).toBe(0);

    // An operator sees no close button, only who may.
    await page.getByTestId('logbook-operations').locator('summary').focus();
    await press('Tab');
    await page.keyboard.type('Accident RT1 La Foa');
    await press('Enter');
    await expect.poll(() => page.getByTestId('operation-close-open').count()).toBe(1);
    await page.getByRole('button', { name: 'Se déconnecter' }).focus();
    await press('Enter');
    await signIn(1, '1357', 'Paul Néaoutyine — Opérateur');
    await page.getByTestId('logbook-operations').locator('summary').focus();
    await press('Enter');
    expect(await page.getByTestId('operation-close-open').count()).toBe(0);
    expect(await page.getByTestId('logbook-operations').textContent()).toContain('clôture : chef de salle');
    await page.getByTestId('logbook-operations').locator('summary').focus();
    await press('Enter');
    await page.getByRole('button', { name: 'Se déconnecter' }).focus();
    await press('Enter');
    await signIn(0, '2468', 'Marie Wamytan — Chef de salle');
  });

  it('closes the shift after a preview of the handover; callbacks with their times; no shift said plainly', async () => {
    await page.getByTestId('shift-close').focus();
    await press('Enter');
    await page.getByTestId('shift-close-dialog').waitFor();
    await expect.poll(() => page.getByTestId('handover-callback').count()).toBe(2);
    expect(await focused()).toBe('shift-consignes');
    const items = await page.getByTestId('handover-callback').allTextContents();
    expect(items[0]).toMatch(
      /Pompiers 18 \+687 27 00 00 abandonné le \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d \(il y a 0 h 4\d min\)/,
    );
    expect(items[0]?.split('+687 27 00 00').length).toBe(2); // the number once
    expect(items[1]).toContain('Pompiers 18 — Mairie de Thio +687 78 12 34');
    expect(await page.getByTestId('shift-close-dialog').textContent()).toContain('Accident RT1 La Foa');
    await page.keyboard.type('Rappeler la mairie de Thio.');
    await screenshots(page, 'logbook-shift-close');
    await press('Control+Enter');
    await expect.poll(() => page.getByTestId('shift-state').textContent()).toContain('Aucune vacation ouverte');
    await expect.poll(() => rows().first().textContent()).toContain('Relève — fin de vacation.');
    expect(await rows().first().textContent()).not.toContain('+687 27 00 00 — Pompiers 18 — +687 27 00 00');
    await expect.poll(() => focused()).toBe('entry-text');

    // Writing now: the box says there is no shift, and the saved line says « hors vacation ».
    expect(await page.getByTestId('entry-no-shift').textContent()).toContain('Aucune vacation ouverte');
    await write('Inscription entre deux vacations');
    // The row shows when the core announces the entry; the state line when the commit answers, maybe after.
    await expect.poll(() => page.getByTestId('entry-state').textContent()).toMatch(/inscrite n° \d+, hors vacation/);
    await screenshots(page, 'logbook-no-shift');

    // The incoming team reads the handover: callbacks as items to act on.
    await page.getByTestId('shift-open').focus();
    await press('Enter', 'Enter');
    await page.getByTestId('last-handover').waitFor();
    await expect.poll(() => page.getByTestId('handover-callback').count()).toBe(2);
    expect(await page.getByTestId('handover-consignes').textContent()).toBe('Rappeler la mairie de Thio.');
    await page.getByTestId('handover-callback').first().focus();
    await screenshots(page, 'logbook-last-handover');
    await press('Enter');
    // No telephony on this position: the call back is tried and its refusal said, not silently dropped.
    await expect.poll(() => page.getByTestId('handover-callback-error').count()).toBe(1);
    expect(await page.getByTestId('entry-no-shift').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('keeps what is typed while the previous entry is being saved, and commits it too', async () => {
    // Two entries back to back, no wait between: the second is typed (and Ctrl+Entrée pressed) while the
    // first may still be on its way; neither text is cut nor merged with the other.
    await press('F8');
    await page.keyboard.type('Houle de 3 m à Lifou');
    await press('Control+Enter');
    await page.keyboard.type('Liaison rétablie avec Ouvéa');
    await press('Control+Enter');
    await expect.poll(() => rows().nth(0).locator('.lb-text').textContent()).toBe('Liaison rétablie avec Ouvéa');
    expect(await rows().nth(1).locator('.lb-text').textContent()).toBe('Houle de 3 m à Lifou');
    await expect.poll(() => page.getByTestId('entry-text').inputValue()).toBe('');
    expect(errors).toEqual([]);
  });
});
