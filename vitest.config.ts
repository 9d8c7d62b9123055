import { defineConfig } from 'vitest/config';

// Unit and integration tests (real SQLite files, real Kamailio/SIPp where a test needs them).
export default defineConfig({
  test: {
    include: ['electron/**/*.test.ts', 'renderer/src/**/*.test.{ts,tsx}', 'bench/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The SIP child process needs a JavaScript entry to fork (electron/testing/sip/global-setup.ts).
    globalSetup: ['electron/testing/sip/global-setup.ts'],
  },
});
