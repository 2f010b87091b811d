import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger as PinoLogger } from 'pino';
import { CallStatistics, createAdminServer, type DeviceView } from '../admin/index.js';
import {
  CtiDevices,
  CtiConfiguration,
  CtiServer,
  ProviderService,
  ctiAsyncApiDocument,
  type KeepAliveRange,
  type SessionLimits,
} from '../cti/index.js';
import {
  ErrorCode,
  LoginThrottle,
  StrowgerError,
  isWildcardAddress,
  primaryAddress,
  systemClock,
  type Clock,
  type LoginThrottleOptions,
} from '../core/index.js';
import type { DigestAlgorithm, Endpoint, TcpLimits, TimerSettings, TransportObserver } from '../sip/index.js';
import {
  openStore,
  parseConfigFile,
  readConfigFile,
  type ConfigSnapshot,
  type Store,
  type StoreLocation,
  type StoredCallRecord,
} from '../store/index.js';
import { acquireDataDirLock } from './data-dir-lock.js';
import { ensureFirstAdmin } from './first-admin.js';
import { serverStatus } from './server-status.js';
import { localApiUrl, writeLocalCredential } from './local-credential.js';
import { defaultTcpConnectionLimit, openFilesSoftLimit } from './fd-limit.js';
import { StrowgerMetrics } from './metrics.js';
import { ServerMediaResources } from './media-resources.js';
import { FeatureAnswering } from './feature-answering.js';
import { FeaturePrompts } from './feature-prompts.js';
import { phoneLogin, phoneLogout } from './extension-mobility-phone.js';
import { persistRegistrations } from './registration-persistence.js';
import { SipService } from './sip-service.js';
import { MobilityService, mobilityControl } from './extension-mobility-service.js';
import { switchConfigFrom } from './switch-config.js';
import { SipTracer } from './sip-trace/sip-tracer.js';
import type { SipTraceLimits } from './sip-trace/sip-trace-buffer.js';
import { logActivity } from './activity-log.js';
import { countCalls, isFailedLeg, liveSourceFrom } from './live-wiring.js';
import { defaultWebRoot } from './web-root.js';
import { Switch, type CallRecord, type CallRecordSink } from '../switch/index.js';

export const strowgerVersion = '0.1.0';

export interface StrowgerOptions {
  store: StoreLocation;
  /** The web admin UI's built files, served at `/`; packages/web's build beside this package by default. */
  webRoot?: string;
  /** A YAML configuration file applied (like `config apply`) before serving. */
  configFile?: string;
  /** Prune configuration that the file does not mention, like `config apply --prune`. */
  prune?: boolean;
  /**
   * Apply `configFile` only to a store that has never been configured (configuration version 0),
   * as `--demo` does, so that restarting never undoes what an administrator changed since.
   */
  configOnlyWhenNew?: boolean;
  bind: string;
  sipPort: number;
  httpPort: number;
  httpBind: string;
  digestAlgorithms: DigestAlgorithm[];
  logger?: PinoLogger;
  clock?: Clock;
  /** A further tap on every SIP message in and out, after the metrics (tracing, tests). */
  sipObserver?: TransportObserver;
  /**
   * The SIP trace (the recent messages of each call, served at /api/v1/sip-trace): its bounds, or
   * false to keep no trace. On by default.
   */
  sipTrace?: false | Partial<SipTraceLimits>;
  /** Where finished calls are recorded. */
  callRecords?: CallRecordSink;
  /** RFC 3261 timer values (T1, T2, T4); the defaults are the RFC's. */
  sipTimers?: Partial<TimerSettings>;
  /** The WAV file held parties hear; the one shipped with Strowger by default. */
  musicOnHold?: string;
  /**
   * The address this server's own RTP uses and announces (music on hold, conferences). By default the
   * bind address; with a wildcard bind, the address each phone's SIP reached.
   */
  mediaAddress?: string;
  /** The CTI WebSocket port; 0 (the default here) picks a free one. The command line defaults to 2748. */
  ctiPort?: number;
  /** PEM files: the CTI port speaks wss instead of ws. */
  tls?: { certFile: string; keyFile: string };
  /** CTI session limits, keep-alive range, resume grace and ring size, and the failed-login guard. */
  cti?: {
    limits?: Partial<SessionLimits>;
    keepAlive?: Partial<KeepAliveRange>;
    graceMs?: number;
    ringSize?: number;
    /** CUCM's CTI New Call Accept Timer: how long a call may wait OFFERED at a route point (4 s). */
    newCallAcceptMs?: number;
    /** How long a dynamically registered CTI device has to give a call's RTP address (5 s). */
    mediaExchangeMs?: number;
    /** How long a lost application's connected port calls wait for it to resume before they are released (10 s). */
    orphanGraceMs?: number;
    /** Tuning of the CTI login throttle; the same rules and defaults as SIP's. */
    loginThrottle?: Partial<
      Pick<LoginThrottleOptions, 'thresholds' | 'firstLockoutMs' | 'maxLockoutMs' | 'decayMs' | 'trustMs'>
    >;
  };
  /** The SIP Server and User-Agent header; `Strowger/<version>` by default, empty to send none. */
  sipServerHeader?: string;
  /** Bounds on SIP over TCP; the total connection limit defaults to what the open-files limit leaves room for. */
  sipTcpLimits?: Partial<TcpLimits>;
  /** Challenges (401/407) per source: a burst, then a rate per second. */
  sipChallengeLimit?: { burst: number; perSecond: number };
  /**
   * The first admin account's password, used only when no admin account exists yet (the first start);
   * without it a random one is made and kept in `initialAdminPassword` to be printed once.
   */
  adminPassword?: string;
  /** Tuning of the SIP login throttle (thresholds, lock-out lengths, decay); the defaults suit production. */
  sipLoginThrottle?: Partial<
    Pick<LoginThrottleOptions, 'thresholds' | 'firstLockoutMs' | 'maxLockoutMs' | 'decayMs' | 'trustMs'>
  >;
}

/** What became of the configuration file at start. */
export interface StartupConfig {
  /** applied: it changed the store; unchanged: the store already matched; kept: not applied, since the
   * store was configured before (configOnlyWhenNew); none: no file was given. */
  outcome: 'applied' | 'unchanged' | 'kept' | 'none';
  /** The configuration version being served. */
  version: number;
}

export interface StrowgerAddresses {
  sipUdp: Endpoint;
  sipTcp: Endpoint;
  http: { address: string; port: number };
  cti: { address: string; port: number; protocol: 'ws' | 'wss' };
}

/**
 * The composition root: opens the store, applies a configuration file if asked, and runs the SIP
 * service and the HTTP server from the in-memory snapshot, reloading it whenever the store changes.
 */
export class Strowger {
  readonly store: Store;
  readonly sip: SipService;
  /** The call-control engine. */
  readonly engine: Switch;
  /** Music on hold and conference bridges: the server's own RTP. */
  readonly media: ServerMediaResources;
  /** The server's answer to feature codes (Extension Mobility login and logout from the phone). */
  readonly features: FeatureAnswering;
  readonly http: FastifyInstance;
  /** The CTI WebSocket server and the providers its sessions open. */
  readonly cti: CtiServer;
  readonly providers: ProviderService;
  /** Extension Mobility: who is logged in on which phone, kept across restarts. */
  readonly mobility: MobilityService;
  readonly metrics: StrowgerMetrics;
  readonly logger: PinoLogger;
  /** What became of the configuration file given at start (for the start banner). */
  readonly startupConfig: StartupConfig;
  /**
   * The password made for the first admin account on this start, to be printed once; undefined
   * when accounts existed already or STROWGER_ADMIN_PASSWORD gave it.
   */
  readonly initialAdminPassword: string | undefined;
  #credential: { remove(): void } | undefined;
  /** Who waits for a configuration version to be served (see configServed). */
  readonly #versionWaiters = new Set<{ version: number; done: () => void }>();
  readonly #clock: Clock;
  #snapshot: ConfigSnapshot;
  readonly #release: () => void;
  readonly #detachRegistrations: () => void;
  readonly #unsubscribe: () => void;
  #addresses: StrowgerAddresses | undefined;
  #stopping: Promise<void> | undefined;

  private constructor(parts: {
    store: Store;
    sip: SipService;
    engine: Switch;
    media: ServerMediaResources;
    features: FeatureAnswering;
    http: FastifyInstance;
    cti: CtiServer;
    providers: ProviderService;
    mobility: MobilityService;
    metrics: StrowgerMetrics;
    logger: PinoLogger;
    snapshot: ConfigSnapshot;
    release: () => void;
    detachRegistrations: () => void;
    startupConfig: StartupConfig;
    initialAdminPassword: string | undefined;
    clock: Clock;
  }) {
    this.#clock = parts.clock;
    this.startupConfig = parts.startupConfig;
    this.initialAdminPassword = parts.initialAdminPassword;
    this.store = parts.store;
    this.sip = parts.sip;
    this.engine = parts.engine;
    this.media = parts.media;
    this.features = parts.features;
    this.http = parts.http;
    this.cti = parts.cti;
    this.providers = parts.providers;
    this.mobility = parts.mobility;
    this.metrics = parts.metrics;
    this.logger = parts.logger;
    this.#snapshot = parts.snapshot;
    this.#release = parts.release;
    this.#detachRegistrations = parts.detachRegistrations;
    // #reload logs its own failures; the catch is for anything that escapes it.
    this.#unsubscribe = this.store.onChange((version) => {
      this.#reload(version).catch((error: unknown) => {
        this.logger.error({ err: error, version }, 'configuration reload failed');
      });
    });
  }

  /** Opens everything and starts listening; on any failure what was opened is closed again. */
  static async start(options: StrowgerOptions): Promise<Strowger> {
    const logger = options.logger ?? pino({ name: 'strowger' });
    const clock = options.clock ?? systemClock;
    const lock = 'dataDir' in options.store ? acquireDataDirLock(options.store.dataDir) : { release() {} };
    const cleanups: Array<() => Promise<void> | void> = [() => lock.release()];
    try {
      const store = await openStore(options.store, { logger });
      cleanups.unshift(() => store.close());
      let outcome: StartupConfig['outcome'] = 'none';
      if (options.configFile !== undefined) {
        const existing = options.configOnlyWhenNew === true ? (await store.loadConfig()).version : 0;
        if (existing > 0) {
          outcome = 'kept';
          logger.info(
            { file: options.configFile, version: existing },
            'configuration file not applied: the store is already configured, and its configuration is kept',
          );
        } else {
          const text = await readConfigFile(options.configFile, 'the configuration file given to --config');
          const doc = parseConfigFile(text, options.configFile);
          const result = await store.applyConfig(doc, {
            prune: options.prune === true,
            source: options.configFile,
            actor: `configuration file ${options.configFile} at start`,
          });
          outcome = result.changed ? 'applied' : 'unchanged';
          logger.info(
            { file: options.configFile, version: result.version, changed: result.changed },
            result.changed ? 'configuration applied' : 'configuration already up to date',
          );
        }
      }
      const snapshot = await store.loadConfig();
      // The metrics and the HTTP routes read parts built after them, so they look them up when called.
      const late: {
        sip?: SipService;
        instance?: Strowger;
        engine?: Switch;
        media?: ServerMediaResources;
        cti?: CtiServer;
        providers?: ProviderService;
        mobility?: MobilityService;
      } = {};
      const metrics = new StrowgerMetrics({
        registeredDevices: () => late.sip?.table.registeredDeviceCount ?? 0,
        bindings: () => late.sip?.table.bindingCount ?? 0,
        liveTransactions: () => {
          const size = late.sip?.ua.transactions.size;
          return size === undefined ? 0 : size.client + size.server;
        },
        activeCalls: () => late.engine?.callCount ?? 0,
        mediaEndpoints: () => late.media?.openEndpoints ?? 0,
        tcpConnections: () => late.sip?.transport.openConnections ?? 0,
        tcpBufferedBytes: () => late.sip?.transport.bufferedBytes ?? 0,
      });
      const sipLogins = new LoginThrottle({
        clock,
        service: 'sip',
        logger: logger.child({ layer: 'sip' }),
        ...options.sipLoginThrottle,
        observer: {
          lockedOut: (lockout) => metrics.loginLockedOut(lockout),
          refused: (scope) => metrics.loginRefused('sip', scope),
        },
      });
      metrics.watchLoginThrottle(sipLogins);
      const tcpLimits: Partial<TcpLimits> = {
        maxConnections: defaultTcpConnectionLimit(openFilesSoftLimit()),
        ...options.sipTcpLimits,
      };
      const tracer =
        options.sipTrace === false
          ? undefined
          : new SipTracer({ clock, ...(options.sipTrace === undefined ? {} : { limits: options.sipTrace }) });
      const service = new SipService(
        {
          clock,
          logger: logger.child({ layer: 'sip' }),
          bind: options.bind,
          port: options.sipPort,
          digestAlgorithms: options.digestAlgorithms,
          userAgent: options.sipServerHeader ?? `Strowger/${strowgerVersion}`,
          loginThrottle: sipLogins,
          tcpLimits,
          ...(options.sipChallengeLimit === undefined ? {} : { challengeLimit: options.sipChallengeLimit }),
          onChallengeDropped: () => metrics.challengeDropped(),
          ...(options.sipTimers === undefined ? {} : { timers: options.sipTimers }),
          observer: {
            messageReceived: (message, source, wire) => {
              metrics.sipReceived(describe(message), source.protocol);
              tracer?.received(message, source, wire);
              options.sipObserver?.messageReceived?.(message, source, wire);
            },
            messageSent: (message, target, wire) => {
              metrics.sipSent(describe(message), target.protocol);
              tracer?.sent(message, target, wire);
              options.sipObserver?.messageSent?.(message, target, wire);
            },
            parseError: (source, error) => {
              metrics.sipParseError(source.protocol);
              options.sipObserver?.parseError?.(source, error);
            },
            dropped: (source, reason) => options.sipObserver?.dropped?.(source, reason),
            connectionRefused: (remote, reason) => {
              metrics.tcpConnectionRefused(reason);
              options.sipObserver?.connectionRefused?.(remote, reason);
            },
            connectionClosed: (remote, reason) => {
              metrics.tcpConnectionClosed(reason);
              options.sipObserver?.connectionClosed?.(remote, reason);
            },
          },
          onRegisterOutcome: (outcome) => metrics.registerOutcome(outcome),
          ...(tracer === undefined ? {} : { onLegStarted: (leg) => tracer.legStarted(leg) }),
        },
        snapshot,
      );
      late.sip = service;
      cleanups.unshift(() => service.close());
      const sipPhones = new Set(snapshot.devices.filter((d) => d.type === 'sip-phone').map((d) => d.name));
      const registrations = await persistRegistrations(
        service.table,
        store,
        clock,
        logger.child({ layer: 'sip' }),
        (name) => sipPhones.has(name),
      );
      cleanups.unshift(() => registrations.detach());
      if (registrations.restored > 0) {
        logger.info({ bindings: registrations.restored }, 'registrations restored from before the restart');
      }
      // Bound to every interface with no media address named, each phone is given for media the
      // address its SIP reached; the first external address is only for when that is not known.
      const followPhones = options.mediaAddress === undefined && isWildcardAddress(options.bind);
      const mediaAddress = options.mediaAddress ?? (isWildcardAddress(options.bind) ? primaryAddress() : options.bind);
      const media = await ServerMediaResources.create({
        address: mediaAddress,
        ...(followPhones ? { bind: options.bind } : {}),
        ...(options.musicOnHold === undefined ? {} : { musicOnHold: options.musicOnHold }),
      });
      cleanups.unshift(() => media.close());
      late.media = media;
      // Feature codes are answered with the server's own prompts; the dialogues need the Extension
      // Mobility service, made once the engine is.
      const features = new FeatureAnswering({
        address: mediaAddress,
        ...(followPhones ? { bind: options.bind } : {}),
        prompts: new FeaturePrompts(),
        logger: logger.child({ layer: 'features' }),
        dialogue: (feature) => {
          const mobility = late.mobility;
          if (mobility === undefined) return undefined;
          return feature === 'extension-mobility-login'
            ? (call, session) => phoneLogin(mobility, call, session)
            : (call, session) => phoneLogout(mobility, call, session);
        },
      });
      cleanups.unshift(() => features.close());
      const callStatistics = new CallStatistics(clock);
      const ctiDevices = new CtiDevices({
        clock,
        logger: logger.child({ layer: 'cti' }),
        ...(options.cti?.newCallAcceptMs === undefined ? {} : { newCallAcceptMs: options.cti.newCallAcceptMs }),
        ...(options.cti?.mediaExchangeMs === undefined ? {} : { mediaExchangeMs: options.cti.mediaExchangeMs }),
        ...(options.cti?.orphanGraceMs === undefined ? {} : { orphanGraceMs: options.cti.orphanGraceMs }),
      });
      cleanups.unshift(() => ctiDevices.close());
      const engine = new Switch({
        clock,
        drivers: { 'sip-phone': service.phones, 'cti-route-point': ctiDevices, 'cti-port': ctiDevices },
        media,
        features,
        logger: logger.child({ layer: 'switch' }),
        config: switchConfigFrom(snapshot),
        records: {
          write: (record) => {
            metrics.callLegEnded(record.cause.reason);
            if (isFailedLeg(record)) callStatistics.callLegFailed();
            store.callRecords.write(storedRecordFrom(record));
            options.callRecords?.write(record);
          },
        },
      });
      service.phones.attach(engine);
      ctiDevices.attachEngine(engine);
      late.engine = engine;
      if (tracer !== undefined) {
        tracer.watch(engine, service.table);
        cleanups.unshift(() => tracer.close());
      }
      const mobility = new MobilityService({
        engine,
        config: switchConfigFrom(snapshot),
        snapshot,
        store,
        clock,
        logger: logger.child({ layer: 'extension-mobility' }),
      });
      cleanups.unshift(() => mobility.close());
      late.mobility = mobility;
      await mobility.start(undefined);
      // Registrations and calls, one line each at info, for an operator tailing the log.
      cleanups.unshift(
        logActivity({
          calls: engine.events,
          registrations: service.table,
          logger: logger.child({ layer: 'activity' }),
        }),
      );
      cleanups.unshift(countCalls(engine.events, callStatistics));
      cleanups.unshift(() => engine.close());
      // A phone registering or losing its last registration is a device coming into or going out
      // of service: the engine reports it (CiscoTermInServiceEv and friends for the CTI layer).
      const serviceChanged = ({ deviceName }: { deviceName: string }) => engine.deviceServiceChanged(deviceName);
      const offRegistered = service.table.events.on('registered', serviceChanged);
      const offUnregistered = service.table.events.on('unregistered', serviceChanged);
      cleanups.unshift(() => {
        offRegistered();
        offUnregistered();
      });
      const adminLogins = new LoginThrottle({
        clock,
        service: 'admin',
        logger: logger.child({ layer: 'admin' }),
        observer: {
          lockedOut: (lockout) => metrics.loginLockedOut(lockout),
          refused: (scope) => metrics.loginRefused('admin', scope),
        },
      });
      metrics.watchLoginThrottle(adminLogins);
      const initialAdminPassword = await ensureFirstAdmin(store, options.adminPassword, logger);
      const localToken = randomBytes(32).toString('base64url');
      const startedAt = new Date(clock.now());
      const http = await createAdminServer({
        registrations: { listDevices: () => late.instance?.listDevices() ?? [] },
        registrationControl: { unregister: (name) => service.table.removeAll(name, 'unregistered') },
        calls: { listCalls: () => late.engine?.listCalls() ?? [] },
        callControl: { hangUp: (id) => engine.drop(id) },
        callRecords: { listCallRecords: (query) => store.listCallRecords(query) },
        ctiSessions: () => ({
          sessions: late.cti?.sessionCount ?? 0,
          providers: late.providers?.providerCount ?? 0,
          items: (late.providers?.list() ?? []).map((p) => ({ ...p, openedAt: new Date(p.openedAt).toISOString() })),
        }),
        store,
        configFollowed: (version) => late.instance?.configServed(version) ?? Promise.resolve(),
        auth: { throttle: adminLogins, localToken },
        clock,
        version: strowgerVersion,
        runtime: {
          status: async () =>
            serverStatus({
              version: strowgerVersion,
              startedAt,
              now: clock.now(),
              logLevel: logger.level,
              storeKind: store.kind,
              snapshot: late.instance?.snapshot ?? snapshot,
              devices: late.instance?.listDevices() ?? [],
              sip: endpointsText(service.endpoints),
              addresses: late.instance?.listeningAddresses,
              calls: engine.callCount,
              ctiSessions: late.cti?.sessionCount ?? 0,
              ctiProviders: late.providers?.providerCount ?? 0,
            }),
          logLevel: () => logger.level,
          setLogLevel: (level) => {
            logger.level = level;
            logger.info({ level }, 'log level changed at run time');
          },
        },
        // Indexed once per snapshot, so the explainer follows configuration changes as they commit.
        cti: {
          configuration: () => CtiConfiguration.fromSnapshot(late.instance?.snapshot ?? snapshot, mobility.logins),
        },
        ctiAsyncApi: ctiAsyncApiDocument,
        live: liveSourceFrom({ registrations: service.table, engine: engine.events }),
        callStatistics,
        webRoot: options.webRoot ?? defaultWebRoot,
        extensionMobility: mobilityControl(mobility),
        ...(tracer === undefined ? {} : { sipTrace: tracer.buffer }),
        health: {
          check: () => ({
            sip: { ok: service.endpoints !== undefined, detail: endpointsText(service.endpoints) },
            store: { ok: true, detail: `${store.kind} database, configuration version ${snapshot.version}` },
          }),
        },
        metrics: metrics.registry,
        logger: false,
        errorLog: logger.child({ layer: 'admin' }),
      });
      cleanups.unshift(() => http.close());
      const ctiLogins = new LoginThrottle({
        clock,
        service: 'cti',
        logger: logger.child({ layer: 'cti' }),
        ...options.cti?.loginThrottle,
        observer: {
          lockedOut: (lockout) => metrics.loginLockedOut(lockout),
          refused: (scope) => metrics.loginRefused('cti', scope),
        },
      });
      metrics.watchLoginThrottle(ctiLogins);
      const providers = new ProviderService({
        clock,
        logger: logger.child({ layer: 'cti' }),
        engine,
        control: engine,
        configuration: snapshot,
        loginThrottle: ctiLogins,
        graceMs: options.cti?.graceMs ?? 60_000,
        ringSize: options.cti?.ringSize ?? 10_000,
        devices: ctiDevices,
      });
      cleanups.unshift(() => providers.close());
      late.providers = providers;
      // Logins move phones in and out of providers' domains (§3.3) from now on.
      mobility.attach(providers);
      const cti = await CtiServer.start({
        host: options.bind,
        port: options.ctiPort ?? 0,
        ...(options.tls === undefined ? {} : { tls: await readTls(options.tls) }),
        clock,
        logger: logger.child({ layer: 'cti' }),
        providers,
        serverName: `Strowger/${strowgerVersion}`,
        ...(options.cti?.limits === undefined ? {} : { limits: options.cti.limits }),
        ...(options.cti?.keepAlive === undefined ? {} : { keepAlive: options.cti.keepAlive }),
      });
      cleanups.unshift(() => cti.close());
      late.cti = cti;
      const instance = new Strowger({
        store,
        sip: service,
        engine,
        media,
        features,
        http,
        cti,
        providers,
        mobility,
        metrics,
        logger,
        snapshot,
        release: () => lock.release(),
        detachRegistrations: registrations.detach,
        startupConfig: { outcome, version: snapshot.version },
        initialAdminPassword,
        clock,
      });
      late.instance = instance;
      const endpoints = await service.listen();
      await http.listen({ host: options.httpBind, port: options.httpPort });
      const address = http.server.address() as AddressInfo;
      if ('dataDir' in options.store) {
        const url = localApiUrl(options.httpBind, address.port);
        instance.#credential = writeLocalCredential(options.store.dataDir, {
          url,
          token: localToken,
          pid: process.pid,
        });
      }
      instance.#addresses = {
        sipUdp: endpoints.udp,
        sipTcp: endpoints.tcp,
        http: { address: address.address, port: address.port },
        cti: cti.address,
      };
      logger.info(
        {
          sip: endpointsText(endpoints),
          http: `${address.address}:${address.port}`,
          cti: `${cti.address.protocol}://${cti.address.address}:${cti.address.port}`,
        },
        'Strowger is serving',
      );
      return instance;
    } catch (error) {
      for (const cleanup of cleanups) {
        await Promise.resolve(cleanup()).catch(() => undefined);
      }
      throw error;
    }
  }

  get addresses(): StrowgerAddresses {
    if (this.#addresses === undefined) throw new Error('Strowger is not listening yet');
    return this.#addresses;
  }

  /** The addresses once listening; undefined before (where `addresses` throws). */
  get listeningAddresses(): StrowgerAddresses | undefined {
    return this.#addresses;
  }

  get snapshot(): ConfigSnapshot {
    return this.#snapshot;
  }

  /**
   * Resolves once this server serves configuration `version` or a later one (the change
   * notification has been followed), or after 5 s, when the reload's own log line says what failed.
   */
  configServed(version: number): Promise<void> {
    if (this.#snapshot.version >= version || this.#stopping !== undefined) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = {
        version,
        done: () => {
          timer.cancel();
          this.#versionWaiters.delete(waiter);
          resolve();
        },
      };
      // A safety net only: a reload takes milliseconds, and one that fails is logged by #reload.
      const timer = this.#clock.setTimer(5000, waiter.done);
      this.#versionWaiters.add(waiter);
    });
  }

  /** Live SIP transactions, client and server; after traffic stops they drain as their timers end. */
  sipTransactionCount(): number {
    const size = this.sip.ua.transactions.size;
    return size.client + size.server;
  }

  /** Devices from the configuration with their live registration state, for the API and the CLI. */
  listDevices(): DeviceView[] {
    const now = Date.now();
    return this.#snapshot.devices.map((device) => {
      const bindings = this.sip.table.bindings(device.name).map((binding) => ({
        contact: binding.contactText,
        expiresAt: new Date(binding.expiresAt).toISOString(),
        expiresInSeconds: Math.max(0, Math.round((binding.expiresAt - now) / 1000)),
        ...(binding.userAgent === undefined ? {} : { userAgent: binding.userAgent }),
        source: `${binding.source.protocol}:${binding.source.address}:${binding.source.port}`,
      }));
      return {
        name: device.name,
        type: device.type,
        ...(device.description === undefined ? {} : { description: device.description }),
        lines: device.lines,
        allowCtiControl: device.allowCtiControl,
        ...this.#mobilityOf(device.name),
        registration: { state: this.#registered(device, bindings.length) ? 'registered' : 'unregistered', bindings },
      };
    });
  }

  /**
   * A phone is registered while it has a binding; a CTI route point or port, as in CUCM, while an
   * application has it open (the engine's in-service state).
   */
  #registered(device: ConfigSnapshot['devices'][number], bindings: number): boolean {
    if (device.type === 'sip-phone') return bindings > 0;
    return this.engine.snapshotDevice(device.name)?.inService === true;
  }

  /** The Extension Mobility login on a device, as the device view shows it. */
  #mobilityOf(device: string): Pick<DeviceView, 'extensionMobility'> {
    const login = this.mobility.engine.loginOn(device);
    if (login === undefined) return {};
    const lines = this.#snapshot.deviceProfiles.find((p) => p.name === login.profile)?.lines ?? [];
    return { extensionMobility: { userId: login.userId, profile: login.profile, lines } };
  }

  /** Stops accepting work, closes sockets and the database, and releases the data directory. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#unsubscribe();
      this.#credential?.remove();
      for (const waiter of [...this.#versionWaiters]) waiter.done();
      await this.http.close().catch(() => undefined);
      await this.cti.close().catch(() => undefined);
      this.providers.close();
      this.mobility.close();
      await this.mobility.flush();
      this.engine.close();
      this.features.close();
      this.media.close();
      // Let the engine's last commands (BYE, final responses) reach the phones before SIP closes.
      await new Promise((done) => setImmediate(done));
      // Closing SIP empties the registration table; the stored bindings must outlive it.
      this.#detachRegistrations();
      await this.sip.close().catch(() => undefined);
      await this.store.close().catch(() => undefined);
      this.#release();
      this.logger.info({}, 'Strowger stopped');
    })();
    return this.#stopping;
  }

  async #reload(version: number): Promise<void> {
    if (this.#stopping !== undefined) return;
    try {
      const snapshot = await this.store.loadConfig();
      if (snapshot.version < this.#snapshot.version) return;
      this.#snapshot = snapshot;
      this.sip.update(snapshot);
      // The engine gets the configuration through Extension Mobility, which lays the logins over it.
      this.mobility.updateConfig(snapshot, switchConfigFrom(snapshot));
      this.providers.updateConfiguration(snapshot);
      this.logger.info({ version }, 'configuration reloaded');
      for (const waiter of [...this.#versionWaiters]) if (waiter.version <= snapshot.version) waiter.done();
    } catch (error) {
      this.logger.error({ err: error, version }, 'could not reload the configuration; still serving the previous one');
    }
  }
}

async function readTls(tls: { certFile: string; keyFile: string }): Promise<{ cert: Buffer; key: Buffer }> {
  const read = async (path: string, flag: string): Promise<Buffer> => {
    try {
      return await readFile(path);
    } catch (error) {
      throw new StrowgerError(
        ErrorCode.InvalidArgument,
        `cannot read ${flag} ${path}: ${(error as Error).message}; give a PEM file this process can read`,
        { cause: error },
      );
    }
  };
  return { cert: await read(tls.certFile, '--tls-cert'), key: await read(tls.keyFile, '--tls-key') };
}

function describe(
  message: { kind: 'request'; method: string } | { kind: 'response'; status: number; cseq: { method: string } },
): { kind: 'request'; method: string } | { kind: 'response'; status: number; cseqMethod: string } {
  if (message.kind === 'request') return { kind: 'request', method: message.method };
  let cseqMethod = 'other';
  try {
    cseqMethod = message.cseq.method;
  } catch {
    // A response with a broken CSeq is still counted, under "other".
  }
  return { kind: 'response', status: message.status, cseqMethod };
}

function endpointsText(endpoints: { udp: Endpoint; tcp: Endpoint } | undefined): string {
  if (endpoints === undefined) return 'not listening';
  return `udp ${endpoints.udp.address}:${endpoints.udp.port}, tcp ${endpoints.tcp.address}:${endpoints.tcp.port}`;
}

function storedRecordFrom(record: CallRecord): StoredCallRecord {
  return {
    ...record,
    startedAt: new Date(record.startedAt),
    answeredAt: record.answeredAt === undefined ? undefined : new Date(record.answeredAt),
    endedAt: new Date(record.endedAt),
    cause: { ...record.cause },
    redirections: record.redirections.map((r) => ({ ...r })),
  };
}
