/**
 * Memory and event-loop benchmark of the whole server, run as an operator runs it (`strowger start`,
 * a process of its own) on the embedded database or on a PostgreSQL server:
 *
 *   1. idle: resident memory 15 s after start, with PHONES phones and two call lines configured;
 *   2. PHONES phones registered (Strowger's own test phone, digest-authenticated) and CONCURRENT calls
 *      held up at once (SIPp caller → Strowger → SIPp callee);
 *   3. a steady STEADY_RATE calls/s of 1 s calls for STEADY_SECONDS: resident memory sampled each second;
 *   4. PAUSE_RATE calls/s for PAUSE_SECONDS: the longest event-loop delay the server reports each second
 *      (its /metrics gauge strowger_process_nodejs_eventloop_lag_max_seconds, from
 *      perf_hooks.monitorEventLoopDelay, reset at every scrape).
 *
 * Memory is the server process's resident set (RSS), and for the embedded database also the
 * proportional set (PSS: shared pages counted once) of the PostgreSQL processes it runs.
 *
 *   npm run bench:memory                             # embedded database
 *   BACKEND=postgres npm run bench:memory            # the PostgreSQL server at PG_URL (trust auth)
 *   PHONES=200 STEADY_SECONDS=20 npm run bench:memory
 *   HEAP_SNAPSHOT_DIR=/some/dir npm run bench:memory   # also a heap snapshot two thirds into the steady load
 *   PROFILE_DATABASE=1 npm run bench:memory              # also the longest pause database code alone caused
 *
 * PROFILE_DATABASE runs the server under the CPU profiler (a sample every 250 µs) and reports, for
 * the 200 calls/s phase, the longest stretch of consecutive samples in database code (the `pg`
 * driver, drizzle-orm, the store): the part of the event-loop delay the database is answerable for.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { TestPhone } from '../packages/server/test/support/test-phone.js';
import { runSipp, sippCallCounts, sippCallerArgs, startSippCallee } from './bench-support.js';
import { longestStretch } from './cpu-profile-stretches.js';

const backend = process.env.BACKEND === 'postgres' ? 'postgres' : 'embedded';
const adminUrl = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const phones = Number(process.env.PHONES ?? 1000);
const concurrent = Number(process.env.CONCURRENT ?? 200);
const steadyRate = Number(process.env.STEADY_RATE ?? 100);
const steadySeconds = Number(process.env.STEADY_SECONDS ?? 60);
const pauseRate = Number(process.env.PAUSE_RATE ?? 200);
const pauseSeconds = Number(process.env.PAUSE_SECONDS ?? 30);
const scenarios = resolve(fileURLToPath(new URL('./scenarios', import.meta.url)));
const cli = resolve(fileURLToPath(new URL('../packages/server/dist/server/cli.js', import.meta.url)));
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
/** Where the server writes a heap snapshot of the steady load (where its memory goes), if anywhere. */
const heapSnapshotDir = process.env.HEAP_SNAPSHOT_DIR;
const profileDatabase = process.env.PROFILE_DATABASE === '1';
/** Script URLs of the code that talks to the database. */
const databaseCode = /node_modules\/(pg|pg-protocol|pg-pool|pg-types|drizzle-orm)\/|\/dist\/store\//;
const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

function config(): string {
  const lines = ['settings: { sipRealm: strowger }', 'lines:'];
  lines.push(
    `  - { dn: '3001', maxCalls: 200, busyTrigger: 200 }`,
    `  - { dn: '3002', maxCalls: 200, busyTrigger: 200 }`,
  );
  for (let i = 0; i < phones; i++) lines.push(`  - { dn: '${20000 + i}' }`);
  lines.push('devices:');
  lines.push(
    `  - { name: SEPBENCHCALLER, type: sip-phone, lines: ['3001'], sip: { username: '3001', password: 'bench-3001' } }`,
    `  - { name: SEPBENCHCALLEE, type: sip-phone, lines: ['3002'], sip: { username: '3002', password: 'bench-3002' } }`,
  );
  for (let i = 0; i < phones; i++) {
    const dn = 20000 + i;
    lines.push(
      `  - { name: SEP0000000${dn}, type: sip-phone, lines: ['${dn}'], sip: { username: '${dn}', password: 'bench-${dn}' } }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Resident set of one process, from /proc (bytes). */
function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}

/** Proportional set of every process below `root` (its database, for the embedded one), in bytes. */
function descendantsPss(root: number): { pss: number; processes: number } {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended meanwhile.
    }
  }
  const below = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) if (p === root) return true;
    return false;
  };
  let pss = 0;
  let processes = 0;
  for (const pid of parents.keys()) {
    if (!below(pid)) continue;
    try {
      const match = /Pss:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      pss += Number(match?.[1] ?? 0) * 1024;
      processes += 1;
    } catch {
      // Gone, or not ours to read.
    }
  }
  return { pss, processes };
}

interface Server {
  child: ChildProcess;
  sipPort: number;
  httpUrl: string;
}

async function startServer(workDir: string, store: string[]): Promise<Server> {
  const configFile = join(workDir, 'bench.yaml');
  await writeFile(configFile, config());
  const child = spawn(
    process.execPath,
    [
      ...(heapSnapshotDir === undefined
        ? []
        : ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${resolve(heapSnapshotDir)}`]),
      ...(profileDatabase ? ['--cpu-prof', `--cpu-prof-dir=${join(workDir, 'cpu')}`, '--cpu-prof-interval=250'] : []),
      cli,
      'start',
      '--config',
      configFile,
      ...store,
      '--bind',
      '127.0.0.1',
      '--sip-port',
      '0',
      '--http-port',
      '0',
      '--cti-port',
      '0',
      '--digest-algorithms',
      'MD5',
      '--log-level',
      'warn',
    ],
    // As every shipped way of running sets it (npm start, the systemd unit, the container image).
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, MALLOC_ARENA_MAX: '1' } },
  );
  return new Promise((started, failed) => {
    let sipPort: number | undefined;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const sip = /SIP\s+udp\s+[\d.]+:(\d+)/.exec(line);
      if (sip !== null) sipPort = Number(sip[1]);
      const http = /HTTP\s+(http:\/\/\S+)/.exec(line);
      if (http !== null && sipPort !== undefined) started({ child, sipPort, httpUrl: http[1]! });
    });
    child.once('exit', (code) => failed(new Error(`strowger start exited with ${code}`)));
  });
}

function memory(server: Server): { rss: number; database: number } {
  const pid = server.child.pid!;
  return { rss: rssOf(pid), database: backend === 'embedded' ? descendantsPss(pid).pss : 0 };
}

function describeMemory(m: { rss: number; database: number }): string {
  return backend === 'embedded'
    ? `${mib(m.rss)} MiB RSS + ${mib(m.database)} MiB PSS of its PostgreSQL = ${mib(m.rss + m.database)} MiB`
    : `${mib(m.rss)} MiB RSS (the PostgreSQL server's own memory not counted)`;
}

/**
 * Where the server's memory is, as Node reports it on /metrics: each V8 heap space's size (what the
 * heap holds, live or not yet collected) and memory outside the heap (buffers).
 */
async function memoryBreakdown(httpUrl: string): Promise<string> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  const value = (pattern: RegExp): number => Number(pattern.exec(text)?.[1] ?? Number.NaN);
  const spaces = [...text.matchAll(/^strowger_process_nodejs_heap_space_size_total_bytes\{space="(\w+)"\}\s+(\d+)/gm)]
    .map(([, space, bytes]) => ({ space: space!, bytes: Number(bytes) }))
    .filter(({ bytes }) => bytes >= 1024 * 1024)
    .map(({ space, bytes }) => `${space} ${mib(bytes)}`);
  const used = value(/^strowger_process_nodejs_heap_size_used_bytes\s+(\d+)/m);
  const total = value(/^strowger_process_nodejs_heap_size_total_bytes\s+(\d+)/m);
  const external = value(/^strowger_process_nodejs_external_memory_bytes\s+(\d+)/m);
  return `V8 heap ${mib(total)} MiB (${mib(used)} in use; spaces: ${spaces.join(', ')}), outside the heap ${mib(external)} MiB`;
}

async function eventLoopMaxMs(httpUrl: string): Promise<number> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  const match = /^strowger_process_nodejs_eventloop_lag_max_seconds\s+([\d.e+-]+)/m.exec(text);
  return Number(match?.[1] ?? Number.NaN) * 1000;
}

function callerArgs(server: Server, options: { rate: number; calls: number; holdMs: number; limit: number }): string[] {
  return sippCallerArgs({
    ...options,
    scenarios,
    server: `127.0.0.1:${server.sipPort}`,
    timeoutSeconds: Math.ceil(options.calls / options.rate + options.holdMs / 1000) + 60,
  });
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const workDir = await mkdtemp(join(tmpdir(), 'strowger-bench-memory-'));
let database: { name: string } | undefined;
let server: Server | undefined;
let callee: { stop(): void } | undefined;
const registered: TestPhone[] = [];
try {
  let store = ['--data', join(workDir, 'data')];
  if (backend === 'postgres') {
    const name = `strowger_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    database = { name };
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    store = ['--db', url.toString()];
  }
  console.log(`starting the server (${backend} database, ${phones + 2} phones configured)…`);
  server = await startServer(workDir, store);
  await sleep(15_000);
  const idle = memory(server);

  console.log(`registering ${phones} phones…`);
  for (let i = 0; i < phones; i += 50) {
    const batch = Array.from({ length: Math.min(50, phones - i) }, (_, j) =>
      TestPhone.start({ dn: String(20000 + i + j), password: `bench-${20000 + i + j}`, serverPort: server!.sipPort }),
    );
    registered.push(...(await Promise.all(batch)));
  }

  // The callee: a SIPp UAS answering every call, registered as phone 3002 at its port.
  callee = await startSippCallee({ scenarios, workDir, server: `127.0.0.1:${server.sipPort}` });

  // CONCURRENT calls set up at 20/s and held until all are up and their setup transactions have ended.
  const holdMs = (concurrent / 20) * 1000 + 40_000;
  const held = runSipp(
    callerArgs(server, { rate: 20, calls: concurrent, holdMs, limit: concurrent }),
    workDir,
    holdMs + 120_000,
  );
  await sleep((concurrent / 20) * 1000 + 35_000);
  const loaded = memory(server);
  const heldCalls = sippCallCounts((await held).output);

  console.log(`steady load: ${steadyRate} calls/s of 1 s calls for ${steadySeconds} s…`);
  const steadySamples: number[] = [];
  const steadyRun = runSipp(
    callerArgs(server, { rate: steadyRate, calls: steadyRate * steadySeconds, holdMs: 1000, limit: 190 }),
    workDir,
    (steadySeconds + 120) * 1000,
  );
  let steadyBreakdown: Promise<string> | undefined;
  const sampler = setInterval(() => {
    const m = memory(server!);
    steadySamples.push(m.rss + m.database);
    if (steadySamples.length === Math.round(steadySeconds / 2)) steadyBreakdown = memoryBreakdown(server!.httpUrl);
    if (heapSnapshotDir !== undefined && steadySamples.length === Math.round((steadySeconds * 2) / 3)) {
      console.log(`heap snapshot of the server into ${heapSnapshotDir} (it pauses the server for a while)`);
      server!.child.kill('SIGUSR2');
    }
  }, 1000);
  const steady = await steadyRun;
  clearInterval(sampler);
  const steadyCalls = sippCallCounts(steady.output);
  const steadyWhere = await (steadyBreakdown ?? Promise.resolve('not read'));
  const steadyPeak = Math.max(...steadySamples);
  const lastHalf = steadySamples.slice(Math.floor(steadySamples.length / 2)).sort((a, b) => a - b);
  const steadyMedian = lastHalf[Math.floor(lastHalf.length / 2)] ?? Number.NaN;

  console.log(`event-loop delay: ${pauseRate} calls/s of 0.5 s calls for ${pauseSeconds} s…`);
  await eventLoopMaxMs(server.httpUrl); // resets the gauge: the load starts from here
  const pauseFromUs = monotonicUs();
  const pauses: number[] = [];
  const pauseRun = runSipp(
    callerArgs(server, { rate: pauseRate, calls: pauseRate * pauseSeconds, holdMs: 500, limit: 190 }),
    workDir,
    (pauseSeconds + 120) * 1000,
  );
  let running = true;
  const scraping = (async () => {
    while (running) {
      await sleep(1000);
      pauses.push(await eventLoopMaxMs(server!.httpUrl));
    }
  })();
  const pause = await pauseRun;
  const pauseWindow = { fromUs: pauseFromUs, toUs: monotonicUs() };
  running = false;
  await scraping;
  const pauseCalls = sippCallCounts(pause.output);
  const sortedPauses = [...pauses].sort((a, b) => a - b);

  console.log(`\nMemory benchmark — Node ${process.version}, ${backend} database, ${phones} phones configured`);
  console.log(`idle, 15 s after start            ${describeMemory(idle)}`);
  console.log(
    `${registered.length} phones registered, ${concurrent} calls up   ${describeMemory(loaded)} (SIPp: ${heldCalls.successful} ok / ${heldCalls.failed} failed)`,
  );
  console.log(
    `steady ${steadyRate} calls/s               median of the second half ${mib(steadyMedian)} MiB, peak ${mib(steadyPeak)} MiB (${backend === 'embedded' ? 'server RSS + PostgreSQL PSS' : 'server RSS'}; SIPp: ${steadyCalls.successful} ok / ${steadyCalls.failed} failed)`,
  );
  console.log(`  halfway through it                ${steadyWhere}`);
  console.log(
    `event-loop delay at ${pauseRate} calls/s    longest ${(sortedPauses.at(-1) ?? Number.NaN).toFixed(1)} ms; per-second maxima p50 ${(sortedPauses[Math.floor(sortedPauses.length / 2)] ?? Number.NaN).toFixed(1)} ms (SIPp: ${pauseCalls.successful} ok / ${pauseCalls.failed} failed)`,
  );
  if (profileDatabase) {
    // The profile is written when the server exits.
    const exited = new Promise((done) => server!.child.once('exit', done));
    server.child.kill('SIGTERM');
    await exited;
    const [file] = readdirSync(join(workDir, 'cpu')).filter((name) => name.endsWith('.cpuprofile'));
    if (file === undefined) throw new Error('the server wrote no CPU profile');
    const db = await longestStretch(join(workDir, 'cpu', file), databaseCode, pauseWindow);
    console.log(
      `  of which database code           longest uninterrupted ${db.longestMs.toFixed(2)} ms; in all ${db.totalMs.toFixed(0)} ms of ${db.profileMs.toFixed(0)} ms (${((db.totalMs / db.profileMs) * 100).toFixed(1)} %)`,
    );
    console.log(`  the longest one was mostly in     ${db.longestIn.slice(0, 4).join('; ')}`);
  }
  if (steady.code !== 0 || pause.code !== 0 || heldCalls.failed !== 0) process.exitCode = 1;
} finally {
  callee?.stop();
  await Promise.all(registered.map((phone) => phone.close().catch(() => undefined)));
  if (server !== undefined && server.child.exitCode === null) {
    const exited = new Promise((done) => server!.child.once('exit', done));
    server.child.kill('SIGTERM');
    await exited;
  }
  if (database !== undefined) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database.name} WITH (FORCE)`);
    await admin.end();
  }
  await rm(workDir, { recursive: true, force: true });
}
