import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * In the packaged app the code sits in app.asar; the lab files are unpacked beside it (electron-builder.yml
 * asarUnpack), because SIPp and Kamailio, not Electron, open them.
 */
export const outsideAsar = (dir: string): string => dir.replace(/([\\/])app\.asar$/, '$1app.asar.unpacked');

/** resources/lab of the repository (or packaged app), found from sources or from dist/. */
export const labResourcesDir = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json introuvable : impossible de trouver resources/lab');
    dir = parent;
  }
  return join(outsideAsar(dir), 'resources', 'lab');
};
