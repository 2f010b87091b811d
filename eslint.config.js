// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'data/**', 'coverage/**', '.bench-tmp/**', '**/test-results/**'] },
  js.configs.recommended,
  {
    // The command's entry point is plain JavaScript run by Node.
    files: ['packages/*/bin/**/*.js'],
    languageOptions: { globals: { URL: 'readonly', console: 'readonly', process: 'readonly' } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // A promise nobody awaits or handles rejects into the void, and on Node 20 an unhandled rejection
    // ends the process: every promise is awaited, returned, or given a handler that logs. `void` does
    // not count as handling (ignoreVoid: false), since it silences the rule without catching anything.
    files: [
      'packages/*/src/**/*.ts',
      'packages/*/test/**/*.ts',
      'packages/sdk/examples/**/*.ts',
      'apps/*/src/**/*.ts',
      'apps/*/test/**/*.ts',
      'bench/**/*.ts',
    ],
    ignores: ['packages/web/src/**'],
    languageOptions: {
      // tsconfig.check.json covers sources, tests and benchmarks alike (the package's own excludes tests).
      parserOptions: { project: ['./tsconfig.check.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false }],
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // The web UI's browser code is checked against its own tsconfig (DOM, JSX), with React's hook rules.
    files: ['packages/web/src/**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: { project: ['./packages/web/tsconfig.json'], tsconfigRootDir: import.meta.dirname },
      globals: { window: 'readonly', document: 'readonly', fetch: 'readonly', EventSource: 'readonly' },
    },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // The router's navigate() returns a promise that settles when a view transition ends and never
      // rejects; `void navigate(…)` says so. Every request's promise is still awaited or handled.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    // The command line, benchmarks and test helpers talk to a person on a terminal.
    files: [
      'packages/server/src/server/cli*.ts',
      'packages/server/src/server/commands/**',
      'packages/server/bin/**',
      'bench/**',
      'packages/*/scripts/**',
      '**/*.test.ts',
      '**/test-support/**',
      'packages/*/test/**',
      // The SDK's examples print what they see, as an application's first program does.
      'packages/sdk/examples/**',
      'apps/*/test/**',
    ],
    rules: { 'no-console': 'off' },
  },
);
