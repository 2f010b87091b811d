/**
 * Concurrent media sessions: how many paced RTP sessions one process serves with a pacing jitter
 * p99 under 2 ms. For each step of SESSIONS (a comma-separated list), the process opens that many
 * RtpSessions on loopback UDP (the @strowger/media/node transport, one process-wide pacing clock),
 * each playing the shipped music on hold to its own far end in a child process, which sends 20 ms
 * of audio back to each session all the while (an IVR port receives as it sends). After WARMUP_S
 * seconds it measures for STEP_S seconds.
 *
 * Pacing jitter is measured in the sessions' process, as each RTP packet is handed to the socket:
 * its send time against the time its RTP timestamp says it is due (the first measured packet of the
 * session sets the origin; the session's median offset is its phase, not jitter). The far ends
 * measure the same on arrival, which adds the kernel and their own process. Also printed: the
 * frames the pacing clock had to send late at once (caught up) or skip, the event-loop delay and
 * the CPU the process used. Stepping stops at the first step over 2 ms (ALL_STEPS=1 runs them all).
 *
 *   npm run bench:media
 *   SESSIONS=100,250,500,750,1000 STEP_S=10 WARMUP_S=2 npm run bench:media
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  EncodedAudio,
  RtpSession,
  defaultPacingClock,
  readWav,
  type DatagramAddress,
  type DatagramTransport,
} from '@strowger/media';
import { openUdpPair, type UdpTransport } from '@strowger/media/node';
import { percentile } from './bench-support.js';

const steps = (process.env.SESSIONS ?? '100,250,500,750,1000').split(',').map(Number);
const stepSeconds = Number(process.env.STEP_S ?? 10);
const warmupSeconds = Number(process.env.WARMUP_S ?? 2);
const allSteps = process.env.ALL_STEPS === '1';
const limitMs = 2;
const here = fileURLToPath(new URL('.', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A transport that notes, for each audio packet it sends, how far its send time is from its RTP time. */
class MeasuredTransport implements DatagramTransport {
  readonly #inner: UdpTransport;
  readonly deviations: number[] = [];
  #base: { sent: number; timestamp: number } | undefined;
  measuring = false;

  constructor(inner: UdpTransport) {
    this.#inner = inner;
  }

  get local(): DatagramAddress {
    return this.#inner.local;
  }

  get onDatagram(): DatagramTransport['onDatagram'] {
    return this.#inner.onDatagram;
  }

  set onDatagram(handler: DatagramTransport['onDatagram']) {
    this.#inner.onDatagram = handler;
  }

  send(data: Uint8Array, to: DatagramAddress): void {
    if (this.measuring && (data[1]! & 0x7f) === 0) {
      const sent = performance.now();
      const timestamp = ((data[4]! << 24) | (data[5]! << 16) | (data[6]! << 8) | data[7]!) >>> 0;
      if (this.#base === undefined) this.#base = { sent, timestamp };
      else this.deviations.push(sent - this.#base.sent - ((timestamp - this.#base.timestamp) >>> 0) / 8);
    }
    this.#inner.send(data, to);
  }

  close(): void {
    this.#inner.close();
  }
}

interface FarEndReport {
  kind: 'report';
  jitter: number[];
  packets: number;
  loopDelayP99Ms: number;
}

function farEnds(count: number): Promise<{ child: ChildProcess; ports: number[] }> {
  const child = fork(join(here, 'media-far-ends.ts'), [], {
    execArgv: [...process.execArgv.filter((arg) => arg !== '--import' && arg !== 'tsx'), '--import', 'tsx'],
    env: { ...process.env, COUNT: String(count) },
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (message: { kind: string; ports: number[] }) => resolve({ child, ports: message.ports }));
  });
}

const music = readWav(await readFile(join(here, '../packages/server/media/music-on-hold.wav')), 'music-on-hold.wav');
/** Long enough to play through the warm-up and the measurement without a restart. */
const promptSeconds = warmupSeconds + stepSeconds + 5;
const prompt = new Int16Array(promptSeconds * 8000);
for (let at = 0; at < prompt.length; at += music.length) prompt.set(music.subarray(0, prompt.length - at), at);
/** Encoded once and shared, as an IVR shares its prompts between calls. */
const encodedPrompt = new EncodedAudio(prompt);

const ms = (value: number) => (Number.isNaN(value) ? '-' : value.toFixed(2));
console.log(
  `media sessions: pacing jitter per step (${stepSeconds} s measured after ${warmupSeconds} s warm-up; limit p99 < ${limitMs} ms)`,
);
console.log(
  'sessions | send jitter ms p50 / p99 / max | arrival jitter ms p50 / p99 | caught up / skipped frames | loop delay p99 ms | CPU % | packets sent / received',
);
let served = 0;
for (const count of steps) {
  const { child, ports } = await farEnds(count);
  const pacing = defaultPacingClock();
  const transports: MeasuredTransport[] = [];
  const sessions: RtpSession[] = [];
  for (const port of ports) {
    const { rtp, rtcp } = await openUdpPair('127.0.0.1');
    const measured = new MeasuredTransport(rtp);
    transports.push(measured);
    const session = new RtpSession({ rtp: measured, rtcp, remote: { address: '127.0.0.1', port }, symmetric: false });
    sessions.push(session);
    // The session closes at the end of the step, which rejects the prompt still playing.
    session.play(encodedPrompt).catch(() => undefined);
  }
  child.send({ kind: 'target', ports: transports.map((t) => t.local.port) });
  await sleep(warmupSeconds * 1000);

  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  const statsBefore = pacing.stats;
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  for (const transport of transports) transport.measuring = true;
  child.send({ kind: 'measure' });
  loopDelay.enable();
  await sleep(stepSeconds * 1000);
  loopDelay.disable();
  for (const transport of transports) transport.measuring = false;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuPercent = ((cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore)) * 100;
  const statsAfter = pacing.stats;
  const received = sessions.reduce((sum, session) => sum + session.stats.packetsReceived, 0);
  const sentPackets = transports.reduce((sum, t) => sum + t.deviations.length + 1, 0);

  const report = new Promise<FarEndReport>((resolve) =>
    child.once('message', (message: FarEndReport) => resolve(message)),
  );
  child.send({ kind: 'report' });
  const arrival = (await report).jitter.sort((a, b) => a - b);
  for (const session of sessions) session.close();

  const send = transports
    .flatMap(({ deviations }) => {
      const sorted = [...deviations].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
      return deviations.map((d) => Math.abs(d - median));
    })
    .sort((a, b) => a - b);
  const p99 = percentile(send, 99);
  const skipped = statsAfter.skipped - statsBefore.skipped;
  console.log(
    [
      String(count).padStart(8),
      `${ms(percentile(send, 50))} / ${ms(p99)} / ${ms(send.at(-1) ?? Number.NaN)}`,
      `${ms(percentile(arrival, 50))} / ${ms(percentile(arrival, 99))}`,
      `${statsAfter.caughtUp - statsBefore.caughtUp} / ${skipped}`,
      ms(loopDelay.percentile(99) / 1e6),
      cpuPercent.toFixed(0),
      `${sentPackets} / ${received}`,
    ].join(' | '),
  );
  const passed = p99 < limitMs && skipped === 0;
  if (passed) served = count;
  await sleep(500);
  if (!passed && !allSteps) break;
}
console.log(`served with send jitter p99 under ${limitMs} ms: ${served} concurrent sessions (aim: 500)`);
