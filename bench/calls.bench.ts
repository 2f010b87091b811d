/**
 * Call benchmark: SIPp caller → Strowger (in this process) → SIPp callee. Each call is a full B2BUA
 * call: INVITE, 407, authenticated INVITE, a second INVITE to the registered callee, 180, 200, ACK on
 * both sides, a hold of HOLD_MS, BYE on both sides. Reports the rate held with 0 failed calls, setup
 * time (first INVITE to 200 at the caller, the 407 round trip included) and server CPU per call.
 *
 *   npm run bench:calls
 *   RATE=300 CALLS=18000 HOLD_MS=1000 npm run bench:calls
 *   SIP_TRACE=off npm run bench:calls    (the server keeps no SIP trace: what the trace costs)
 *
 * Alongside SIPp's setup time (which includes SIPp's own scheduling), the server's own part is
 * measured from its side: an authenticated INVITE in to the INVITE out to the callee ("routing"), and
 * the callee's 200 in to the 200 out to the caller ("answer"), each handled within one turn of the
 * event loop.
 *
 * Memory per concurrent call: hold calls long enough that their setup transactions have ended, and
 * weigh the heap while they are all up (MEASURE_AT_MS after the first call):
 *   RATE=20 CALLS=190 HOLD_MS=50000 MEASURE_AT_MS=44000 npm run bench:calls
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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
const calls = Number(process.env.CALLS ?? rate * 20);
const holdMs = Number(process.env.HOLD_MS ?? 500);
const limit = Number(process.env.LIMIT ?? 190);
const measureAtMs = process.env.MEASURE_AT_MS === undefined ? undefined : Number(process.env.MEASURE_AT_MS);
/** SIP_TRACE=off runs the server without its SIP trace, to measure what the trace costs. */
const sipTrace = process.env.SIP_TRACE !== 'off';
const scenarios = resolve(fileURLToPath(new URL('./scenarios', import.meta.url)));

// One calling and one called line; 200 is the most calls a line may hold (the configuration's limit).
const config = `
settings: { sipRealm: strowger }
lines:
  - { dn: '3001', maxCalls: 200, busyTrigger: 200 }
  - { dn: '3002', maxCalls: 200, busyTrigger: 200 }
devices:
  - { name: SEPBENCHCALLER, type: sip-phone, lines: ['3001'], sip: { username: '3001', password: 'bench-3001' } }
  - { name: SEPBENCHCALLEE, type: sip-phone, lines: ['3002'], sip: { username: '3002', password: 'bench-3002' } }
`;

const workDir = await mkdtemp(join(tmpdir(), 'strowger-bench-calls-'));
const callRecords: number[] = [];
/** Server-side handling times in ms: INVITE in → INVITE out, and 200 in → 200 out. */
const routing: number[] = [];
const answering: number[] = [];
let inviteInAt: bigint | undefined;
let okInAt: bigint | undefined;
const since = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
try {
  const strowger = await startBenchServer(workDir, config, {
    ...(sipTrace ? {} : { sipTrace: false }),
    callRecords: { write: (record) => callRecords.push(record.answeredAt === undefined ? 0 : 1) },
    sipObserver: {
      messageReceived: (message) => {
        if (message.kind === 'request' && message.method === 'INVITE' && message.hasHeader('Proxy-Authorization')) {
          inviteInAt = process.hrtime.bigint();
        } else if (message.kind === 'response' && message.status === 200 && message.cseq.method === 'INVITE') {
          okInAt = process.hrtime.bigint();
        }
      },
      messageSent: (message) => {
        if (message.kind === 'request' && message.method === 'INVITE' && inviteInAt !== undefined) {
          routing.push(since(inviteInAt));
          inviteInAt = undefined;
        } else if (message.kind === 'response' && message.status === 200 && message.cseq.method === 'INVITE') {
          if (okInAt !== undefined) answering.push(since(okInAt));
          okInAt = undefined;
        }
      },
    },
  });
  const server = `127.0.0.1:${strowger.addresses.sipUdp.port}`;

  // The callee: a SIPp UAS that answers every call, registered as phone 3002 at its port.
  const callee = await startSippCallee({ scenarios, workDir, server });

  console.log(`SIPp: ${calls} calls at ${rate}/s, hold ${holdMs} ms, at most ${limit} at once`);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let weighed: { calls: number; transactions: number; heap: number } | undefined;
  const weigh =
    measureAtMs === undefined
      ? undefined
      : setTimeout(() => {
          gc?.();
          weighed = {
            calls: strowger.engine.callCount,
            transactions: strowger.sipTransactionCount(),
            heap: process.memoryUsage().heapUsed,
          };
        }, measureAtMs);
  const cpuBefore = process.cpuUsage();
  const startedAt = process.hrtime.bigint();
  let peakCalls = 0;
  let peakHeap = 0;
  const sampler = setInterval(() => {
    peakCalls = Math.max(peakCalls, strowger.engine.callCount);
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    process.stdout.write(`  ${callRecords.length} calls done, ${strowger.engine.callCount} up\r`);
  }, 250);
  const caller = await runSipp(
    sippCallerArgs({
      scenarios,
      server,
      calls,
      rate,
      limit,
      holdMs,
      timeoutSeconds: Math.ceil(calls / rate) + 60,
      extra: ['-trace_err', '-trace_rtt', '-rtt_freq', '1'],
    }),
    workDir,
    (Math.ceil(calls / rate) + 90) * 1000,
  );
  clearInterval(sampler);
  if (weigh !== undefined) clearTimeout(weigh);
  const wallSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  callee.stop();
  await strowger.stop();

  const { successful, failed } = sippCallCounts(caller.output);
  const times: number[] = [];
  let errors = '';
  for (const file of await readdir(workDir)) {
    if (file.endsWith('_rtt.csv')) {
      for (const line of (await readFile(join(workDir, file), 'utf8')).split('\n').slice(1)) {
        const ms = Number(line.split(';')[1]);
        if (Number.isFinite(ms) && line.length > 0) times.push(ms);
      }
    }
    if (file.endsWith('_errors.log')) errors += await readFile(join(workDir, file), 'utf8');
  }
  times.sort((a, b) => a - b);
  console.log(
    `\nCall benchmark — Node ${process.version}, UDP, ${rate} calls/s offered, hold ${holdMs} ms, SIP trace ${sipTrace ? 'on' : 'off'}`,
  );
  console.log(`SIPp exit code                ${caller.code} (0 means every call succeeded)`);
  console.log(`successful / failed calls     ${successful} / ${failed}`);
  console.log(
    `calls per second              ${(successful / wallSeconds).toFixed(1)} over ${wallSeconds.toFixed(1)} s`,
  );
  console.log(
    `setup time (ms)               p50 ${percentile(times, 50).toFixed(1)}  p99 ${percentile(times, 99).toFixed(1)}  (${times.length} samples)`,
  );
  routing.sort((a, b) => a - b);
  answering.sort((a, b) => a - b);
  console.log(
    `server handling (ms)          INVITE in→out p50 ${percentile(routing, 50).toFixed(2)}  p99 ${percentile(routing, 99).toFixed(2)};  200 in→out p50 ${percentile(answering, 50).toFixed(2)}  p99 ${percentile(answering, 99).toFixed(2)}`,
  );
  console.log(
    `server CPU                    ${cpuSeconds.toFixed(2)} s: ${((cpuSeconds / successful) * 1000).toFixed(2)} ms per call`,
  );
  console.log(`peak concurrent calls         ${peakCalls}; peak heap ${(peakHeap / 1024 / 1024).toFixed(0)} MiB`);
  if (weighed !== undefined) {
    const perCall = weighed.calls === 0 ? Number.NaN : (weighed.heap - heapBefore) / weighed.calls;
    console.log(
      `heap per concurrent call      ${(perCall / 1024).toFixed(1)} KiB (${weighed.calls} calls up, ${weighed.transactions} SIP transactions live, heap ${(weighed.heap / 1024 / 1024).toFixed(0)} MiB vs ${(heapBefore / 1024 / 1024).toFixed(0)} MiB before${gc === undefined ? '; run with node --expose-gc' : ''})`,
    );
  }
  if (caller.code !== 0 || failed !== 0) {
    console.log(`\nSIPp reported failures:\n${errors.slice(0, 3000)}\n${caller.output.slice(-2500)}`);
    process.exitCode = 1;
  }
} finally {
  await rm(workDir, { recursive: true, force: true });
}
