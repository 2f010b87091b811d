import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@strowger/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ivrCommand } from '../src/cli.js';
import { runIvr, type PlatformFactory } from '../src/main.js';
import { promptCatalog } from '../src/prompt-catalog.js';
import { generatePrompts } from '../src/prompt-generator.js';
import { FakeCall, FakePlatform, FakeRouteRequest, settle } from './fake-platform.js';

/** The command line and `runIvr` with a platform factory, against a stand-in admin API. */
describe('strowger-ivr', () => {
  let directory: string;
  let configFile: string;
  let adminApi: Server;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'ivr-cli-'));
    adminApi = createServer((request, response) => {
      const ok = request.headers.authorization === `Basic ${Buffer.from('reader:admin-pw').toString('base64')}`;
      response.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify(
          ok ? { items: [{ userId: 'alice', primaryExtension: '1001' }], total: 1, offset: 0, limit: 1000 } : {},
        ),
      );
    });
    await new Promise<void>((resolve) => adminApi.listen(0, '127.0.0.1', resolve));
    const { port } = adminApi.address() as AddressInfo;
    const example = await readFile(new URL('../ivr.example.yaml', import.meta.url), 'utf8');
    // The prompts as the build makes them, in a folder of the test's own.
    const prompts = join(directory, 'prompts');
    await generatePrompts({ directory: prompts, prompts: promptCatalog() });
    configFile = join(directory, 'ivr.yaml');
    await writeFile(
      configFile,
      `promptDirectory: ${JSON.stringify(prompts)}\n` +
        example
          .replace('/var/lib/strowger-ivr', join(directory, 'data'))
          .replace('http://pbx.example.com:8080', `http://127.0.0.1:${port}`)
          .replace('user: ivr-reader', 'user: reader'),
    );
  });
  afterAll(async () => {
    delete process.env.STROWGER_IVR_CTI_PASSWORD;
    delete process.env.STROWGER_IVR_ADMIN_PASSWORD;
    await new Promise((resolve) => adminApi.close(resolve));
    await rm(directory, { recursive: true, force: true });
  });

  /** Runs the command in this process; what it writes to stdout is returned. */
  async function command(args: string[], factory?: PlatformFactory): Promise<string> {
    let out = '';
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out += String(chunk);
      return true;
    });
    try {
      await ivrCommand(factory).exitOverride().parseAsync(args, { from: 'user' });
    } finally {
      write.mockRestore();
    }
    return out;
  }

  it('--check validates the file, finds the prompts and reads the mailboxes', async () => {
    process.env.STROWGER_IVR_CTI_PASSWORD = 'cti-pw';
    process.env.STROWGER_IVR_ADMIN_PASSWORD = 'admin-pw';
    const missing = join(directory, 'no-prompts.yaml');
    await writeFile(
      missing,
      (await readFile(configFile, 'utf8')).replace(/^promptDirectory: .*$/m, 'promptDirectory: /nonexistent'),
    );
    await expect(command(['--config', missing, '--check'])).rejects.toThrow(/is missing: build the IVR/);
    expect(await command(['--config', configFile, '--check'])).toMatch(/is valid; prompts present; 1 mailbox\(es\)/);
    process.env.STROWGER_IVR_ADMIN_PASSWORD = 'wrong';
    await expect(command(['--config', configFile, '--check'])).rejects.toThrow(/refused reader \(401\)/);
  });

  it('--check names the key of a configuration problem', async () => {
    const bad = join(directory, 'bad.yaml');
    await writeFile(bad, (await readFile(configFile, 'utf8')).replace("pilot: '5000'", 'pilot: 5000'));
    await expect(command(['--config', bad, '--check'])).rejects.toThrow(/voicemail\.pilot: .*write it in quotes/);
  });

  it('--reset-pin gives a mailbox the initial PIN again', async () => {
    expect(await command(['--config', configFile, '--reset-pin', '1001'])).toMatch(/already had the initial PIN/);
  });

  it('runIvr plugs a platform in with one function and serves its route points', async () => {
    process.env.STROWGER_IVR_ADMIN_PASSWORD = 'admin-pw';
    const platform = new FakePlatform([1, 2, 3, 4].map((n) => ({ name: `CTIPORT_${n}`, dn: `510${n}` })));
    let closed = false;
    const application = await runIvr({
      configFile,
      logger: silentLogger,
      createPlatform: async (config, secrets) => {
        expect(secrets).toEqual({ ctiPassword: 'cti-pw', adminPassword: 'admin-pw' });
        expect(config.ports.map((p) => p.name)).toEqual(platform.ports.map((p) => p.name));
        return Object.assign(platform, { close: async () => void (closed = true) });
      },
    });
    const request = platform.offer(
      new FakeRouteRequest({
        callId: 'c1',
        routePoint: 'CTIRP_VM',
        calling: '4711',
        called: '5000',
        originalCalled: '1001',
      }),
    );
    await settle();
    const dn = request.selected?.[0] as string;
    const call = new FakeCall({ id: 'c1', calling: '4711', called: dn });
    platform.port(dn).ring(call);
    for (let i = 0; i < 400 && application.status().portsBusy > 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(call.played.at(-1)).toBe('message-saved-goodbye');
    expect(platform.lamps).toContainEqual({ dn: '1001', waiting: true });
    await application.stop();
    expect(closed).toBe(true);
  });
});
