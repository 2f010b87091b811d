/** What the benchmarks share: a server to measure, running SIPp to completion, and reading its figures. */
import { execFile, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { Strowger, type StrowgerOptions } from '../packages/server/dist/server/index.js';

/**
 * Strowger in this process on loopback with free ports, the embedded database in `workDir` and the
 * YAML `config` applied, offering MD5 only (SIPp answers only MD5 challenges, and only the first).
 * Every SIPp caller is one source, so the per-source challenge limit (20 a second by default, which
 * guards against scanners) is lifted: each benchmark call is challenged once.
 */
export async function startBenchServer(
  workDir: string,
  config: string,
  options: Pick<StrowgerOptions, 'callRecords' | 'sipObserver' | 'cti' | 'adminPassword' | 'sipTrace'> = {},
): Promise<Strowger> {
  const configFile = join(workDir, 'bench.yaml');
  await writeFile(configFile, config);
  return Strowger.start({
    store: { dataDir: join(workDir, 'data') },
    configFile,
    bind: '127.0.0.1',
    sipPort: 0,
    httpBind: '127.0.0.1',
    httpPort: 0,
    digestAlgorithms: ['MD5'],
    sipChallengeLimit: { burst: 1_000_000, perSecond: 1_000_000 },
    logger: pino({ level: 'warn' }),
    ...options,
  });
}

/**
 * Runs SIPp with `args` in `cwd`; exit code 0 means every call of the scenario passed. Past
 * `timeoutMs` it is killed with SIGKILL: on SIGTERM SIPp waits for its calls to end, which they never
 * do once the server is gone.
 */
export function runSipp(
  args: string[],
  cwd: string,
  timeoutMs: number,
): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    execFile(
      'sipp',
      args,
      { cwd, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        done({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** SIPp's cumulative "Successful call" and "Failed call" counters from its final screen. */
export function sippCallCounts(output: string): { successful: number; failed: number } {
  const count = (label: string) =>
    Number(new RegExp(`${label}\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)`).exec(output)?.[1] ?? Number.NaN);
  return { successful: count('Successful call'), failed: count('Failed call') };
}

/** The p-th percentile of ascending `sorted`; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * The SIPp callee of the call benchmarks: a SIPp UAS answering every call (`uas-answer.xml`) on a
 * random port, registered as phone 3002 there. `stop` kills it with SIGKILL: on SIGTERM SIPp waits
 * for calls that never end once the server is gone.
 */
export async function startSippCallee(options: {
  scenarios: string;
  workDir: string;
  server: string;
}): Promise<{ stop(): void }> {
  const calleePort = 20_000 + Math.floor(Math.random() * 30_000);
  const callee = spawn(
    'sipp',
    [
      '-sf',
      join(options.scenarios, 'uas-answer.xml'),
      '-i',
      '127.0.0.1',
      '-p',
      String(calleePort),
      '-t',
      'u1',
      '-nostdin',
      options.server,
    ],
    { cwd: options.workDir, stdio: 'ignore' },
  );
  const stop = (): void => {
    if (callee.exitCode === null) callee.kill('SIGKILL');
  };
  try {
    await new Promise((done) => setTimeout(done, 500));
    await registerSippCallee({ ...options, calleePort });
  } catch (error) {
    stop();
    throw error;
  }
  return { stop };
}

/**
 * Registers the SIPp callee (line 3002, password `bench-3002`, the demo-style bench configuration)
 * with its Contact on `calleePort`, so calls to 3002 reach that SIPp. Throws with SIPp's output tail
 * when the registration fails.
 */
export async function registerSippCallee(options: {
  scenarios: string;
  workDir: string;
  server: string;
  calleePort: number;
}): Promise<void> {
  const registration = await runSipp(
    [
      '-sf',
      join(options.scenarios, 'register-contact.xml'),
      '-m',
      '1',
      '-i',
      '127.0.0.1',
      '-p',
      '0',
      '-t',
      'u1',
      '-nostdin',
      '-s',
      '3002',
      '-au',
      '3002',
      '-ap',
      'bench-3002',
      '-key',
      'contact_port',
      String(options.calleePort),
      options.server,
    ],
    options.workDir,
    20_000,
  );
  if (registration.code !== 0) throw new Error(`the callee could not register:\n${registration.output.slice(-2000)}`);
}

/**
 * The SIPp caller of the call benchmarks: line 3001 (password `bench-3001`) calls 3002 (or `dial`) with the
 * `uac-call.xml` scenario, `calls` calls at `rate` a second, at most `limit` at once, each held
 * `holdMs`; SIPp gives up after `timeoutSeconds`. `extra` adds options (traces, statistics).
 */
export function sippCallerArgs(options: {
  scenarios: string;
  server: string;
  calls: number;
  rate: number;
  limit: number;
  holdMs: number;
  timeoutSeconds: number;
  dial?: string;
  extra?: readonly string[];
}): string[] {
  return [
    '-sf',
    join(options.scenarios, 'uac-call.xml'),
    '-m',
    String(options.calls),
    '-r',
    String(options.rate),
    '-l',
    String(options.limit),
    '-d',
    String(options.holdMs),
    '-i',
    '127.0.0.1',
    '-p',
    '0',
    '-t',
    'u1',
    '-nostdin',
    '-s',
    '3001',
    '-au',
    '3001',
    '-ap',
    'bench-3001',
    '-key',
    'dial',
    options.dial ?? '3002',
    ...(options.extra ?? []),
    '-timeout',
    `${options.timeoutSeconds}s`,
    '-timeout_error',
    options.server,
  ];
}
