import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { assertBuilt, repoRoot } from './support/paths.js';

/** The Electron binary cannot be downloaded on this kind of machine (DESIGN.md): find it or say why not. */
const electronBinary = (): string | null => {
  try {
    const path: unknown = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
};

const binary = electronBinary();
if (binary === null) console.log('skipped: Electron binary not available');

describe.skipIf(binary === null)('Electron shell', () => {
  it('opens one sandboxed window that shows the core’s status through IPC', async () => {
    assertBuilt();
    const data = mkdtempSync(join(tmpdir(), 'vigie-electron-'));
    const app = await electron.launch({
      executablePath: binary ?? undefined,
      args: [repoRoot],
      env: { ...process.env, VIGIE_DATA_DIR: data },
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
    } finally {
      await app.close();
      rmSync(data, { recursive: true, force: true });
    }
  });
});
