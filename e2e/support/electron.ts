import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The installed Electron executable, or null. Looked up the way electron's index.js does (path.txt names
 * the executable under dist/) without requiring the package: from Electron 42 on, `require('electron')`
 * downloads a missing binary synchronously, with no time limit, which would hang a test run offline.
 */
export const installedElectron = (): string | null => {
  try {
    const packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const relative = readFileSync(join(packageDir, 'path.txt'), 'utf8').trim();
    const binary = join(packageDir, 'dist', relative);
    return relative !== '' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
};

/** Linux without X11 or Wayland cannot open a window (CI): scripts/start.mjs serves the browser host there. */
export const hasDisplay = (): boolean =>
  process.platform !== 'linux' || Boolean(process.env.DISPLAY) || Boolean(process.env.WAYLAND_DISPLAY);
