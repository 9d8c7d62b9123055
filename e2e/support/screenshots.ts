import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from './paths.js';

/** Where the e2e tests leave their screenshots for a person to look at (a CI artifact). */
export const artifactsDir = join(repoRoot, 'dist', 'test-artifacts');

export const SIZES = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;

/**
 * Screenshots of the page at both sizes and in both themes (Alt+T toggles it, and the page remembers it),
 * named `<name>-<width>x<height>-<theme>.png`; returns the paths. The page is left at its first size and
 * in the theme it had.
 */
export const screenshots = async (page: Page, name: string): Promise<string[]> => {
  mkdirSync(artifactsDir, { recursive: true });
  const paths: string[] = [];
  const themeOf = () => page.evaluate<string>("document.documentElement.dataset.theme ?? 'dark'");
  const start = await themeOf();
  for (let round = 0; round < 2; round++) {
    const theme = await themeOf();
    for (const size of SIZES) {
      await page.setViewportSize(size);
      const path = join(artifactsDir, `${name}-${size.width}x${size.height}-${theme}.png`);
      await page.screenshot({ path });
      paths.push(path);
    }
    await page.keyboard.press('Alt+KeyT');
  }
  if ((await themeOf()) !== start) throw new Error(`thème non rétabli après les captures (${start})`);
  await page.setViewportSize(SIZES[0]);
  return paths;
};
