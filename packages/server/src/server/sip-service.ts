import { KeyedRateLimiter, type Clock, type Logger, type LoginThrottle } from '../core/index.js';
import {
  DigestAuthenticator,
  knownSipMethods,
  SipUserAgent,
  TransportLayer,
  type DigestAlgorithm,
  type Endpoint,
  type IncomingRequest,
  type TcpLimits,
  type TimerSettings,
  type TransportObserver,
} from '../sip/index.js';
import {
  DigestGate,
  Registrar,
  RegistrationTable,
  SipPhoneDriver,
  type RegisterOutcome,
  type SipAccount,
  type SipLegStarted,
} from '../devices/sip/index.js';
import type { ConfigSnapshot } from '../store/index.js';

export interface SipServiceOptions {
  clock: Clock;
  logger: Logger;
  bind: string;
  port: number;
  /**
   * Host written into Via/Contact whatever the phone reached; by default the bind address, or with a
   * wildcard bind the address each phone reached (see `TransportLayer.sentBy`).
   */
  advertise?: string;
  digestAlgorithms: DigestAlgorithm[];
  observer?: TransportObserver;
  onRegisterOutcome?: (outcome: RegisterOutcome) => void;
  /** Penalties for failed digest logins, per user and per source (shared by REGISTER and INVITE). */
  loginThrottle: LoginThrottle;
  /** Challenges (401/407) per source address: a burst, then a rate; beyond it requests are dropped. */
  challengeLimit?: { burst: number; perSecond: number };
  /** A challenge was not sent because its source was over its rate. */
  onChallengeDropped?: () => void;
  /** The Server and User-Agent header value; empty leaves both headers out. */
  userAgent: string;
  /** RFC 3261 timer values; tests shorten T1 so that completed transactions drain quickly. */
  timers?: Partial<TimerSettings>;
  /** Bounds on SIP over TCP: connections per source and in all, message deadline, buffers. */
  tcpLimits?: Partial<TcpLimits>;
  /** Told of each call leg as the phone driver starts it (the SIP trace maps Call-IDs to calls with it). */
  onLegStarted?: (leg: SipLegStarted) => void;
}

/**
 * Challenges per source: enough for an office of phones behind one NAT address registering and
 * calling at once, far below what makes the server a useful reflector.
 */
const defaultChallengeLimit = { burst: 50, perSecond: 20 };

/** The methods this server answers; others get 405 with this list. */
const allowedMethods = [
  'INVITE',
  'ACK',
  'CANCEL',
  'BYE',
  'UPDATE',
  'INFO',
  'REFER',
  'REGISTER',
  'OPTIONS',
  'SUBSCRIBE',
];

/**
 * SIP as the server runs it: transport, user-agent core and registrar, serving from an in-memory
 * view of the configuration that `update` replaces whenever the store reports a change.
 */
export class SipService {
  readonly table: RegistrationTable;
  readonly transport: TransportLayer;
  readonly ua: SipUserAgent;
  /** The B2BUA side: calls to and from registered phones. */
  readonly phones: SipPhoneDriver;
  readonly #options: SipServiceOptions;
  #accounts = new Map<string, SipAccount>();
  #authenticator: DigestAuthenticator;
  #endpoints: { udp: Endpoint; tcp: Endpoint } | undefined;

  constructor(options: SipServiceOptions, initial: ConfigSnapshot) {
    this.#options = options;
    this.table = new RegistrationTable(options.clock);
    this.transport = new TransportLayer({
      clock: options.clock,
      logger: options.logger,
      ...(options.observer === undefined ? {} : { observer: options.observer }),
      ...(options.tcpLimits === undefined ? {} : { tcp: options.tcpLimits }),
    });
    this.ua = new SipUserAgent({
      transport: this.transport,
      clock: options.clock,
      logger: options.logger,
      userAgentHeader: options.userAgent,
      allow: allowedMethods,
      ...(options.timers === undefined ? {} : { timers: options.timers }),
    });
    this.#authenticator = this.#newAuthenticator(initial.settings.sipRealm);
    this.update(initial);
    const challengeLimit = options.challengeLimit ?? defaultChallengeLimit;
    const gate = new DigestGate({
      authenticator: new ReplaceableAuthenticator(() => this.#authenticator),
      accounts: { findByUsername: (username) => this.#accounts.get(username) },
      throttle: options.loginThrottle,
      challenges: new KeyedRateLimiter({
        clock: options.clock,
        burst: challengeLimit.burst,
        ratePerSecond: challengeLimit.perSecond,
      }),
      logger: options.logger,
      ...(options.onChallengeDropped === undefined ? {} : { onChallengeDropped: options.onChallengeDropped }),
    });
    const registrar = new Registrar({
      accounts: { findByUsername: (username) => this.#accounts.get(username) },
      table: this.table,
      gate,
      clock: options.clock,
      logger: options.logger,
      ...(options.onRegisterOutcome === undefined ? {} : { onOutcome: options.onRegisterOutcome }),
    });
    this.phones = new SipPhoneDriver({
      ua: this.ua,
      table: this.table,
      gate,
      clock: options.clock,
      timers: this.ua.transactions.timers,
      logger: options.logger,
      ...(options.onLegStarted === undefined ? {} : { onLegStarted: options.onLegStarted }),
    });
    this.ua.onRequest((incoming) => this.#route(incoming, registrar));
  }

  /** Binds UDP and TCP on the same port (0 lets the system pick the UDP port, and TCP follows it). */
  async listen(): Promise<{ udp: Endpoint; tcp: Endpoint }> {
    const { bind, port } = this.#options;
    this.#endpoints = await this.transport.listenUdpAndTcp({ host: bind, port, ...this.#advertise() });
    return this.#endpoints;
  }

  get endpoints(): { udp: Endpoint; tcp: Endpoint } | undefined {
    return this.#endpoints;
  }

  get realm(): string {
    return this.#authenticator.realm;
  }

  /** Takes a new configuration snapshot: accounts, realm, and bindings of devices that are gone. */
  update(snapshot: ConfigSnapshot): void {
    const accounts = new Map<string, SipAccount>();
    for (const device of snapshot.devices) {
      if (device.type === 'sip-phone' && device.sip !== undefined) {
        accounts.set(device.sip.username, {
          deviceName: device.name,
          username: device.sip.username,
          ha1: device.sip.ha1,
        });
      }
    }
    const names = new Set(snapshot.devices.map((device) => device.name));
    for (const previous of this.#accounts.values()) {
      const now = accounts.get(previous.username);
      // A deleted phone, or one whose credentials changed, must register again.
      if (!names.has(previous.deviceName) || now === undefined || now.ha1.sha256 !== previous.ha1.sha256) {
        this.table.removeAll(previous.deviceName, 'removed');
      }
    }
    this.#accounts = accounts;
    if (snapshot.settings.sipRealm !== this.#authenticator.realm) {
      this.#authenticator = this.#newAuthenticator(snapshot.settings.sipRealm);
    }
  }

  async close(): Promise<void> {
    this.phones.close();
    this.ua.close();
    this.table.clear();
    await this.transport.close();
  }

  #advertise(): { advertise?: string } {
    return this.#options.advertise === undefined ? {} : { advertise: this.#options.advertise };
  }

  #newAuthenticator(realm: string): DigestAuthenticator {
    return new DigestAuthenticator({ realm, clock: this.#options.clock, algorithms: this.#options.digestAlgorithms });
  }

  /**
   * Answers what nothing here serves: a request inside a dialog we do not have gets 481 (§12.2.2), and
   * so does a BYE without a To tag, which can belong to no dialog at all (§15.1.2); a method we
   * recognise 405 with Allow, and one we do not 501 (§8.2.1).
   */
  #refuse(incoming: IncomingRequest): void {
    let inDialog = false;
    try {
      inDialog = incoming.request.to.params.has('tag');
    } catch {
      // The transport already rejects a request whose To cannot be read; nothing to decide here.
    }
    if (inDialog || incoming.method === 'BYE') {
      incoming.respond(481, 'Call/Transaction Does Not Exist');
      return;
    }
    if (knownSipMethods.has(incoming.method)) {
      incoming.respond(405, 'Method Not Allowed', {
        headers: [{ name: 'Allow', value: allowedMethods.join(', ') }],
      });
      return;
    }
    incoming.respond(501, 'Not Implemented', { headers: [{ name: 'Allow', value: allowedMethods.join(', ') }] });
  }

  #route(incoming: IncomingRequest, registrar: Registrar): void {
    if (this.phones.handleRequest(incoming)) return;
    switch (incoming.method) {
      case 'REGISTER':
        registrar.handle(incoming).catch((error: unknown) => {
          this.#options.logger.error({ err: error }, 'REGISTER failed');
          if (!incoming.answered) incoming.respond(500, 'Server Internal Error');
        });
        return;
      case 'OPTIONS':
        incoming.respond(200, 'OK', {
          headers: [
            { name: 'Allow', value: allowedMethods.join(', ') },
            { name: 'Accept', value: 'application/sdp' },
          ],
        });
        return;
      default:
        this.#refuse(incoming);
    }
  }
}

/** The registrar's view of the authenticator, following the service when the realm changes. */
class ReplaceableAuthenticator implements Pick<DigestAuthenticator, 'challenge' | 'verify' | 'realm'> {
  readonly #current: () => DigestAuthenticator;

  constructor(current: () => DigestAuthenticator) {
    this.#current = current;
  }

  get realm(): string {
    return this.#current().realm;
  }

  challenge(options?: { stale?: boolean }): string[] {
    return this.#current().challenge(options);
  }

  verify(input: Parameters<DigestAuthenticator['verify']>[0]): ReturnType<DigestAuthenticator['verify']> {
    return this.#current().verify(input);
  }
}
