import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/core/index.js';
import { clusterFolder, startEmbeddedPostgres } from '../src/store/embedded-postgres.js';

const cli = fileURLToPath(new URL('../src/server/cli.ts', import.meta.url));
const started: ChildProcess[] = [];
const postmasters = new Set<number>();
const outputs = new Map<ChildProcess, () => string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function postmasterPid(dataDir: string): number {
  const pid = Number(readFileSync(join(dataDir, clusterFolder, 'postmaster.pid'), 'utf8').split('\n')[0]);
  postmasters.add(pid);
  return pid;
}

/** Polls until `pid` is gone; false if it still runs after `limitMs` (a failure, not a speed figure). */
async function goneWithin(pid: number, limitMs: number): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((done) => setTimeout(done, 100));
  }
  return !isAlive(pid);
}

/** `strowger start` as a child process, as an operator or a supervisor runs it; resolves once it serves. */
async function startServer(dataDir: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      cli,
      'start',
      '--data',
      dataDir,
      '--bind',
      '127.0.0.1',
      '--sip-port',
      '0',
      '--http-port',
      '0',
      '--cti-port',
      '0',
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  started.push(child);
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  child.on('exit', (code, signal) => (errors += `exited with ${code ?? signal}`));
  outputs.set(child, () => errors);
  const httpUrl = await new Promise<string>((serving, failed) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const http = /HTTP\s+(http:\/\/\S+)/.exec(line);
      if (http !== null) serving(http[1]!);
    });
    child.once('exit', (code) => failed(new Error(`strowger start exited with ${code}: ${errors}`)));
  });
  // The banner is printed just before the signal handlers are installed; an answer over HTTP means
  // the event loop has turned since, so a signal now reaches them.
  const health = await fetch(`${httpUrl}/healthz`);
  expect(health.ok).toBe(true);
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once('exit', () => done()));
}

afterEach(() => {
  // Whatever a failed test left: the servers, then any postmaster they did not take with them.
  for (const child of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  for (const pid of postmasters) {
    if (isAlive(pid)) process.kill(pid, 'SIGQUIT');
  }
  postmasters.clear();
});

describe('the embedded PostgreSQL stops with the server', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'strowger-lifecycle-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each(['SIGTERM', 'SIGINT', 'SIGKILL'] as const)(
    'after %s to the server no postgres MUST hold the data directory, and the next start MUST work',
    async (signal) => {
      const server = await startServer(dataDir);
      const pid = postmasterPid(dataDir);
      expect(isAlive(pid)).toBe(true);
      server.kill(signal);
      await exited(server);
      expect(await goneWithin(pid, 30_000)).toBe(true);
      expect(existsSync(join(dataDir, clusterFolder, 'postmaster.pid'))).toBe(false);
      if (signal !== 'SIGKILL') expect(existsSync(join(dataDir, 'strowger.pid')), outputs.get(server)?.()).toBe(false);

      const again = await startServer(dataDir);
      const next = postmasterPid(dataDir);
      expect(next).not.toBe(pid);
      again.kill('SIGTERM');
      await exited(again);
      expect(await goneWithin(next, 30_000)).toBe(true);
    },
    120_000,
  );
});

describe('embedded PostgreSQL', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'strowger-embedded-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('a postmaster orphaned on the data directory MUST be stopped by the next start, which then serves', async () => {
    const first = await startEmbeddedPostgres(dataDir, silentLogger);
    postmasters.add(first.pid);
    // Its keeper killed outright: the postmaster is left running with nobody to stop it.
    process.kill(parentOf(first.pid), 'SIGKILL');
    await new Promise((done) => setTimeout(done, 200));
    expect(isAlive(first.pid)).toBe(true);

    const second = await startEmbeddedPostgres(dataDir, silentLogger);
    postmasters.add(second.pid);
    try {
      expect(isAlive(first.pid)).toBe(false);
      expect(existsSync(first.connection.host), 'the orphan’s socket directory').toBe(false);
      const client = new pg.Client(second.connection);
      await client.connect();
      const { rows } = await client.query<{ one: number }>('select 1 as one');
      await client.end();
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await second.stop();
    }
    expect(isAlive(second.pid)).toBe(false);
  }, 120_000);
});

/** The postmaster's parent is its keeper. */
function parentOf(postmaster: number): number {
  const stat = readFileSync(`/proc/${postmaster}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[1]);
}
