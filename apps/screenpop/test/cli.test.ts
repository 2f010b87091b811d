import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { inboundRinging } from '../../../packages/sdk/test/support/call-events.js';
import { FakeCtiServer } from '../../../packages/sdk/test/support/fake-cti-server.js';

/** The screenpop command as a user runs it (the built dist/cli.js), against the fake CTI server. */
const cli = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/cli.js');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function screenpop(args: string[], env: Record<string, string> = {}) {
  const child: ChildProcess = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, STROWGER_CTI_PASSWORD: 'secret', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

async function until(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function fake(): Promise<FakeCtiServer> {
  const server = await FakeCtiServer.start();
  cleanups.push(() => server.stop());
  return server;
}

describe('the screenpop command', () => {
  it('--print prints the filled URL once per ringing call', async () => {
    const s = await fake();
    const run = screenpop([
      '--server',
      s.url,
      '--user',
      'app',
      '--print',
      '--url',
      'https://crm.example/?n={calling}&u={user}',
    ]);
    await until(() => run.stderr().includes('watching 3 device(s): SEP1001, SEP1002, SEP1003'), 'the watch');
    expect(run.stderr()).toContain('not watching SEP1009: restricted');
    s.backend.emit(s.backend.onlyProvider.providerId, inboundRinging('c-1', '5551234', '1001', 'SEP1001'));
    await until(() => run.stdout().length > 0, 'the pop');
    await new Promise((r) => setTimeout(r, 100));
    expect(run.stdout()).toBe('https://crm.example/?n=5551234&u=app\n');
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('--webhook POSTs the pop as JSON', async () => {
    const s = await fake();
    const bodies: unknown[] = [];
    const hook: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        bodies.push({ method: req.method, type: req.headers['content-type'], body: JSON.parse(body) as unknown });
        res.end();
      });
    });
    await new Promise<void>((done) => hook.listen(0, '127.0.0.1', done));
    cleanups.push(() => new Promise<void>((done) => hook.close(() => done())));
    const endpoint = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/pop`;
    const run = screenpop([
      '-s',
      s.url,
      '-u',
      'app',
      '--webhook',
      endpoint,
      '--url',
      'https://crm.example/?n={calling}',
    ]);
    await until(() => run.stderr().includes('watching'), 'the watch');
    s.backend.emit(s.backend.onlyProvider.providerId, inboundRinging('c-7', '5550007', '1002', 'SEP1002'));
    await until(() => bodies.length === 1, 'the webhook');
    expect(bodies[0]).toMatchObject({
      method: 'POST',
      type: 'application/json',
      body: {
        url: 'https://crm.example/?n=5550007',
        calling: '5550007',
        called: '1002',
        line: '1002',
        device: 'SEP1002',
        user: 'app',
        callId: 'c-7',
      },
    });
  });

  it('refuses an unknown placeholder and a missing password with what to change', async () => {
    const bad = screenpop(['-s', 'ws://127.0.0.1:1', '-u', 'app', '--url', 'https://x/?n={number}']);
    expect(await bad.exited).toBe(1);
    expect(bad.stderr()).toMatch(/\{number\}.*not one of/);
    const noPassword = screenpop(['-s', 'ws://127.0.0.1:1', '-u', 'app', '--url', 'https://x/'], {
      STROWGER_CTI_PASSWORD: '',
    });
    expect(await noPassword.exited).toBe(1);
  });
});
