import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Strowger } from '../../src/server/index.js';
import { demoConfigPath } from '../../src/server/commands/start.js';
import type { DigestAlgorithm, TransportObserver } from '../../src/sip/index.js';

export interface TestServer {
  strowger: Strowger;
  sipPort: number;
  httpUrl: string;
  stop(): Promise<void>;
}

/**
 * A real Strowger on loopback with free ports, an embedded database in a temporary directory and the
 * demo configuration. SIPp answers only MD5 challenges, and only the first one offered, so interop
 * tests offer MD5 first (a deployment chooses with --digest-algorithms).
 */
export async function startTestServer(
  options: { digestAlgorithms?: DigestAlgorithm[]; sipObserver?: TransportObserver } = {},
): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'strowger-test-'));
  const strowger = await Strowger.start({
    store: { dataDir },
    configFile: demoConfigPath,
    bind: '127.0.0.1',
    sipPort: 0,
    httpBind: '127.0.0.1',
    httpPort: 0,
    digestAlgorithms: options.digestAlgorithms ?? ['MD5', 'SHA-256'],
    logger: pino({ level: process.env.STROWGER_TEST_LOG ?? 'silent' }),
    ...(options.sipObserver === undefined ? {} : { sipObserver: options.sipObserver }),
  });
  return {
    strowger,
    sipPort: strowger.addresses.sipUdp.port,
    httpUrl: `http://127.0.0.1:${strowger.addresses.http.port}`,
    async stop() {
      await strowger.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
