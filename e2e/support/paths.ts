import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cliPath = join(repoRoot, 'dist', 'electron', 'cli', 'main.js');

/** The e2e and process-level tests run the built output, like a user does: build first. */
export const assertBuilt = (): void => {
  if (!existsSync(cliPath) || !existsSync(join(repoRoot, 'dist', 'renderer', 'index.html'))) {
    throw new Error('dist/ absent : lancez « npm run build » avant les tests e2e (scripts/test.sh le fait).');
  }
};
