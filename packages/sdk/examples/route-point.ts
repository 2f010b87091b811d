import { openProvider } from '@strowger/sdk';

// A router on a CTI route point: callers dial its number (the pilot), and for each call the
// application chooses where it goes. Here: callers from the VIP range reach the desk first; everyone
// else the first free of the agents, with the desk as the fallback.
const provider = await openProvider({
  servers: [process.env.CTI_SERVER ?? 'ws://localhost:2748'],
  user: process.env.CTI_USER ?? 'router',
  password: process.env.CTI_PASSWORD ?? '',
});
const desk = process.env.DESK ?? '1002';
const agents = (process.env.AGENTS ?? '1003,1004').split(',');
const pilot = provider.getAddress(process.env.ROUTE_POINT ?? '7000');

const { active } = await pilot.registerRouteCallback(
  {
    async routeEvent(session) {
      const vip = session.callingAddress.startsWith(process.env.VIP_PREFIX ?? '9');
      const routes = vip ? [desk, ...agents] : [...agents, desk];
      try {
        const { routeUsed } = await session.selectRoute(routes);
        console.log(`${session.callingAddress} → ${routeUsed}`);
      } catch (error) {
        // Nobody could take it: leave it ringing at the route point; its forward no answer applies.
        console.log(`${session.callingAddress}: ${(error as Error).message}`);
        await session.endRoute();
      }
    },
    reRouteEvent(session, event) {
      console.log(`${session.callingAddress}: ${event.route} could not take the call`);
    },
    routeCallbackActivatedEvent() {
      console.log('the other instance went away: routing now');
    },
  },
  { routeSelectTimeoutMs: 3000 },
);
console.log(active ? `routing calls to ${pilot.name}` : `standing by for ${pilot.name}`);
