import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const scenarioDir = resolve(fileURLToPath(new URL('../interop/scenarios', import.meta.url)));

/** Fails the suite with a clear remedy when SIPp is missing, instead of skipping what must run. */
export function requireSipp(): void {
  try {
    execFileSync('sipp', ['-v'], { stdio: 'pipe' });
  } catch (error) {
    // sipp -v exits non-zero but prints its version; only a missing binary is a problem.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('sipp is not installed; install the Debian package sip-tester (apt-get install sip-tester)');
    }
  }
}

export interface SippRun {
  code: number | null;
  output: string;
  /** SIPp's error log (-trace_err), which names the unexpected message when a call fails. */
  errors: string;
}

export interface SippOptions {
  scenario: string;
  port: number;
  transport: 'udp' | 'tcp';
  service?: string;
  username?: string;
  password?: string;
  calls?: number;
  rate?: number;
  /** Simultaneous calls (-l); SIPp's default is high enough for these tests. */
  limit?: number;
  extra?: string[];
  timeoutSeconds?: number;
  /** Local port to listen on (a UAS scenario); a free one when absent. */
  localPort?: number;
  /** -key name value pairs, read as [name] in the scenario. */
  keys?: Record<string, string>;
}

/** Runs one SIPp scenario to completion against 127.0.0.1:port; exit code 0 means every call passed. */
export async function runSipp(options: SippOptions): Promise<SippRun> {
  const workDir = await mkdtemp(join(tmpdir(), 'strowger-sipp-'));
  const calls = options.calls ?? 1;
  const args = [
    '-sf',
    join(scenarioDir, options.scenario),
    '-m',
    String(calls),
    '-i',
    '127.0.0.1',
    '-p',
    String(options.localPort ?? 0),
    '-t',
    options.transport === 'udp' ? 'u1' : 't1',
    '-nostdin',
    '-trace_err',
    '-timeout',
    `${options.timeoutSeconds ?? 20}s`,
    '-timeout_error',
    ...(options.service === undefined ? [] : ['-s', options.service]),
    ...(options.username === undefined ? [] : ['-au', options.username]),
    ...(options.password === undefined ? [] : ['-ap', options.password]),
    ...(options.rate === undefined ? [] : ['-r', String(options.rate)]),
    ...(options.limit === undefined ? [] : ['-l', String(options.limit)]),
    ...Object.entries(options.keys ?? {}).flatMap(([name, value]) => ['-key', name, value]),
    ...(options.extra ?? []),
    `127.0.0.1:${options.port}`,
  ];
  try {
    const result = await new Promise<{ code: number | null; output: string }>((done) => {
      execFile(
        'sipp',
        args,
        { cwd: workDir, timeout: ((options.timeoutSeconds ?? 20) + 10) * 1000, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
          done({ code, output: `${stdout}${stderr}` });
        },
      );
    });
    let errors = '';
    for (const file of await readdir(workDir)) {
      if (file.endsWith('_errors.log')) errors += await readFile(join(workDir, file), 'utf8');
    }
    return { ...result, errors };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * UDP ports bound on this machine, read from /proc/net/udp. Probing by binding a socket would not do:
 * SIPp binds with SO_REUSEADDR, so a probe socket could share the port and take SIPp's datagrams.
 */
async function boundUdpPorts(): Promise<Set<number>> {
  const { readFile } = await import('node:fs/promises');
  const ports = new Set<number>();
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const local = line.trim().split(/\s+/)[1];
      const hex = local?.split(':').at(-1);
      if (hex !== undefined && hex.length > 0) ports.add(Number.parseInt(hex, 16));
    }
  }
  return ports;
}

/** A UDP port nothing is bound to now, for a SIPp UAS to listen on. */
export async function freeUdpPort(): Promise<number> {
  const bound = await boundUdpPorts();
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if (!bound.has(port)) return port;
  }
}

/** Resolves once something (a SIPp UAS starting up) listens on the UDP port, or fails after a while. */
export async function waitForUdpListener(port: number, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if ((await boundUdpPorts()).has(port)) return;
    await new Promise((done) => setTimeout(done, 25));
  }
  throw new Error(`nothing listens on UDP port ${port} after ${timeoutMs} ms; did SIPp start?`);
}
