/**
 * CTI provider open, end to end over the wire: a WebSocket client sends hello and provider.open for
 * an application user with 10,000 controlled devices and waits for the result (password check, the
 * domain with its exclusions, the protocol's view of every terminal and address, JSON on the wire).
 * The CTI server and provider service are the compiled ones that ship; the engine is a stand-in with
 * no call in progress, which is what the engine's own snapshots cost on an idle system.
 */
import WebSocket from 'ws';
import { CtiServer, ProviderService } from '../packages/server/dist/cti/index.js';
import { LoginThrottle, TypedEmitter, silentLogger, systemClock } from '../packages/server/dist/core/index.js';
import { hashPassword } from '../packages/server/dist/store/index.js';
import type { SwitchEvents } from '../packages/server/dist/switch/index.js';
import { ctiCluster } from './cti-cluster.js';

const runs = Number(process.env.BENCH_RUNS ?? 10);
const devices = Number(process.env.BENCH_DEVICES ?? 10_000);

function request(
  socket: WebSocket,
  id: number,
  method: string,
  params: unknown,
): Promise<{ result?: unknown; bytes: number }> {
  return new Promise((resolve, reject) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const frame = JSON.parse(String(data)) as { kind: string; id?: number; result?: unknown; error?: unknown };
      if (frame.kind !== 'response' || frame.id !== id) return;
      socket.off('message', onMessage);
      if (frame.error !== undefined) reject(new Error(JSON.stringify(frame.error)));
      else resolve({ result: frame.result, bytes: String(data).length });
    };
    socket.on('message', onMessage);
    socket.send(JSON.stringify({ kind: 'request', id, method, params }));
  });
}

const inService = new Set<string>();
const engine = {
  events: new TypedEmitter<SwitchEvents>(),
  snapshotDevice: (name: string) => ({
    engineSeq: 0,
    name,
    type: 'sip-phone' as const,
    inService: inService.has(name),
    restricted: false,
    lines: [],
    calls: [],
  }),
  snapshotLine: () => undefined,
  snapshotCall: () => undefined,
};
const providers = new ProviderService({
  clock: systemClock,
  logger: silentLogger,
  engine,
  configuration: ctiCluster({ devices, controlled: devices, passwordHash: await hashPassword('monitor-pw') }),
  loginThrottle: new LoginThrottle({ clock: systemClock, service: 'cti' }),
  graceMs: 1000,
  ringSize: 1000,
});
const server = await CtiServer.start({
  host: '127.0.0.1',
  port: 0,
  clock: systemClock,
  logger: silentLogger,
  providers,
  serverName: 'Strowger/bench',
  limits: { maxFrameBytes: 65_536 },
});
const times: number[] = [];
let size = 0;
for (let run = 0; run < runs; run++) {
  const socket = new WebSocket(`ws://127.0.0.1:${server.address.port}`, { maxPayload: 256 * 1024 * 1024 });
  await new Promise((resolve) => socket.once('open', resolve));
  await request(socket, 1, 'hello', { protocols: [1] });
  const start = process.hrtime.bigint();
  const opened = await request(socket, 2, 'provider.open', { user: 'monitor', password: 'monitor-pw' });
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
  size = opened.bytes;
  socket.close();
}
const sorted = [...times].sort((a, b) => a - b);
console.log(
  `provider.open, ${devices.toLocaleString('en-US')} controlled devices: median ${sorted[Math.floor(runs / 2)]?.toFixed(0)} ms, ` +
    `fastest ${sorted[0]?.toFixed(0)} ms, slowest ${sorted.at(-1)?.toFixed(0)} ms over ${runs} runs; result ${(size / 1024 / 1024).toFixed(1)} MiB`,
);
await server.close();
providers.close();
