/**
 * Registration benchmark: SIPp registers phones with digest authentication against a Strowger running
 * in this process (REGISTER → 401 → REGISTER with credentials → 200, a new Call-ID each time), with a
 * configuration of PHONES phones loaded. DRIVERS SIPp processes run at once, each re-registering its
 * own phone. Reports registrations per second, server CPU per registration, service times, failures.
 *
 *   npm run bench:register
 *   PHONES=5000 DRIVERS=4 REGISTRATIONS=40000 RATE=3000 LIMIT=200 TRANSPORT=tcp npm run bench:register
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session } from 'node:inspector/promises';
import { percentile, runSipp, sippCallCounts, startBenchServer } from './bench-support.js';
import type { SipRequest, SipResponse } from '../packages/server/dist/sip/index.js';

const phones = Number(process.env.PHONES ?? 1000);
const registrations = Number(process.env.REGISTRATIONS ?? 20_000);
const rate = Number(process.env.RATE ?? 2000);
const drivers = Math.max(1, Math.min(Number(process.env.DRIVERS ?? 4), phones));
const limit = Number(process.env.LIMIT ?? 200);
const transport = process.env.TRANSPORT === 'tcp' ? 'tcp' : 'udp';
const scenario = resolve(fileURLToPath(new URL('./scenarios/register-phone.xml', import.meta.url)));

function phoneConfig(count: number): string {
  const lines: string[] = ['settings: { sipRealm: strowger }', 'lines:'];
  for (let i = 0; i < count; i++) lines.push(`  - { dn: '${20000 + i}' }`);
  lines.push('devices:');
  for (let i = 0; i < count; i++) {
    const dn = 20000 + i;
    lines.push(
      `  - { name: SEP0000000${dn}, type: sip-phone, lines: ['${dn}'], sip: { username: '${dn}', password: 'bench-${dn}' } }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const workDir = await mkdtemp(join(tmpdir(), 'strowger-bench-register-'));
try {
  // Time each REGISTER from its arrival to the 200 that answers it, inside the server.
  const arrivals = new Map<string, bigint>();
  const serviceTimesUs: number[] = [];
  let firstOkAt: bigint | undefined;
  let lastOkAt: bigint | undefined;
  let okCount = 0;
  let challenges = 0;
  let otherFinals = 0;
  const key = (m: SipRequest | SipResponse): string => `${m.callId} ${m.cseq.seq}`;

  console.log(`applying a configuration of ${phones} phones…`);
  const strowger = await startBenchServer(workDir, phoneConfig(phones), {
    sipObserver: {
      messageReceived(message) {
        if (message.kind === 'request' && message.method === 'REGISTER')
          arrivals.set(key(message), process.hrtime.bigint());
      },
      messageSent(message) {
        if (message.kind !== 'response' || message.cseq.method !== 'REGISTER') return;
        const now = process.hrtime.bigint();
        const arrived = arrivals.get(key(message));
        if (arrived !== undefined) {
          serviceTimesUs.push(Number(now - arrived) / 1000);
          arrivals.delete(key(message));
        }
        if (message.status === 200) {
          okCount++;
          firstOkAt ??= now;
          lastOkAt = now;
        } else if (message.status === 401) challenges++;
        else if (message.status >= 200) otherFinals++;
      },
    },
  });

  const port = transport === 'udp' ? strowger.addresses.sipUdp.port : strowger.addresses.sipTcp.port;
  console.log(
    `SIPp: ${registrations} registrations by ${drivers} phones over ${transport}, ${rate}/s offered, at most ${limit} at once`,
  );
  // PROFILE=file.cpuprofile records where the server spends its CPU during the run (not at start-up).
  const profiler = process.env.PROFILE === undefined ? undefined : new Session();
  profiler?.connect();
  await profiler?.post('Profiler.enable');
  await profiler?.post('Profiler.start');
  (globalThis as { gc?: () => void }).gc?.();
  const startHeapMiB = process.memoryUsage().heapUsed / 1024 / 1024;
  const cpuBefore = process.cpuUsage();
  const startedAt = process.hrtime.bigint();
  const progress = setInterval(() => process.stdout.write(`  ${okCount} registered\r`), 1000);
  const perDriver = Math.ceil(registrations / drivers);
  const runs = await Promise.all(
    Array.from({ length: drivers }, async (_, index) => {
      const dn = String(20000 + index);
      const dir = join(workDir, `sipp-${dn}`);
      await mkdir(dir);
      const run = await runSipp(
        [
          '-sf',
          scenario,
          '-s',
          dn,
          '-au',
          dn,
          '-ap',
          `bench-${dn}`,
          '-m',
          String(perDriver),
          '-r',
          String(Math.max(1, Math.round(rate / drivers))),
          '-l',
          String(Math.max(1, Math.round(limit / drivers))),
          '-i',
          '127.0.0.1',
          '-p',
          '0',
          '-t',
          transport === 'udp' ? 'u1' : 't1',
          '-nostdin',
          '-trace_err',
          '-timeout',
          `${process.env.SIPP_TIMEOUT ?? 300}s`,
          '-timeout_error',
          `127.0.0.1:${port}`,
        ],
        dir,
        (Number(process.env.SIPP_TIMEOUT ?? 300) + 30) * 1000,
      );
      let errors = '';
      for (const file of await readdir(dir)) {
        if (file.endsWith('_errors.log')) errors += await readFile(join(dir, file), 'utf8');
      }
      return { ...run, errors, ...sippCallCounts(run.output) };
    }),
  );
  clearInterval(progress);
  if (profiler !== undefined && process.env.PROFILE !== undefined) {
    const { profile } = await profiler.post('Profiler.stop');
    await writeFile(process.env.PROFILE, JSON.stringify(profile));
    profiler.disconnect();
  }
  const wallSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const { rss, heapUsed } = process.memoryUsage();
  const rssMiB = rss / 1024 / 1024;
  const heapMiB = heapUsed / 1024 / 1024;
  // Completed transactions live on for Timer J (64·T1 = 32 s over UDP) and nonces until they expire;
  // once those have passed, the heap must be back near where it started: nothing leaks per REGISTER.
  const settleSeconds = Number(process.env.SETTLE ?? 40);
  const gc = (globalThis as { gc?: () => void }).gc;
  const liveTransactions = strowger.sipTransactionCount();
  process.stdout.write(`waiting ${settleSeconds} s for transactions and nonces to expire…\n`);
  await new Promise((done) => setTimeout(done, settleSeconds * 1000));
  gc?.();
  const settledHeapMiB = process.memoryUsage().heapUsed / 1024 / 1024;
  const settledTransactions = strowger.sipTransactionCount();
  const registered = strowger.listDevices().filter((device) => device.registration.state === 'registered').length;
  const expectedRegistered = drivers;
  await strowger.stop();

  const failed = runs.reduce((sum, run) => sum + run.failed, 0);
  const successful = runs.reduce((sum, run) => sum + run.successful, 0);
  const allPassed = runs.every((run) => run.code === 0) && failed === 0 && successful === drivers * perDriver;

  const sorted = serviceTimesUs.sort((a, b) => a - b);
  const okSpanSeconds = firstOkAt !== undefined && lastOkAt !== undefined ? Number(lastOkAt - firstOkAt) / 1e9 : 0;
  const perSecond = okSpanSeconds > 0 ? Math.round((okCount - 1) / okSpanSeconds) : 0;

  console.log(
    `\nRegistration benchmark — Node ${process.version}, ${transport}, ${phones} phones configured, ${drivers} SIPp processes, ${rate}/s offered, at most ${limit} at once`,
  );
  console.log(
    `SIPp exit codes               ${runs.map((run) => run.code).join(' ')} (0 means every registration succeeded)`,
  );
  console.log(`SIPp successful / failed      ${successful} / ${failed}`);
  console.log(`200 OK sent / 401 sent / other final   ${okCount} / ${challenges} / ${otherFinals}`);
  console.log(`phones registered at the end  ${registered} (expected ${expectedRegistered})`);
  console.log(
    `registrations per second      ${perSecond.toLocaleString('en-US')} (first to last 200, ${okSpanSeconds.toFixed(2)} s)`,
  );
  console.log(
    `server CPU                    ${cpuSeconds.toFixed(2)} s over ${wallSeconds.toFixed(2)} s wall: ${Math.round(okCount / cpuSeconds).toLocaleString('en-US')} registrations per CPU-second`,
  );
  console.log(
    `REGISTER service time (µs)    p50 ${percentile(sorted, 50).toFixed(0)}  p99 ${percentile(sorted, 99).toFixed(0)}  max ${(sorted.at(-1) ?? 0).toFixed(0)}`,
  );
  console.log(
    `memory right after the run     ${rssMiB.toFixed(0)} MiB resident (embedded database included), ${heapMiB.toFixed(0)} MiB JavaScript heap, ${liveTransactions} live transactions`,
  );
  console.log(
    `heap ${settleSeconds} s later             ${settledHeapMiB.toFixed(0)} MiB (before the run ${startHeapMiB.toFixed(0)} MiB${gc === undefined ? '; run with node --expose-gc for exact figures' : ''}), ${settledTransactions} live transactions`,
  );
  if (!allPassed) {
    for (const run of runs.filter((r) => r.code !== 0)) {
      console.log(`\nSIPp reported failures:\n${run.errors.slice(0, 4000)}\n${run.output.slice(-3000)}`);
    }
    process.exitCode = 1;
  }
} finally {
  await rm(workDir, { recursive: true, force: true });
}
