/**
 * Route point round trip: from a call being offered at a CTI route point to the application's
 * selectRoute having sent it on. SIPp places RATE calls per second (hold HOLD_MS) from line 3001 to
 * the route point's line 7000 through Strowger, which runs in this process with its embedded
 * database; an application in a child process (bench/cti-route-client.ts, the SDK) has a route
 * callback on 7000 and selects 3002, a SIPp that answers. The round trip is measured in the server
 * process on the engine's own events: from the route point's connection becoming OFFERED (the route
 * request leaves in the same turn) to it being DISCONNECTED by the redirect the route select made —
 * the CTI event out, the application's work, the request back and the engine's redirect.
 *
 *   npm run bench:cti-route
 *   RATE=100 DURATION_S=30 HOLD_MS=200 npm run bench:cti-route
 */
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
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
const seconds = Number(process.env.DURATION_S ?? 30);
const calls = rate * seconds;
const holdMs = Number(process.env.HOLD_MS ?? 200);
const here = fileURLToPath(new URL('.', import.meta.url));
const scenarios = resolve(here, 'scenarios');

const config = `
settings: { sipRealm: strowger }
lines:
  - { dn: '3001', maxCalls: 200, busyTrigger: 200 }
  - { dn: '3002', maxCalls: 200, busyTrigger: 200 }
  - { dn: '7000' }
devices:
  - { name: SEPBENCHCALLER, type: sip-phone, lines: ['3001'], sip: { username: '3001', password: 'bench-3001' } }
  - { name: SEPBENCHCALLEE, type: sip-phone, lines: ['3002'], sip: { username: '3002', password: 'bench-3002' } }
  - { name: BENCH_RP, type: cti-route-point, lines: ['7000'] }
applicationUsers:
  - { userId: router, password: router-bench, devices: [BENCH_RP], groups: ['Standard CTI Enabled'] }
`;

interface ClientReport {
  kind: 'report';
  routed: number;
  failed: number;
  cpuSeconds: number;
  loopDelayMs: { p99: number; max: number };
}

const workDir = await mkdtemp(join(tmpdir(), 'strowger-bench-cti-route-'));
const stops: (() => Promise<void> | void)[] = [];
const offeredAt = new Map<string, number>();
const roundTrips: number[] = [];
try {
  const strowger = await startBenchServer(workDir, config);
  stops.push(() => strowger.stop());
  strowger.engine.events.on('call', (event) => {
    if (event.type !== 'connection.state' || event.address !== '7000') return;
    if (event.state === 'OFFERED') offeredAt.set(event.callId, performance.now());
    else if (event.state === 'DISCONNECTED') {
      const start = offeredAt.get(event.callId);
      offeredAt.delete(event.callId);
      if (start !== undefined) roundTrips.push(performance.now() - start);
    }
  });
  const server = `127.0.0.1:${strowger.addresses.sipUdp.port}`;
  const callee = await startSippCallee({ scenarios, workDir, server });
  stops.push(() => callee.stop());

  const client = fork(join(here, 'cti-route-client.ts'), [], {
    execArgv: [...process.execArgv.filter((arg) => arg !== '--import' && arg !== 'tsx'), '--import', 'tsx'],
    env: {
      ...process.env,
      CTI_URL: `ws://127.0.0.1:${strowger.addresses.cti.port}`,
      CTI_USER: 'router',
      CTI_PASSWORD: 'router-bench',
      ADDRESS: '7000',
      ROUTE: '3002',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  stops.unshift(() => {
    if (client.exitCode === null) client.kill();
  });
  await new Promise<void>((ready, failed) => {
    client.once('message', () => ready());
    client.once('exit', (code) => failed(new Error(`the application ended (code ${code}) before it was ready`)));
  });

  console.log(
    `SIPp: ${calls} calls at ${rate}/s to the route point, hold ${holdMs} ms; load average before ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const serverLoop = monitorEventLoopDelay({ resolution: 1 });
  serverLoop.enable();
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const caller = await runSipp(
    sippCallerArgs({
      scenarios,
      server,
      calls,
      rate,
      limit: 400,
      holdMs,
      timeoutSeconds: seconds + 30,
      dial: '7000',
      extra: ['-trace_err'],
    }),
    workDir,
    (seconds + 60) * 1000,
  );
  const wallSeconds = (performance.now() - startedAt) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  serverLoop.disable();
  const report = await new Promise<ClientReport>((done, failed) => {
    client.on('message', (message: ClientReport) => {
      if (message.kind === 'report') done(message);
    });
    client.once('exit', (code) => failed(new Error(`the application ended (code ${code}) before reporting`)));
    client.send({ kind: 'report' });
  });

  roundTrips.sort((a, b) => a - b);
  const { successful, failed } = sippCallCounts(caller.output);
  const ms = (value: number): string => value.toFixed(2);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(`\nRoute point round trip — Node ${process.version}, ${rate} calls/s offered`);
  console.log(
    `successful / failed calls   ${successful} / ${failed} (SIPp exit code ${caller.code}) in ${wallSeconds.toFixed(1)} s`,
  );
  console.log(`routed by the application   ${report.routed}, route selects refused ${report.failed}`);
  console.log(
    `OFFERED → redirected (ms)   p50 ${ms(percentile(roundTrips, 50))}  p99 ${ms(percentile(roundTrips, 99))}  max ${ms(roundTrips.at(-1) ?? Number.NaN)}  (${roundTrips.length} calls)`,
  );
  console.log(
    `server CPU                  ${((cpuSeconds / wallSeconds) * 100).toFixed(0)} % of a core; event-loop delay p99 ${ms(serverLoop.percentile(99) / 1e6)}  max ${ms(serverLoop.max / 1e6)} ms`,
  );
  console.log(
    `application CPU             ${((report.cpuSeconds / wallSeconds) * 100).toFixed(0)} % of a core; event-loop delay p99 ${ms(report.loopDelayMs.p99)}  max ${ms(report.loopDelayMs.max)} ms`,
  );
  if (caller.code !== 0 || report.failed > 0) process.exitCode = 1;
} finally {
  for (const stop of stops) await stop();
  await rm(workDir, { recursive: true, force: true });
}
