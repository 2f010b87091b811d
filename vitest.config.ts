import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Tests import our packages from their sources, so a test run needs no build first. */
const source = (pkg: string): string => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@strowger/core': source('core'),
      '@strowger/protocol': source('protocol'),
    },
  },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
    ],
    // Each test file runs in its own process; two at a time matches the two cores CI has.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
