/**
 * The SIP child's entry for tests run from TypeScript sources (vitest): there is no compiled
 * process-main.js to fork, so it is bundled once per test process with esbuild (node_modules packages
 * stay external and resolve from the repository). A build (`npm run build`) has its own in dist/.
 */
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
let built: Promise<string> | undefined;

export const sipChildEntry = (): Promise<string> => {
  built ??= (async () => {
    const outfile = join(repoRoot, 'dist', 'testing', `sip-child-${process.pid}.mjs`);
    mkdirSync(dirname(outfile), { recursive: true });
    await build({
      entryPoints: [join(repoRoot, 'electron', 'core', 'telephony', 'sip', 'process-main.ts')],
      outfile,
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'warning',
    });
    return outfile;
  })();
  return built;
};
