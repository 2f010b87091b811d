import { build } from 'esbuild';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const entry = resolve(dirname(fileURLToPath(import.meta.url)), '../src/index.ts');

describe('the SDK in a browser bundle', () => {
  it('bundles for the browser with ws external and no node: import left in it', async () => {
    // platform=browser makes esbuild refuse any Node built-in it meets (node:net, fs, …): the build
    // itself fails if the SDK, core or protocol imports one.
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      external: ['ws'],
      write: false,
      logLevel: 'silent',
      metafile: true,
    });
    expect(result.errors).toEqual([]);
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/["']node:/);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((i) => i.includes('node_modules/ws/'))).toBe(false);
    // The bundle carries the SDK's entry points.
    expect(code).toContain('openProvider');
    for (const [, output] of Object.entries(result.metafile.outputs))
      for (const imported of output.imports) expect(imported.path.startsWith('node:')).toBe(false);
  });
});
