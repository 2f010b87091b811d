import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Provider } from '../../src/index.js';
import { expectNoCallLeft } from '../../../server/test/support/leftovers.js';
import { TestPhone } from '../../../server/test/support/test-phone.js';
import { startTestServer, type TestServer } from '../../../server/test/support/test-server.js';

/** The server's CTI settings a live test may change (timers, limits). */
type CtiOptions = NonNullable<Parameters<typeof startTestServer>[0]>['cti'];

/** A real Strowger on loopback (free ports, temporary database) with its CTI server listening. */
export interface LiveCti {
  readonly server: TestServer;
  readonly ctiPort: number;
  /** ws://127.0.0.1:<cti port> */
  readonly ctiUrl: string;
  stop(): Promise<void>;
}

export async function startLiveCti(options: { config: string; cti?: CtiOptions }): Promise<LiveCti> {
  const server = await startTestServer({
    config: options.config,
    sipTimers: { t1: 100, t2: 400, t4: 500, d: 3200 },
    ...(options.cti === undefined ? {} : { cti: options.cti }),
  });
  const ctiPort = server.strowger.addresses.cti.port;
  return { server, ctiPort, ctiUrl: `ws://127.0.0.1:${ctiPort}`, stop: () => server.stop() };
}

/** What a live test file shares: its server, its phones and its providers, cleaned up after each test. */
export interface LiveCtiFixture {
  /** The server (started in `beforeAll`). */
  readonly live: LiveCti;
  /** A test phone registered as `dn` (password `pw-DN`), closed after the test. */
  phone(dn: string): Promise<TestPhone>;
  /** A provider to shut down after the test; returned as given. */
  track<P extends Provider>(provider: P): P;
}

/**
 * Registers the hooks of a live test file: one server with `config` for the file, and after each
 * test its providers shut down, no call left on the server, its phones closed.
 */
export function useLiveCti(config: string, options: { cti?: CtiOptions } = {}): LiveCtiFixture {
  let live: LiveCti | undefined;
  const phones: TestPhone[] = [];
  const providers: Provider[] = [];
  const started = (): LiveCti => {
    if (live === undefined) throw new Error('the live server is not started yet (use it inside a test)');
    return live;
  };
  beforeAll(async () => {
    live = await startLiveCti({ config, ...options });
  }, 60_000);
  afterAll(async () => {
    await live?.stop();
  }, 20_000);
  afterEach(async () => {
    for (const provider of providers.splice(0)) await provider.shutdown();
    await expectNoCallLeft(started().server);
    await Promise.all(phones.splice(0).map((phone) => phone.close()));
  });
  return {
    get live() {
      return started();
    },
    async phone(dn) {
      const phone = await TestPhone.start({ dn, password: `pw-${dn}`, serverPort: started().server.sipPort });
      phones.push(phone);
      return phone;
    },
    track(provider) {
      providers.push(provider);
      return provider;
    },
  };
}
