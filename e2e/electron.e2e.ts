import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { removeDataDir } from '../electron/testing/data-dir.js';
import { hasDisplay, installedElectron } from './support/electron.js';
import { assertBuilt, repoRoot } from './support/paths.js';

// The Electron binary cannot be downloaded on this kind of machine: without it, say why this file is
// skipped and where the same console is tested instead.
const binary = installedElectron();
const skipReason =
  binary === null
    ? 'Electron binary absent (node_modules/electron/dist; npm start tries to fetch it)'
    : hasDisplay()
      ? null
      : 'no display (neither DISPLAY nor WAYLAND_DISPLAY) for an Electron window';
if (skipReason !== null) {
  console.log(
    `skipped: ${skipReason} — the shell’s security settings are covered by electron/main/security.test.ts, ` +
      'the console itself by browser-host.e2e.ts',
  );
}

describe.skipIf(skipReason !== null)('Electron shell', () => {
  it('opens one sandboxed window that shows the core’s status through IPC', async () => {
    assertBuilt();
    const data = mkdtempSync(join(tmpdir(), 'vigie-electron-'));
    const app = await electron.launch({
      executablePath: binary ?? undefined,
      args: [repoRoot, '--data', data],
    });
    try {
      const page = await app.firstWindow();
      await expect.poll(() => page.getByTestId('status-position').textContent()).toContain('POSTE');
      // No Node in the page, only the two bridge functions.
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => Object.keys((globalThis as { vigie?: object }).vigie ?? {}).sort())).toEqual([
        'onEvent',
        'request',
      ]);
      expect(page.url()).toMatch(/^app:\/\/vigie\//);
      // `--data DIR` (what `npm start -- --data DIR` passes) chose the database, not the user's own.
      expect(existsSync(join(data, 'vigie.db'))).toBe(true);
    } finally {
      await app.close();
      removeDataDir(data);
    }
  });
});
