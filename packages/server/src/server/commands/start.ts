import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Option, InvalidArgumentError, type Command } from 'commander';
import { pino } from 'pino';
import { isDigestAlgorithm, type DigestAlgorithm } from '../../sip/index.js';
import { parseConfigFile } from '../../store/index.js';
import { positiveIntegerOption, portOption } from '../options.js';
import { Strowger } from '../strowger.js';
import { installCrashPolicy } from '../crash-policy.js';
import { followNpmParent } from '../parent-watch.js';
import { addStoreOptions, describeStore, type StoreLocation } from './store-options.js';

/** The demo configuration shipped with the package (outside `dist`, so one copy serves source and build). */
export const demoConfigPath = fileURLToPath(new URL('../../../config/demo.yaml', import.meta.url));

interface StartOptions extends StoreLocation {
  config?: string;
  demo?: boolean;
  prune?: boolean;
  bind: string;
  sipPort: number;
  ctiPort: number;
  tlsCert?: string;
  tlsKey?: string;
  httpPort: number;
  httpBind: string;
  logLevel: string;
  digestAlgorithms: DigestAlgorithm[];
  musicOnHold?: string;
  mediaAddress?: string;
  sipServerHeader?: string;
  sipTcpMaxConnections?: number;
  sipTcpMaxPerSource?: number;
  sipTcpMessageTimeout?: number;
  sipTrace: boolean;
  sipTraceMessages?: number;
}

export function parseDigestAlgorithms(value: string): DigestAlgorithm[] {
  const names = value
    .split(',')
    .map((name) => name.trim().toUpperCase())
    .filter((name) => name !== '');
  const algorithms: DigestAlgorithm[] = [];
  for (const name of names) {
    if (!isDigestAlgorithm(name)) {
      throw new InvalidArgumentError(`unknown digest algorithm "${name}"; use MD5 and/or SHA-256, e.g. "SHA-256,MD5"`);
    }
    if (!algorithms.includes(name)) algorithms.push(name);
  }
  if (algorithms.length === 0) throw new InvalidArgumentError('name at least one digest algorithm: SHA-256, MD5');
  return algorithms;
}

/** `strowger start`: the call manager in the foreground until SIGTERM or SIGINT. */
export function registerStartCommand(program: Command): void {
  addStoreOptions(
    program
      .command('start')
      .description('run Strowger: SIP registrar and the HTTP API, from the stored configuration')
      .addOption(
        new Option('--config <file>', 'apply this YAML configuration file before serving (like "config apply")').env(
          'STROWGER_CONFIG',
        ),
      )
      .option(
        '--demo',
        'apply the demo configuration (phones with printed SIP credentials, a route point, CTI ports) to a new data directory',
      )
      .option('--prune', 'with --config: delete stored configuration the file does not mention')
      .addOption(new Option('--bind <address>', 'address for SIP to listen on').env('STROWGER_BIND').default('0.0.0.0'))
      .addOption(
        new Option('--sip-port <port>', 'SIP port, UDP and TCP (0 picks a free port)')
          .env('STROWGER_SIP_PORT')
          .default(5060)
          .argParser(portOption('--sip-port')),
      )
      .addOption(
        new Option('--cti-port <port>', 'CTI port: WebSocket, wss with --tls-cert/--tls-key (0 picks a free port)')
          .env('STROWGER_CTI_PORT')
          .default(2748)
          .argParser(portOption('--cti-port')),
      )
      .addOption(
        new Option('--tls-cert <file>', 'PEM certificate chain: the CTI port speaks wss').env('STROWGER_TLS_CERT'),
      )
      .addOption(new Option('--tls-key <file>', 'PEM private key for --tls-cert').env('STROWGER_TLS_KEY'))
      .addOption(
        new Option('--http-port <port>', 'HTTP port for /healthz, /metrics and the REST API (0 picks a free port)')
          .env('STROWGER_HTTP_PORT')
          .default(8080)
          .argParser(portOption('--http-port')),
      )
      .addOption(
        new Option(
          '--http-bind <address>',
          'address for HTTP to listen on (the admin API, the reference page, /metrics)',
        )
          .env('STROWGER_HTTP_BIND')
          .default('127.0.0.1'),
      )
      .addOption(
        new Option('--digest-algorithms <list>', 'digest algorithms offered to phones, in order of preference')
          .env('STROWGER_DIGEST_ALGORITHMS')
          .default(['SHA-256', 'MD5'], 'SHA-256,MD5')
          .argParser(parseDigestAlgorithms),
      )
      .addOption(
        new Option(
          '--music-on-hold <file>',
          'WAV file (PCM or G.711, converted to 8 kHz mono) played to held parties, looped',
        ).env('STROWGER_MUSIC_ON_HOLD'),
      )
      .addOption(
        new Option(
          '--media-address <address>',
          "this server's address in SDP for its own RTP (music on hold, conferences); by default the bind address, or the address each phone reached when bound to every interface",
        ).env('STROWGER_MEDIA_ADDRESS'),
      )
      .addOption(
        new Option(
          '--sip-server-header <text>',
          'Server and User-Agent header on SIP messages ("Strowger/<version>" by default; "" sends none)',
        ).env('STROWGER_SIP_SERVER_HEADER'),
      )
      .addOption(
        new Option(
          '--sip-tcp-max-connections <count>',
          'SIP TCP connections open at once, in all (default: half of what the open-files limit leaves, at most 4096)',
        )
          .env('STROWGER_SIP_TCP_MAX_CONNECTIONS')
          .argParser(positiveIntegerOption('--sip-tcp-max-connections')),
      )
      .addOption(
        new Option(
          '--sip-tcp-max-per-source <count>',
          'SIP TCP connections open at once from one address (default 256)',
        )
          .env('STROWGER_SIP_TCP_MAX_PER_SOURCE')
          .argParser(positiveIntegerOption('--sip-tcp-max-per-source')),
      )
      .addOption(
        new Option(
          '--sip-tcp-message-timeout <seconds>',
          'seconds a SIP message over TCP may take from its first byte to its last (default 32)',
        )
          .env('STROWGER_SIP_TCP_MESSAGE_TIMEOUT')
          .argParser(positiveIntegerOption('--sip-tcp-message-timeout')),
      )
      .addOption(
        new Option(
          '--sip-trace-messages <count>',
          'SIP messages the trace keeps for /api/v1/sip-trace and "strowger trace" (default 10000, at most 16 MB)',
        )
          .env('STROWGER_SIP_TRACE_MESSAGES')
          .argParser(positiveIntegerOption('--sip-trace-messages')),
      )
      .option('--no-sip-trace', 'keep no SIP trace (it costs a little memory and CPU on every SIP message)')
      .addOption(
        new Option('--log-level <level>', 'log level')
          .env('STROWGER_LOG_LEVEL')
          .choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace'])
          .default('info'),
      ),
  ).action(async (options: StartOptions) => {
    if (options.demo === true && options.config !== undefined) {
      throw new InvalidArgumentError('use either --demo or --config (or STROWGER_CONFIG), not both');
    }
    if ((options.tlsCert === undefined) !== (options.tlsKey === undefined)) {
      throw new InvalidArgumentError('give --tls-cert and --tls-key together (or neither for plain ws)');
    }
    const logger = pino({ name: 'strowger', level: options.logLevel });
    // Installed before starting, so a crash during start is logged the same way; it stops what is up.
    const running: { strowger?: Strowger } = {};
    installCrashPolicy({ logger, stop: () => running.strowger?.stop() ?? Promise.resolve() });
    const configFile = options.demo === true ? demoConfigPath : options.config;
    const strowger = await Strowger.start({
      store: options.db === undefined ? { dataDir: options.data } : { url: options.db },
      ...(configFile === undefined ? {} : { configFile }),
      prune: options.prune === true,
      // The demo goes only into a store never configured, so a restart keeps the administrator's changes.
      configOnlyWhenNew: options.demo === true,
      bind: options.bind,
      sipPort: options.sipPort,
      ctiPort: options.ctiPort,
      ...(options.tlsCert === undefined || options.tlsKey === undefined
        ? {}
        : { tls: { certFile: options.tlsCert, keyFile: options.tlsKey } }),
      httpPort: options.httpPort,
      httpBind: options.httpBind,
      digestAlgorithms: options.digestAlgorithms,
      ...(options.musicOnHold === undefined ? {} : { musicOnHold: options.musicOnHold }),
      ...(options.mediaAddress === undefined ? {} : { mediaAddress: options.mediaAddress }),
      ...(options.sipServerHeader === undefined ? {} : { sipServerHeader: options.sipServerHeader }),
      sipTrace:
        options.sipTrace && process.env.STROWGER_SIP_TRACE !== 'off'
          ? { ...(options.sipTraceMessages === undefined ? {} : { maxMessages: options.sipTraceMessages }) }
          : false,
      sipTcpLimits: {
        ...(options.sipTcpMaxConnections === undefined ? {} : { maxConnections: options.sipTcpMaxConnections }),
        ...(options.sipTcpMaxPerSource === undefined ? {} : { maxConnectionsPerSource: options.sipTcpMaxPerSource }),
        ...(options.sipTcpMessageTimeout === undefined
          ? {}
          : { messageDeadlineMs: options.sipTcpMessageTimeout * 1000 }),
      },
      // Read from the environment only: a password in a flag would show in every process listing.
      ...(process.env.STROWGER_ADMIN_PASSWORD === undefined
        ? {}
        : { adminPassword: process.env.STROWGER_ADMIN_PASSWORD }),
      logger,
    });
    running.strowger = strowger;
    let signals = 0;
    const shutdown = (signal: string) => {
      signals += 1;
      if (signals > 1) {
        logger.warn({ signal }, 'second signal: exiting without waiting');
        process.exit(1);
      }
      logger.info({ signal }, 'shutting down');
      strowger.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGHUP', () => shutdown('SIGHUP'));
    followNpmParent({ onOrphaned: () => shutdown('npm, which started this server, has exited') });
    // The banner comes last: whoever reads "Stop with Ctrl-C" and signals at once must find the
    // handlers in place, or the default action ends the process without stopping it cleanly.
    printBanner(strowger, options, options.demo === true);
  });
}

function printBanner(strowger: Strowger, options: StartOptions, demo: boolean): void {
  const { sipUdp, sipTcp, http, cti } = strowger.addresses;
  const lines = [
    '',
    `Strowger is running (${describeStore(options)})`,
    `  SIP   udp ${sipUdp.address}:${sipUdp.port}   tcp ${sipTcp.address}:${sipTcp.port}   realm "${strowger.sip.realm}"`,
    `  HTTP  http://${http.address}:${http.port}   (web admin UI /, admin API /api/v1, reference /api/v1/docs, /healthz, /metrics)`,
    `  CTI   ${cti.protocol}://${cti.address}:${cti.port}   (protocol reference: /api/v1/cti/asyncapi.json)`,
  ];
  const { outcome, version } = strowger.startupConfig;
  if (demo && outcome === 'kept') {
    lines.push(
      '',
      `Demo configuration not applied: this data directory is already configured (version ${version}),`,
      'and your changes are kept. To start again from the demo, give a new --data directory.',
    );
  } else if (demo) {
    lines.push(
      '',
      'Demo configuration applied to this new data directory (later starts with --demo keep your changes).',
    );
    // The stored configuration keeps only hashes; the public demo passwords come from the file.
    const doc = parseConfigFile(readFileSync(demoConfigPath, 'utf8'), demoConfigPath);
    // Listening on every interface, the address phones on the network reach is the machine's own.
    const registrar = strowger.sip.transport.sentBy('udp').host;
    lines.push('', `Demo phones (register a softphone to ${registrar}:${sipUdp.port}, UDP or TCP):`);
    for (const device of doc.devices ?? []) {
      if (device.sip === undefined) continue;
      lines.push(
        `  ${device.name}  user ${device.sip.username}  password ${device.sip.password ?? '(none)'}  ` +
          `lines ${(device.lines ?? []).join(',')}`,
      );
    }
    const users = [
      ...(doc.endUsers ?? []).map((user) => `${user.userId} / ${user.password ?? '(none)'} (end user)`),
      ...(doc.applicationUsers ?? []).map((user) => `${user.userId} / ${user.password ?? '(none)'} (application user)`),
    ];
    lines.push('', `Demo users: ${users.join(', ')}`);
  }
  if (strowger.initialAdminPassword !== undefined) {
    lines.push(
      '',
      'First start: the admin account "admin" was created with this password, shown only now:',
      `  ${strowger.initialAdminPassword}`,
      'Sign in with it (curl -u admin:PASSWORD), then change it: PUT /api/v1/auth/password.',
      'Lost it? "strowger admin reset-password admin" on this machine makes a new one.',
    );
  }
  lines.push('', 'Stop with Ctrl-C.', '');
  console.log(lines.join('\n'));
}
