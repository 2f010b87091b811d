import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Tests import our packages from their sources, so a test run needs no build first. */
const source = (entry: string): string => fileURLToPath(new URL(`./packages/${entry}.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Exact matches: '@strowger/media' must not swallow '@strowger/media/node'.
    alias: [
      { find: /^@strowger\/core$/, replacement: source('core/src/index') },
      { find: /^@strowger\/protocol$/, replacement: source('protocol/src/index') },
      { find: /^@strowger\/media$/, replacement: source('media/src/index') },
      { find: /^@strowger\/media\/node$/, replacement: source('media/src/node/index') },
    ],
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
