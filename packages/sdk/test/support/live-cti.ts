import { startTestServer, type TestServer } from '../../../server/test/support/test-server.js';

/** A real Strowger on loopback (free ports, temporary database) with its CTI server listening. */
export interface LiveCti {
  readonly server: TestServer;
  readonly ctiPort: number;
  /** ws://127.0.0.1:<cti port> */
  readonly ctiUrl: string;
  stop(): Promise<void>;
}

export async function startLiveCti(options: { config: string }): Promise<LiveCti> {
  const server = await startTestServer({ config: options.config, sipTimers: { t1: 100, t2: 400, t4: 500, d: 3200 } });
  const ctiPort = server.strowger.addresses.cti.port;
  return { server, ctiPort, ctiUrl: `ws://127.0.0.1:${ctiPort}`, stop: () => server.stop() };
}
