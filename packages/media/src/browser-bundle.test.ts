import { build } from 'esbuild';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

describe('@strowger/media in a browser bundle', () => {
  it('the default entry MUST bundle for the browser with no node: import in it', async () => {
    // platform=browser makes esbuild refuse any Node built-in it meets: the build itself fails if the
    // default entry (or core, which it imports) reaches one.
    const result = await build({
      entryPoints: [resolve(here, 'index.ts')],
      alias: { '@strowger/core': resolve(here, '../../core/src/index.ts') },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
      metafile: true,
    });
    expect(result.errors).toEqual([]);
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/["']node:/);
    expect(Object.keys(result.metafile.inputs).some((input) => input.includes('/src/node/'))).toBe(false);
    expect(code).toContain('RtpSession');
  });

  it('the Node.js entry MUST not bundle for the browser (it is the one that uses UDP)', async () => {
    const failed = await build({
      entryPoints: [resolve(here, 'node/index.ts')],
      alias: { '@strowger/core': resolve(here, '../../core/src/index.ts') },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    }).catch((error: { errors?: unknown[] }) => error);
    expect('errors' in failed && (failed.errors?.length ?? 0) > 0).toBe(true);
  });
});
