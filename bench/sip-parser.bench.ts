/**
 * SIP parser benchmark: messages per second for parse, parse + typed access, and parse + serialize,
 * on one core, against the compiled code that ships (npm run bench:parser builds it first; node
 * --expose-gc adds heap bytes per parse).
 */
import { parseMessage, serializeMessage } from '../packages/server/dist/sip/message/index.js';
import { typical200, typicalInvite, typicalRegister } from '../packages/server/dist/sip/message/test-messages.js';

const durationMs = Number(process.env.BENCH_MS ?? 2000);

function measure(label: string, input: Buffer, work: (input: Buffer) => void): number {
  // Warm-up: half a second lets the JIT optimise this case before it is timed.
  const warmUntil = process.hrtime.bigint() + 500_000_000n;
  while (process.hrtime.bigint() < warmUntil) for (let i = 0; i < 1000; i++) work(input);
  let count = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(durationMs) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 1000; i++) work(input);
    count += 1000;
    now = process.hrtime.bigint();
  }
  const perSecond = Math.round(count / (Number(now - start) / 1e9));
  console.log(`${label.padEnd(44)} ${perSecond.toLocaleString('en-US').padStart(12)} msg/s`);
  return perSecond;
}

function heapPerParse(input: Buffer): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return undefined;
  const iterations = 20_000;
  const keep: unknown[] = new Array(iterations);
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < iterations; i++) keep[i] = parseMessage(input);
  const after = process.memoryUsage().heapUsed;
  keep.length = 0;
  return Math.round((after - before) / iterations);
}

const invite = Buffer.from(typicalInvite);
const register = Buffer.from(typicalRegister);
const ok = Buffer.from(typical200);

console.log(`SIP parser benchmark — Node ${process.version}, ${durationMs} ms per case, one core`);
console.log(`INVITE ${invite.length} bytes, 200 OK ${ok.length} bytes, REGISTER ${register.length} bytes\n`);
measure('parse INVITE', invite, (b) => parseMessage(b));
measure('parse 200 OK (SDP)', ok, (b) => parseMessage(b));
measure('parse REGISTER', register, (b) => parseMessage(b));
measure('parse INVITE + via/from/to/cseq/callId', invite, (b) => {
  const m = parseMessage(b);
  void m.via;
  void m.from;
  void m.to;
  void m.cseq;
  void m.callId;
});
measure('parse + serialize INVITE', invite, (b) => serializeMessage(parseMessage(b)));
measure('parse + serialize 200 OK', ok, (b) => serializeMessage(parseMessage(b)));
const heap = heapPerParse(invite);
console.log(
  `\nheap retained per parsed INVITE: ${heap === undefined ? 'run with node --expose-gc to measure' : `${heap} bytes`}`,
);
