import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
          pool: 'forks',
        },
      },
      {
        // End-to-end: the built headless server and web UI in Chromium (e2e/*.e2e.test.ts). Runs after
        // the unit project (groupOrder), so its ffmpeg jobs do not compete with the other suites.
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          environment: 'node',
          globalSetup: ['e2e/support/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 240_000,
          // a loaded two-core machine renders slowly: expect.poll waits up to 30 s (default 1 s)
          expect: { poll: { timeout: 30_000, interval: 100 } },
          pool: 'forks',
          // one file at a time: each starts its own server and runs real ffmpeg jobs (two cores)
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
