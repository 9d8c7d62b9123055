import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The per-user data directory, the same one the desktop app uses: Electron's `userData` is
 * `<appData>/Vigie` (appData = %APPDATA%, ~/Library/Application Support, or $XDG_CONFIG_HOME ~/.config),
 * and the database lives in its `data` subfolder, away from Chromium's own files.
 */
export const defaultDataDir = (): string => {
  const appData =
    process.platform === 'win32'
      ? (process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'))
      : process.platform === 'darwin'
        ? join(homedir(), 'Library', 'Application Support')
        : (process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'));
  return join(appData, 'Vigie', 'data');
};

/** Repository (or packaged app) root: the nearest folder with a package.json, from sources or dist/. */
export const appRoot = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json introuvable');
    dir = parent;
  }
  return dir;
};

export const resourcesDir = (): string => join(appRoot(), 'resources');
