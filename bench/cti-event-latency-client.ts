/**
 * The application side of the CTI event latency benchmark, in a process of its own so that the
 * server's work does not delay it and its work does not delay the server: opens PROVIDERS providers
 * through the SDK, each observing ADDRESS, and notes when each ConnAlertingEv on ADDRESS reaches a
 * listener (performance.timeOrigin + performance.now(): milliseconds since the epoch, sub-millisecond,
 * comparable with the server process's reading of the same clock). Talks to its parent over IPC:
 * "ready" once every observer is in place, then on "report" sends what it saw and exits.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { openProvider, type Provider } from '@strowger/sdk';

const url = process.env.CTI_URL ?? '';
const count = Number(process.env.PROVIDERS ?? 100);
const address = process.env.ADDRESS ?? '';
const now = (): number => performance.timeOrigin + performance.now();

/** For each call id, when each provider's listener was told ConnAlertingEv on the observed line. */
const received = new Map<string, number[]>();
const providers: Provider[] = [];
/** Every event any listener was told, for the volume the server had to send. */
let events = 0;
for (let i = 0; i < count; i++) {
  const provider = await openProvider({
    servers: [url],
    user: process.env.CTI_USER ?? '',
    password: process.env.CTI_PASSWORD ?? '',
    appInfo: `latency-bench-${i}`,
  });
  providers.push(provider);
  await provider.getAddress(address).addCallObserver((ev) => {
    events++;
    if (ev.type !== 'ConnAlertingEv' || ev.connection.address.name !== address) return;
    const at = now();
    const seen = received.get(ev.callId);
    if (seen === undefined) received.set(ev.callId, [at]);
    else seen.push(at);
  });
}
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
process.send?.({ kind: 'ready' });
const cpuBefore = process.cpuUsage();
loopDelay.enable();

process.on('message', (message: { kind: string }) => {
  if (message.kind !== 'report') return;
  loopDelay.disable();
  const cpu = process.cpuUsage(cpuBefore);
  Promise.all(providers.map((provider) => provider.shutdown())).then(
    () =>
      process.send?.(
        {
          kind: 'report',
          received: [...received],
          events,
          cpuSeconds: (cpu.user + cpu.system) / 1e6,
          loopDelayMs: {
            p50: loopDelay.percentile(50) / 1e6,
            p99: loopDelay.percentile(99) / 1e6,
            max: loopDelay.max / 1e6,
          },
        },
        () => process.exit(0),
      ),
    (error: unknown) => {
      console.error('the providers could not be shut down:', error);
      process.exit(1);
    },
  );
});
