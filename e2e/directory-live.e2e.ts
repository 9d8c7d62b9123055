/**
 * The operational directory while the room changes it: the search runs again when any screen or position
 * saves an entry (directory/index.ts), and the list can move under the operator's choice. The target chosen
 * with the arrows must stay the one highlighted, so that Enter calls — or transfers to — what the operator
 * chose, not the entry that slid into its place.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir } from '../electron/testing/data-dir.js';
import { signIn } from './support/central.js';
import { launchChromium } from './support/chromium.js';
import { addUser } from './support/roster.js';
import { serve, type Served } from './support/serve.js';

describe('the directory dialog while another screen changes the directory', () => {
  let data: string;
  let served: Served;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;

  const importCsv = async (p: Page, name: string, lines: string): Promise<void> => {
    const file = join(data, name);
    writeFileSync(file, `nom;service;numero;touche;notes\n${lines}`);
    await p.getByTestId('directory-file').setInputFiles(file);
    await expect.poll(() => p.getByTestId('directory-notice').textContent()).toMatch(/entrée\(s\) créée\(s\)/);
  };
  const chosen = () => page.locator('[data-testid="directory-entry"][aria-selected="true"]').textContent();

  beforeAll(async () => {
    data = mkdtempSync(join(tmpdir(), 'vigie-e2e-dirlive-'));
    addUser(data, 'Marie Wamytan', 'chef_de_salle', '2468');
    served = await serve(['--data', data]);
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  afterAll(async () => {
    await chromium?.close();
    await served?.stop();
    removeDataDir(data);
  });

  it('keeps the target chosen with the arrows when an entry that sorts before it is added elsewhere', async () => {
    await signIn(page, served.url, 'Marie Wamytan — Chef de salle', '2468');
    await page.keyboard.press('Alt+KeyP');
    await importCsv(page, 'annuaire.csv', 'Astreinte labo;autre;1107;;\nPermanence labo;autre;1106;;\n');
    await page.getByTestId('directory-search').focus();
    await page.keyboard.type('labo');
    await expect
      .poll(() => page.getByTestId('directory-entry').allTextContents())
      .toEqual([expect.stringContaining('Astreinte labo'), expect.stringContaining('Permanence labo')]);
    await page.keyboard.press('ArrowDown');
    expect(await chosen()).toContain('Permanence labo');

    // Another screen of the room adds « Accueil labo », which sorts first.
    const other = await chromium.context.newPage();
    await other.goto(served.url);
    await other.getByTestId('session-user').waitFor();
    await expect.poll(() => other.getByTestId('status-network').textContent()).not.toContain('inconnu');
    await other.keyboard.press('Alt+KeyP');
    await importCsv(other, 'ajout.csv', 'Accueil labo;autre;1108;;\n');
    await other.close();

    await expect.poll(() => page.getByTestId('directory-entry').count()).toBe(3);
    expect(await page.getByTestId('directory-entry').first().textContent()).toContain('Accueil labo');
    expect(await chosen()).toContain('Permanence labo');
    // The arrows go on from the choice, not from its old place.
    await page.keyboard.press('ArrowUp');
    expect(await chosen()).toContain('Astreinte labo');
    await page.keyboard.press('Escape');
  });
});
