/**
 * CTI event latency: from a phone starting to ring to the applications hearing of it. SIPp places
 * RATE calls per second (hold HOLD_MS) from line 3001 to line 3002 through Strowger, which runs in
 * this process with its embedded database; PROVIDERS providers, opened through the SDK in a child
 * process by an application user that controls the called phone, each observe address 3002, so every
 * call is seen by every provider. For each call and provider the latency runs from the moment the
 * engine makes the called line's connection ALERTING (a listener on the engine's events, which runs
 * in the same turn as the INVITE to the called phone is sent) to the provider's listener being told
 * ConnAlertingEv for it. Both processes read one clock: performance.timeOrigin + performance.now().
 *
 *   npm run bench:cti-latency
 *   RATE=100 DURATION_S=40 PROVIDERS=100 HOLD_MS=200 npm run bench:cti-latency
 *
 * Alongside: the number of events delivered, the server's CPU and event-loop delay, and the
 * application process's CPU and event-loop delay, which say where the time goes.
 */
import { fork } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  percentile,
  startSippCallee,
  runSipp,
  sippCallCounts,
  sippCallerArgs,
  startBenchServer,
} from './bench-support.js';

const rate = Number(process.env.RATE ?? 100);
const seconds = Number(process.env.DURATION_S ?? 40);
const calls = rate * seconds;
const holdMs = Number(process.env.HOLD_MS ?? 200);
const providerCount = Number(process.env.PROVIDERS ?? 100);
const here = fileURLToPath(new URL('.', import.meta.url));
const scenarios = resolve(here, 'scenarios');
const now = (): number => performance.timeOrigin + performance.now();

const config = `
settings: { sipRealm: strowger }
lines:
  - { dn: '3001', maxCalls: 200, busyTrigger: 200 }
  - { dn: '3002', maxCalls: 200, busyTrigger: 200 }
devices:
  - { name: SEPBENCHCALLER, type: sip-phone, lines: ['3001'], sip: { username: '3001', password: 'bench-3001' } }
  - { name: SEPBENCHCALLEE, type: sip-phone, lines: ['3002'], sip: { username: '3002', password: 'bench-3002' } }
applicationUsers:
  - { userId: latency, password: latency-bench, devices: [SEPBENCHCALLEE], groups: ['Standard CTI Enabled'] }
`;

interface ClientReport {
  kind: 'report';
  received: [string, number[]][];
  events: number;
  cpuSeconds: number;
  loopDelayMs: { p50: number; p99: number; max: number };
}

const workDir = await mkdtemp(join(tmpdir(), 'strowger-bench-cti-latency-'));
const stops: (() => Promise<void> | void)[] = [];
/** When the engine made 3002's connection ALERTING, per call id. */
const alertingAt = new Map<string, number>();
try {
  const strowger = await startBenchServer(workDir, config);
  stops.push(() => strowger.stop());
  // Registered before any provider, so it runs before the CTI layer's own listener for each event.
  strowger.engine.events.on('call', (event) => {
    if (event.type === 'connection.state' && event.coreState === 'ALERTING' && event.address === '3002') {
      alertingAt.set(event.callId, now());
    }
  });
  const server = `127.0.0.1:${strowger.addresses.sipUdp.port}`;

  const callee = await startSippCallee({ scenarios, workDir, server });
  stops.push(() => callee.stop());

  // The applications: one child process holding every provider.
  const client = fork(join(here, 'cti-event-latency-client.ts'), [], {
    // The benchmark's own Node options (node --cpu-prof profiles both processes), and tsx.
    execArgv: [...process.execArgv.filter((arg) => arg !== '--import' && arg !== 'tsx'), '--import', 'tsx'],
    env: {
      ...process.env,
      CTI_URL: `ws://127.0.0.1:${strowger.addresses.cti.port}`,
      CTI_USER: 'latency',
      CTI_PASSWORD: 'latency-bench',
      PROVIDERS: String(providerCount),
      ADDRESS: '3002',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  stops.unshift(() => {
    if (client.exitCode === null) client.kill();
  });
  const openedAt = now();
  await new Promise<void>((ready, failed) => {
    client.once('message', () => ready());
    client.once('exit', (code) =>
      failed(new Error(`the application process ended (code ${code}) before it was ready`)),
    );
  });
  console.log(`${providerCount} providers open and observing 3002 in ${((now() - openedAt) / 1000).toFixed(1)} s`);

  console.log(
    `SIPp: ${calls} calls at ${rate}/s, hold ${holdMs} ms; load average before ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const serverLoop = monitorEventLoopDelay({ resolution: 1 });
  serverLoop.enable();
  const cpuBefore = process.cpuUsage();
  const startedAt = now();
  const caller = await runSipp(
    sippCallerArgs({
      scenarios,
      server,
      calls,
      rate,
      limit: 400,
      holdMs,
      timeoutSeconds: seconds + 30,
      extra: ['-trace_err'],
    }),
    workDir,
    (seconds + 60) * 1000,
  );
  const wallSeconds = (now() - startedAt) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  serverLoop.disable();
  const loadAfter = loadavg();
  // The last events are in flight for a moment after SIPp's last BYE.
  await new Promise((done) => setTimeout(done, 500));

  const report = await new Promise<ClientReport>((done, failed) => {
    client.on('message', (message: ClientReport) => {
      if (message.kind === 'report') done(message);
    });
    client.once('exit', (code) => failed(new Error(`the application process ended (code ${code}) before reporting`)));
    client.send({ kind: 'report' });
  });

  const latencies: number[] = [];
  let unmatched = 0;
  let incomplete = 0;
  for (const [callId, times] of report.received) {
    const start = alertingAt.get(callId);
    if (start === undefined) {
      unmatched += times.length;
      continue;
    }
    if (times.length !== providerCount) incomplete++;
    for (const at of times) latencies.push(at - start);
  }
  latencies.sort((a, b) => a - b);
  const { successful, failed } = sippCallCounts(caller.output);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const ms = (value: number): string => value.toFixed(2);

  console.log(
    `\nCTI event latency — Node ${process.version}, ${rate} calls/s offered, ${providerCount} providers on the called line`,
  );
  console.log(
    `successful / failed calls     ${successful} / ${failed} (SIPp exit code ${caller.code}) in ${wallSeconds.toFixed(1)} s`,
  );
  console.log(
    `ALERTING → ConnAlertingEv (ms) p50 ${ms(percentile(latencies, 50))}  p99 ${ms(percentile(latencies, 99))}  max ${ms(latencies.at(-1) ?? Number.NaN)}  (${latencies.length} events for ${alertingAt.size} calls; ${incomplete} calls not seen by every provider, ${unmatched} events without a call)`,
  );
  console.log(
    `events delivered              ${report.events} to the listeners, ${(report.events / wallSeconds).toFixed(0)} per second (${(report.events / Math.max(1, alertingAt.size) / providerCount).toFixed(1)} per call and provider)`,
  );
  console.log(
    `server CPU                    ${cpuSeconds.toFixed(1)} s over ${wallSeconds.toFixed(1)} s (${((cpuSeconds / wallSeconds) * 100).toFixed(0)} % of a core); event-loop delay p50 ${ms(serverLoop.percentile(50) / 1e6)}  p99 ${ms(serverLoop.percentile(99) / 1e6)}  max ${ms(serverLoop.max / 1e6)} ms`,
  );
  console.log(
    `application CPU               ${report.cpuSeconds.toFixed(1)} s (${((report.cpuSeconds / wallSeconds) * 100).toFixed(0)} % of a core); event-loop delay p50 ${ms(report.loopDelayMs.p50)}  p99 ${ms(report.loopDelayMs.p99)}  max ${ms(report.loopDelayMs.max)} ms`,
  );
  console.log(`load average after            ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`);
  if (caller.code !== 0 || failed !== 0 || incomplete !== 0) {
    const errorLogs = (await readdir(workDir)).filter((file) => file.endsWith('_errors.log'));
    const errors = await Promise.all(errorLogs.map((file) => readFile(join(workDir, file), 'utf8')));
    console.log(`\nSIPp reported failures:\n${errors.join('').slice(0, 2000)}`);
    process.exitCode = 1;
  }
} finally {
  for (const stop of stops) await stop();
  await rm(workDir, { recursive: true, force: true });
}
