/**
 * The far ends of the media sessions benchmark, in a process of their own so that their work does
 * not delay the sessions measured: COUNT UDP sockets on loopback, each sending a 20 ms G.711 frame
 * every 20 ms to its session (so every session receives as an IVR port does) and noting when each
 * of its session's packets arrives, against the packet's RTP timestamp. Talks to its parent over
 * IPC: "ready" with the ports, then on "target" starts sending, on "measure" starts measuring, and
 * on "report" sends what it saw and exits.
 */
import { createSocket, type Socket } from 'node:dgram';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { PacingClock, RtpSender, encodeG711 } from '@strowger/media';

const count = Number(process.env.COUNT ?? 100);
// Callers' phones are independent: their 20 ms do not line up, so the far ends' sends are spread too.
const pacing = new PacingClock({ maxCatchUpFrames: 1000, spreadStarts: true });
const frame = encodeG711(
  'pcmu',
  Int16Array.from({ length: 160 }, (_, i) => Math.round(3000 * Math.sin(i / 3))),
);

interface FarEnd {
  readonly socket: Socket;
  /** Arrival minus RTP time, relative to the first packet measured (ms). */
  readonly deviations: number[];
  base: { arrived: number; timestamp: number } | undefined;
}

const farEnds: FarEnd[] = [];
let measuring = false;
for (let i = 0; i < count; i++) {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const farEnd: FarEnd = { socket, deviations: [], base: undefined };
  socket.on('message', (data) => {
    if (!measuring || data.length < 12 || (data[1]! & 0x7f) !== 0) return;
    const arrived = performance.now();
    const timestamp = data.readUInt32BE(4);
    if (farEnd.base === undefined) farEnd.base = { arrived, timestamp };
    else farEnd.deviations.push(arrived - farEnd.base.arrived - ((timestamp - farEnd.base.timestamp) >>> 0) / 8);
  });
  farEnds.push(farEnd);
}

const loopDelay = monitorEventLoopDelay({ resolution: 1 });
const stops: (() => void)[] = [];
process.on('message', (message: { kind: string; ports?: number[] }) => {
  if (message.kind === 'target') {
    message.ports!.forEach((port, i) => {
      const { socket } = farEnds[i]!;
      const sender = new RtpSender();
      stops.push(pacing.subscribe((n) => socket.send(sender.packet(0, n * 160, frame), port, '127.0.0.1')));
    });
  } else if (message.kind === 'measure') {
    measuring = true;
    loopDelay.enable();
  } else if (message.kind === 'report') {
    for (const stop of stops) stop();
    loopDelay.disable();
    // Each far end's own offset (its median) is its phase, not jitter.
    const jitter = farEnds.flatMap(({ deviations }) => {
      const sorted = [...deviations].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
      return deviations.map((d) => Math.abs(d - median));
    });
    const packets = farEnds.reduce((sum, farEnd) => sum + farEnd.deviations.length + (farEnd.base ? 1 : 0), 0);
    process.send!({ kind: 'report', jitter, packets, loopDelayP99Ms: loopDelay.percentile(99) / 1e6 }, () => {
      for (const { socket } of farEnds) socket.close();
      process.exit(0);
    });
  }
});
// A benchmark that dies must not leave its far ends running.
process.on('disconnect', () => process.exit(0));
process.send!({ kind: 'ready', ports: farEnds.map(({ socket }) => socket.address().port) });
