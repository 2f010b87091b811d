/**
 * Memory per concurrent call: LINES SIPp callers, each on a line of its own, place PER_LINE calls each
 * to a called line of their own (all called lines registered to one SIPp UAS), and hold them. Once
 * every call is up and the setup transactions have ended (Timer L/J: 32 s with the RFC's T1), the
 * heap is weighed and divided by the calls up. A line holds at most 200 calls (CUCM's limit too), so
 * 5,000 calls take 25 lines.
 *
 *   npm run bench:concurrent                      # 25 lines × 200 calls = 5,000 calls
 *   LINES=5 PER_LINE=100 npm run bench:concurrent # a quicker look
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSipp, sippCallCounts, startBenchServer } from './bench-support.js';

const lines = Number(process.env.LINES ?? 25);
const perLine = Number(process.env.PER_LINE ?? 200);
const ratePerLine = Number(process.env.RATE_PER_LINE ?? 4);
const settleMs = Number(process.env.SETTLE_MS ?? 40_000);
const scenarios = resolve(fileURLToPath(new URL('./scenarios', import.meta.url)));
const total = lines * perLine;
const rampMs = (perLine / ratePerLine) * 1000;
const holdMs = rampMs + settleMs + 20_000;

const callerDn = (i: number) => String(6000 + i);
const calleeDn = (i: number) => String(7000 + i);
const config = [
  'settings: { sipRealm: strowger }',
  'lines:',
  ...Array.from({ length: lines }, (_, i) => [
    `  - { dn: '${callerDn(i)}', maxCalls: 200, busyTrigger: 200 }`,
    `  - { dn: '${calleeDn(i)}', maxCalls: 200, busyTrigger: 200 }`,
  ]).flat(),
  'devices:',
  ...Array.from({ length: lines }, (_, i) => [
    `  - { name: SEPCALLER${i}, type: sip-phone, lines: ['${callerDn(i)}'], sip: { username: '${callerDn(i)}', password: 'pw' } }`,
    `  - { name: SEPCALLEE${i}, type: sip-phone, lines: ['${calleeDn(i)}'], sip: { username: '${calleeDn(i)}', password: 'pw' } }`,
  ]).flat(),
  '',
].join('\n');

/** Distinct ports for every SIPp: with "-p 0" SIPp binds 5060 with SO_REUSEADDR and they would share it. */
const basePort = 21_000 + Math.floor(Math.random() * 20_000);

const workDir = await mkdtemp(join(tmpdir(), 'strowger-bench-concurrent-'));
const processes: ChildProcess[] = [];
try {
  const strowger = await startBenchServer(workDir, config);
  const server = `127.0.0.1:${strowger.addresses.sipUdp.port}`;
  const common = ['-i', '127.0.0.1', '-t', 'u1', '-nostdin'];

  const calleePort = basePort;
  const callee = spawn(
    'sipp',
    ['-sf', join(scenarios, 'uas-answer.xml'), '-p', String(calleePort), ...common, server],
    {
      cwd: workDir,
      stdio: 'ignore',
    },
  );
  processes.push(callee);
  await new Promise((done) => setTimeout(done, 500));
  for (let i = 0; i < lines; i++) {
    const registration = await runSipp(
      [
        '-sf',
        join(scenarios, 'register-contact.xml'),
        '-m',
        '1',
        '-p',
        String(basePort + 1),
        ...common,
        '-s',
        calleeDn(i),
        '-au',
        calleeDn(i),
        '-ap',
        'pw',
        '-key',
        'contact_port',
        String(calleePort),
        server,
      ],
      workDir,
      20_000,
    );
    if (registration.code !== 0) throw new Error(`callee ${calleeDn(i)} could not register:\n${registration.output}`);
  }

  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage().rss;
  console.log(
    `${lines} lines × ${perLine} calls = ${total} calls, ${lines * ratePerLine} calls/s in all, each held ${(holdMs / 1000).toFixed(0)} s`,
  );
  const callers = Array.from({ length: lines }, (_, i) =>
    runSipp(
      [
        '-sf',
        join(scenarios, 'uac-call.xml'),
        '-m',
        String(perLine),
        '-r',
        String(ratePerLine),
        '-l',
        String(perLine),
        '-d',
        String(holdMs),
        '-p',
        String(basePort + 10 + i),
        ...common,
        '-s',
        callerDn(i),
        '-au',
        callerDn(i),
        '-ap',
        'pw',
        '-key',
        'dial',
        calleeDn(i),
        '-timeout',
        `${Math.ceil((holdMs + rampMs) / 1000) + 60}s`,
        '-timeout_error',
        server,
      ],
      workDir,
      holdMs + rampMs + 120_000,
    ),
  );
  const progress = setInterval(() => {
    process.stdout.write(
      `  ${strowger.engine.callCount} calls up, ${strowger.sipTransactionCount()} SIP transactions live\r`,
    );
  }, 1000);
  await new Promise((done) => setTimeout(done, rampMs + settleMs));
  gc?.();
  const weighed = {
    calls: strowger.engine.callCount,
    transactions: strowger.sipTransactionCount(),
    heap: process.memoryUsage().heapUsed,
    rss: process.memoryUsage().rss,
  };
  clearInterval(progress);
  console.log(
    `\nweighed with ${weighed.calls} calls up and ${weighed.transactions} SIP transactions live; waiting for the calls to end`,
  );
  const results = await Promise.all(callers);
  callee.kill();
  await strowger.stop();

  const counts = results.map((run) => sippCallCounts(run.output));
  const successful = counts.reduce((sum, c) => sum + c.successful, 0);
  const failed = counts.reduce((sum, c) => sum + c.failed, 0);
  const perCall = (weighed.heap - heapBefore) / weighed.calls;
  console.log(`\nConcurrent calls — Node ${process.version}, UDP, ${lines} SIPp callers, one SIPp callee`);
  console.log(`successful / failed calls     ${successful} / ${failed}`);
  console.log(
    `heap per concurrent call      ${(perCall / 1024).toFixed(1)} KiB at ${weighed.calls} calls (heap ${(weighed.heap / 1024 / 1024).toFixed(0)} MiB, ${(heapBefore / 1024 / 1024).toFixed(0)} MiB before${gc === undefined ? '; run with node --expose-gc' : ''})`,
  );
  // The resident size moves with the embedded database's WebAssembly memory, so it is shown, not divided.
  console.log(
    `resident memory               ${(weighed.rss / 1024 / 1024).toFixed(0)} MiB with the calls up (${(rssBefore / 1024 / 1024).toFixed(0)} MiB before)`,
  );
  if (failed !== 0 || results.some((run) => run.code !== 0)) {
    const bad = results.find((run) => run.code !== 0);
    console.log(`\nSIPp reported failures:\n${bad?.output.slice(-2500) ?? ''}`);
    process.exitCode = 1;
  }
} finally {
  for (const child of processes) child.kill();
  await rm(workDir, { recursive: true, force: true });
}
