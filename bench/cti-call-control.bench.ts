/**
 * CTI call control: request → result latency of answer, hold, unhold and blind transfer through the
 * SDK, and the click-to-dial rate, against Strowger in this process with its embedded database. The
 * phones are Strowger's scripted test phones (SIP over UDP on loopback): in each of CALL_GROUPS groups,
 * phone A calls phone B, which rings until the application answers it (a talk event); the application
 * then holds and retrieves B and transfers the call to phone C, which answers at once. Then every
 * group's A clicks-to-dial its C, all groups at once, for ROUNDS rounds. A result counts from the
 * SDK request to its promise resolving, which the server sends once the operation took effect (the
 * phone answered, the hold's re-INVITEs were answered, the call was dialled), so the phones' own
 * answer time is inside the figure; on loopback it is a few hundred microseconds.
 *
 * With BACKGROUND_RATE (calls per second, default 100) SIPp places that many other calls a second
 * through the same server all the while (line 3001 to a SIPp that answers on 3002, each held
 * 200 ms), so the figures are those of a server also busy with ordinary calls; 0 measures it idle.
 *
 *   npm run bench:cti-control
 *   CALL_GROUPS=40 ROUNDS=10 BACKGROUND_RATE=0 npm run bench:cti-control
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openProvider, type CallEvent, type Provider, type TerminalConnection } from '../packages/sdk/dist/index.js';
import { TestPhone } from '../packages/server/test/support/test-phone.js';
import { percentile, sippCallerArgs, startBenchServer, startSippCallee } from './bench-support.js';

const groups = Number(process.env.CALL_GROUPS ?? 20);
const rounds = Number(process.env.ROUNDS ?? 5);
const backgroundRate = Number(process.env.BACKGROUND_RATE ?? 100);
const scenarios = resolve(fileURLToPath(new URL('.', import.meta.url)), 'scenarios');
const dn = (group: number, role: 0 | 1 | 2): string => String(4000 + group * 3 + role);
const numbers = Array.from({ length: groups }, (_, g) => [dn(g, 0), dn(g, 1), dn(g, 2)]).flat();

const config = `
settings: { sipRealm: strowger }
lines:
${numbers.map((n) => `  - { dn: '${n}', maxCalls: 4, busyTrigger: 4 }`).join('\n')}
  - { dn: '3001', maxCalls: 200, busyTrigger: 200 }
  - { dn: '3002', maxCalls: 200, busyTrigger: 200 }
devices:
${numbers.map((n) => `  - { name: SEPB${n}, type: sip-phone, lines: ['${n}'], sip: { username: '${n}', password: 'pw-${n}' } }`).join('\n')}
  - { name: SEPBENCHCALLER, type: sip-phone, lines: ['3001'], sip: { username: '3001', password: 'bench-3001' } }
  - { name: SEPBENCHCALLEE, type: sip-phone, lines: ['3002'], sip: { username: '3002', password: 'bench-3002' } }
applicationUsers:
  - { userId: control, password: control-bench, devices: [${numbers.map((n) => `SEPB${n}`).join(', ')}], groups: ['Standard CTI Enabled'] }
`;

const latencies: Record<'answer' | 'hold' | 'unhold' | 'transfer' | 'connect', number[]> = {
  answer: [],
  hold: [],
  unhold: [],
  transfer: [],
  connect: [],
};

async function timed<T>(kind: keyof typeof latencies, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  latencies[kind].push(performance.now() - started);
  return result;
}

/** Resolves with the first event `match` accepts, from now on. */
function next(seen: CallEvent[], match: (ev: CallEvent) => boolean, timeoutMs = 5000): Promise<CallEvent> {
  const from = seen.length;
  const until = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = (): void => {
      const found = seen.slice(from).find(match);
      if (found !== undefined) resolve(found);
      else if (Date.now() > until) reject(new Error('the event did not come'));
      else setTimeout(poll, 1);
    };
    poll();
  });
}

const workDir = await mkdtemp(join(tmpdir(), 'strowger-bench-cti-control-'));
const phones: TestPhone[] = [];
const background: ChildProcess[] = [];
let stopCallee: () => void = () => undefined;
let provider: Provider | undefined;
let failures = 0;
try {
  const strowger = await startBenchServer(workDir, config);
  const sipPort = strowger.addresses.sipUdp.port;
  if (backgroundRate > 0) {
    // The ordinary calls around the measured ones: a SIPp that answers on 3002, and one calling it.
    const server = `127.0.0.1:${sipPort}`;
    const callee = await startSippCallee({ scenarios, workDir, server });
    stopCallee = () => callee.stop();
    const args = sippCallerArgs({
      scenarios,
      server,
      calls: backgroundRate * 3600,
      rate: backgroundRate,
      limit: 400,
      holdMs: 200,
      timeoutSeconds: 3600,
    });
    background.push(spawn('sipp', args, { cwd: workDir, stdio: 'ignore' }));
    await new Promise((done) => setTimeout(done, 3000)); // the background reaches its rate first
  }
  for (const n of numbers) phones.push(await TestPhone.start({ dn: n, password: `pw-${n}`, serverPort: sipPort }));
  provider = await openProvider({
    servers: [`ws://127.0.0.1:${strowger.addresses.cti.port}`],
    user: 'control',
    password: 'control-bench',
  });
  const seen: CallEvent[] = [];
  for (const n of numbers) await provider.getAddress(n).addCallObserver((ev) => void seen.push(ev));
  const phone = (group: number, role: 0 | 1 | 2): TestPhone => phones[group * 3 + role] as TestPhone;

  // Answer, hold, unhold and transfer, one group after the other (each request alone in flight).
  for (let round = 0; round < rounds; round++) {
    for (let g = 0; g < groups; g++) {
      const [a, b, c] = [phone(g, 0), phone(g, 1), phone(g, 2)];
      b.incoming = 'ring-until-talk';
      const ringing = next(seen, (ev) => ev.type === 'CallCtlTermConnRingingEv' && ev.terminal === `SEPB${b.dn}`);
      const placed = a.call(b.dn);
      const ev = await ringing;
      if (!('terminalConnection' in ev)) throw new Error('a ringing event without its terminal connection');
      const tc: TerminalConnection = ev.terminalConnection;
      try {
        await timed('answer', () => tc.answer());
        const call = await placed;
        await timed('hold', () => tc.hold());
        await timed('unhold', () => tc.unhold());
        const reached = c.calls.length + 1;
        await timed('transfer', () => tc.connection.call.transfer(c.dn, { controller: tc }));
        while (c.calls.length < reached) await new Promise((r) => setTimeout(r, 1));
        await call.hangUp();
      } catch (error) {
        failures += 1;
        console.error(error);
      }
      while (provider.calls.length > 0) await new Promise((r) => setTimeout(r, 1));
    }
  }
  for (let g = 0; g < groups; g++) phone(g, 1).incoming = 'answer';

  // Click-to-dial: every group's A calls its C at once, ROUNDS times.
  const started = performance.now();
  for (let round = 0; round < rounds; round++) {
    const made = await Promise.allSettled(
      Array.from({ length: groups }, (_, g) =>
        timed('connect', () => provider!.createCall().connect(`SEPB${dn(g, 0)}`, dn(g, 0), dn(g, 2))),
      ),
    );
    failures += made.filter((m) => m.status === 'rejected').length;
    for (const call of provider.calls) await call.drop().catch(() => undefined);
    while (provider.calls.length > 0) await new Promise((r) => setTimeout(r, 1));
  }
  const clickSeconds = (performance.now() - started) / 1000;

  console.log(
    `CTI call control, ${groups} groups × ${rounds} rounds, ${failures} failures; ${backgroundRate} other calls/s in the background; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  for (const [kind, values] of Object.entries(latencies)) {
    const sorted = [...values].sort((x, y) => x - y);
    console.log(
      `${kind.padEnd(9)} n=${String(sorted.length).padStart(5)}  p50 ${percentile(sorted, 50).toFixed(2)} ms  p99 ${percentile(sorted, 99).toFixed(2)} ms`,
    );
  }
  console.log(
    `click-to-dial: ${latencies.connect.length} calls established in ${clickSeconds.toFixed(1)} s, ` +
      `${(latencies.connect.length / clickSeconds).toFixed(1)} per second (drop included)`,
  );
  for (const child of background.splice(0)) child.kill('SIGKILL'); // on SIGTERM SIPp waits for its calls
  stopCallee();
  await provider.shutdown();
  provider = undefined;
  for (const p of phones.splice(0)) await p.close();
  await strowger.stop();
} finally {
  for (const child of background) child.kill('SIGKILL');
  stopCallee();
  await provider?.shutdown().catch(() => undefined);
  for (const p of phones) await p.close().catch(() => undefined);
  await rm(workDir, { recursive: true, force: true });
}
if (failures > 0) process.exitCode = 1;
