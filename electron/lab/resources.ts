import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** resources/lab of the repository (or packaged app), found from sources or from dist/. */
export const labResourcesDir = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json introuvable : impossible de trouver resources/lab');
    dir = parent;
  }
  return join(dir, 'resources', 'lab');
};
