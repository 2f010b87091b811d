import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger as PinoLogger } from 'pino';
import { Strowger, type StrowgerOptions } from '../../src/server/index.js';
import { demoConfigPath } from '../../src/server/commands/start.js';
import {
  formatUri,
  serializeMessage,
  type DigestAlgorithm,
  type SipRequest,
  type SipResponse,
  type TimerSettings,
  type TransportObserver,
} from '../../src/sip/index.js';
import type { CallRecordSink } from '../../src/switch/index.js';

/** The first admin account's password on every test server (STROWGER_ADMIN_PASSWORD does this for a real one). */
export const testAdminPassword = 'test-admin-password';
/** HTTP Basic credentials of the test servers' admin account. */
export const testAdminAuthorization = `Basic ${Buffer.from(`admin:${testAdminPassword}`).toString('base64')}`;

export interface TestServer {
  strowger: Strowger;
  sipPort: number;
  httpUrl: string;
  /** The embedded database's data directory: commands given it as --data talk to this server. */
  dataDir: string;
  /** fetch() on the admin API, signed in as the admin account. */
  fetchApi(path: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * A real Strowger on loopback with free ports, an embedded database in a temporary directory and the
 * demo configuration. SIPp answers only MD5 challenges, and only the first one offered, so interop
 * tests offer MD5 first (a deployment chooses with --digest-algorithms).
 */
export async function startTestServer(
  options: {
    digestAlgorithms?: DigestAlgorithm[];
    sipObserver?: TransportObserver;
    /** YAML configuration to serve instead of the demo configuration. */
    config?: string;
    callRecords?: CallRecordSink;
    sipTimers?: Partial<TimerSettings>;
    /** The SIP (and media) bind address; loopback unless given. */
    bind?: string;
    /** CTI limits, keep-alive and resume settings. */
    cti?: StrowgerOptions['cti'];
    /** Limits and headers as `strowger start` flags set them. */
    sip?: Pick<StrowgerOptions, 'sipServerHeader' | 'sipTcpLimits' | 'sipChallengeLimit' | 'sipLoginThrottle'>;
    /** A directory the test keeps (to restart on the same data); by default a temporary one, removed on stop. */
    dataDir?: string;
    /** The server's logger; silent unless STROWGER_TEST_LOG names a level. */
    logger?: PinoLogger;
  } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'strowger-test-')));
  let configFile = demoConfigPath;
  if (options.config !== undefined) {
    configFile = join(dataDir, 'test-config.yaml');
    await writeFile(configFile, options.config);
  }
  // STROWGER_TEST_TRACE=1 prints every SIP message's first line, which is what a failing call needs.
  const trace: TransportObserver | undefined =
    process.env.STROWGER_TEST_TRACE === undefined
      ? options.sipObserver
      : {
          ...options.sipObserver,
          messageReceived: (message, source, wire) => {
            options.sipObserver?.messageReceived?.(message, source, wire);
            process.stderr.write(`<- ${source.remote.port} ${firstLine(message)}\n`);
          },
          messageSent: (message, target, wire) => {
            options.sipObserver?.messageSent?.(message, target, wire);
            process.stderr.write(`-> ${target.protocol}:${target.address}:${target.port} ${firstLine(message)}\n`);
            if (process.env.STROWGER_TEST_TRACE === 'full')
              process.stderr.write(`${serializeMessage(message).toString()}\n`);
          },
        };
  const strowger = await Strowger.start({
    store: { dataDir: join(dataDir, 'data') },
    configFile,
    bind: options.bind ?? '127.0.0.1',
    sipPort: 0,
    httpBind: '127.0.0.1',
    httpPort: 0,
    digestAlgorithms: options.digestAlgorithms ?? ['MD5', 'SHA-256'],
    adminPassword: testAdminPassword,
    logger: options.logger ?? pino({ level: process.env.STROWGER_TEST_LOG ?? 'silent' }),
    ...(trace === undefined ? {} : { sipObserver: trace }),
    ...(options.callRecords === undefined ? {} : { callRecords: options.callRecords }),
    ...(options.sipTimers === undefined ? {} : { sipTimers: options.sipTimers }),
    ...(options.cti === undefined ? {} : { cti: options.cti }),
    ...options.sip,
  });
  const httpUrl = `http://127.0.0.1:${strowger.addresses.http.port}`;
  return {
    strowger,
    sipPort: strowger.addresses.sipUdp.port,
    httpUrl,
    dataDir: join(dataDir, 'data'),
    fetchApi: (path, init = {}) =>
      fetch(`${httpUrl}${path}`, {
        ...init,
        headers: { ...(init.headers as Record<string, string> | undefined), authorization: testAdminAuthorization },
      }),
    async stop() {
      await strowger.stop();
      if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function firstLine(message: SipRequest | SipResponse): string {
  const head =
    message.kind === 'request' ? `${message.method} ${formatUri(message.uri)}` : `${message.status} ${message.reason}`;
  let cseq = '';
  try {
    cseq = ` (${message.cseq.seq} ${message.cseq.method}, ${message.callId})`;
  } catch {
    // a message without a readable CSeq is traced without it
  }
  return head + cseq;
}
