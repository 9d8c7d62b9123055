import { defineConfig } from 'vitest/config';

// End-to-end tests: the built browser host driven in Debian's Chromium through playwright-core,
// and the Electron shell where its binary exists. One file at a time: each starts its own servers.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
