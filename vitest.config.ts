import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration suites each start their own emulators on port 0, so files can run in parallel.
    pool: 'forks',
  },
});
