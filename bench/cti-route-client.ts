/**
 * The application side of the route benchmark, in a process of its own: opens one provider through
 * the SDK, registers a route callback on ADDRESS and answers every route request by selecting ROUTE.
 * Talks to its parent over IPC: "ready" once the callback is registered, then on "report" sends its
 * counts and CPU and exits.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openProvider } from '@strowger/sdk';

const provider = await openProvider({
  servers: [process.env.CTI_URL ?? ''],
  user: process.env.CTI_USER ?? '',
  password: process.env.CTI_PASSWORD ?? '',
  appInfo: 'route-bench',
});
const route = process.env.ROUTE ?? '';
let routed = 0;
let failed = 0;
await provider.getAddress(process.env.ADDRESS ?? '').registerRouteCallback(
  {
    routeEvent: async (session) => {
      try {
        await session.selectRoute([route]);
        routed++;
      } catch {
        failed++;
      }
    },
  },
  { routeSelectTimeoutMs: 5000 },
);
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
const cpuBefore = process.cpuUsage();
process.send?.({ kind: 'ready' });

process.on('message', (message: { kind: string }) => {
  if (message.kind !== 'report') return;
  loopDelay.disable();
  const cpu = process.cpuUsage(cpuBefore);
  provider.shutdown().then(
    () =>
      process.send?.(
        {
          kind: 'report',
          routed,
          failed,
          cpuSeconds: (cpu.user + cpu.system) / 1e6,
          loopDelayMs: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
        },
        () => process.exit(0),
      ),
    () => process.exit(1),
  );
});
