/**
 * A small IVR-shaped application for tests that must kill one: it registers a route callback on
 * ROUTE_POINT and a CTI port PORT (MediaPort), sends each call to the port while it is free and keeps
 * the others waiting at the route point (a queue), plays silence to the caller, and says "ready" and
 * each call it routed over IPC.
 */
import { openProvider, type RouteSession } from '../../src/index.js';
import { MediaPort } from '../../src/node/index.js';

const provider = await openProvider({
  servers: [process.env.CTI_URL ?? ''],
  user: process.env.CTI_USER ?? '',
  password: process.env.CTI_PASSWORD ?? '',
  appInfo: 'route-port-app',
});
const port = await MediaPort.open(provider, process.env.PORT ?? '');
const portDn = port.terminal.addresses[0]?.name ?? '';
const waiting: RouteSession[] = [];
const route = async (session: RouteSession): Promise<void> => {
  await session.selectRoute([portDn]);
  process.send?.({ kind: 'routed', callId: session.callId });
};
port.onCall(async (call) => {
  await call.ended;
  const next = waiting.shift();
  if (next !== undefined) await route(next);
});
await provider.getAddress(process.env.ROUTE_POINT ?? '').registerRouteCallback(
  {
    routeEvent: async (session) => {
      if (port.busy) {
        waiting.push(session);
        process.send?.({ kind: 'queued', callId: session.callId });
        return;
      }
      await route(session);
    },
  },
  { routeSelectTimeoutMs: 60_000 },
);
process.send?.({ kind: 'ready' });
