/**
 * Issue 10 item 12, first part: when the page loses its link to the core, no tile stays green; every one
 * turns grey and says « inconnu », and the page says the link is lost.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir } from '../electron/testing/data-dir.js';
import { launchChromium } from './support/chromium.js';
import { screenshots } from './support/screenshots.js';
import { serve, type Served } from './support/serve.js';

describe('status tiles when the link to the core is lost', () => {
  let data: string;
  let served: Served;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    data = mkdtempSync(join(tmpdir(), 'vigie-e2e-link-'));
    served = await serve(['--data', data]);
    chromium = await launchChromium();
  });

  afterAll(async () => {
    await chromium?.close();
    await served?.stop();
    removeDataDir(data);
  });

  it('greys every tile with « inconnu » once the host is gone', async () => {
    const page = await chromium.context.newPage();
    await page.goto(served.url);
    const tiles = ['telephony', 'network', 'database', 'position'].map((id) => page.getByTestId(`status-${id}`));
    await expect.poll(() => page.getByTestId('status-database').textContent()).toContain('OK');
    for (const tile of tiles) expect(await tile.getAttribute('class')).not.toContain('status-unknown');

    await served.stop();
    await expect
      .poll(() => page.getByTestId('status-link').textContent(), { timeout: 15_000 })
      .toMatch(/PERDUE|Connexion/);
    for (const tile of tiles) {
      expect(await tile.getAttribute('class')).toContain('status-unknown');
      expect(await tile.textContent()).toContain('inconnu');
    }
    await screenshots(page, 'link-lost');
    await page.close();
  });
});
