// The sandboxed preload cannot require local files: bundle it into one CommonJS file.
import { build } from 'esbuild';

await build({
  entryPoints: ['electron/main/preload.ts'],
  outfile: 'dist/electron/main/preload.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['electron'],
  sourcemap: true,
  logLevel: 'warning',
});
