import { ErrorCode, LoginThrottle, StrowgerError, type Clock, type Logger } from '../core/index.js';
import type { MobilityControl, MobilityLoginView } from '../admin/index.js';
import type { ConfigSnapshot, MobilityAuditEntry, StoredMobilityLogin } from '../store/index.js';
import { verifyPassword } from '../store/index.js';
import {
  ExtensionMobility,
  type MobilityLogin,
  type MobilityLogoutReason,
  type Switch,
  type SwitchConfig,
} from '../switch/index.js';

/** Where logins are kept across restarts: the store. */
export interface MobilityLoginStore {
  loadMobilityLogins(): Promise<StoredMobilityLogin[]>;
  saveMobilityLogin(login: StoredMobilityLogin): Promise<void>;
  deleteMobilityLogin(device: string): Promise<void>;
  /** An entry in the audit log: who logged whom in or out, where, when and how. */
  auditMobility(entry: MobilityAuditEntry): Promise<void>;
}

/** How a login or logout was asked for: the audit log's "how". */
export type MobilityVia = 'phone' | 'admin-api' | 'command-line';

/** Who asked for a login or logout, and how. */
export interface MobilityActor {
  /** The audit log's "who": the admin account, "local command line", or the end user at the phone. */
  readonly actor: string;
  readonly via: MobilityVia;
}

/** The audit log's words for each way in and out. */
const viaWords: Readonly<Record<MobilityVia, string>> = {
  phone: 'from the phone with the feature code',
  'admin-api': 'over the admin API',
  'command-line': 'with the command line (strowger em)',
};

/** Who hears of every login and logout: the CTI providers, whose domains follow them. */
export interface MobilityListener {
  updateExtensionMobility(logins: readonly MobilityLogin[]): void;
}

export interface MobilityLoginInput {
  readonly userId: string;
  readonly device: string;
  readonly profile?: string;
  /**
   * The user's PIN. Required from a phone; the admin API and command line, whose callers are
   * administrators already, may log a user in without it. When given it is checked, with lock-out.
   */
  readonly pin?: string;
  /** Where the attempt came from (the phone's name, the API client's address), for the lock-out. */
  readonly source: string;
  /** Who asks, for the audit log. */
  readonly by: MobilityActor;
}

/** Five wrong PINs lock the user for five minutes, doubling with each further wrong PIN up to an hour. */
export const pinLockout = { attempts: 5, firstLockoutMs: 5 * 60_000, maxLockoutMs: 60 * 60_000 } as const;

/**
 * Extension Mobility for the server: the engine's logins, kept in the store (as CUCM keeps them in its
 * database) so a restart leaves users logged in where they were, and followed by the CTI providers.
 * Every way of logging in — the admin API, the command line, and a phone's feature code — goes
 * through `login`, which checks the PIN when one is given and locks a user out after five wrong ones.
 */
export class MobilityService {
  readonly engine: ExtensionMobility;
  readonly #store: MobilityLoginStore;
  readonly #logger: Logger;
  readonly #throttle: LoginThrottle;
  #snapshot: ConfigSnapshot;
  #listener: MobilityListener | undefined;
  #logins: readonly MobilityLogin[] = [];
  /** Store writes in order, so a quick login–logout never lands the other way round. */
  #writes: Promise<void> = Promise.resolve();
  /** Who asks for the login or logout the engine is making now (its events follow synchronously). */
  #asking: MobilityActor | undefined;

  constructor(options: {
    engine: Pick<Switch, 'updateConfig'>;
    config: SwitchConfig;
    snapshot: ConfigSnapshot;
    store: MobilityLoginStore;
    clock: Clock;
    logger: Logger;
  }) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#snapshot = options.snapshot;
    this.engine = new ExtensionMobility({
      apply: (config) => options.engine.updateConfig(config),
      config: options.config,
      clock: options.clock,
      logger: options.logger,
    });
    this.#throttle = new LoginThrottle({
      clock: options.clock,
      service: 'extension-mobility',
      logger: options.logger,
      thresholds: { user: pinLockout.attempts, pair: pinLockout.attempts },
      firstLockoutMs: pinLockout.firstLockoutMs,
      maxLockoutMs: pinLockout.maxLockoutMs,
      decayMs: pinLockout.firstLockoutMs,
    });
    this.engine.events.on('login', ({ login }) => {
      this.#audit('create', login, this.#asking, undefined);
      this.#persist(() =>
        this.#store.saveMobilityLogin({
          device: login.device,
          userId: login.userId,
          profile: login.profile,
          loggedInAt: new Date(login.loggedInAt),
          expiresAt: login.expiresAt === undefined ? undefined : new Date(login.expiresAt),
        }),
      );
      this.#notify();
    });
    this.engine.events.on('logout', ({ login, reason }) => {
      this.#audit('delete', login, this.#asking, reason);
      // A replaced login's row is overwritten by the new one; deleting it here could land after that.
      if (this.engine.loginOn(login.device) === undefined)
        this.#persist(() => this.#store.deleteMobilityLogin(login.device));
      this.#notify();
    });
  }

  /** Takes back the logins kept before a restart; the listener (the CTI providers) follows from then on. */
  async start(listener: MobilityListener | undefined): Promise<void> {
    this.#listener = listener;
    const stored = await this.#store.loadMobilityLogins();
    this.engine.restore(
      stored.map((login) => ({
        device: login.device,
        userId: login.userId,
        profile: login.profile,
        loggedInAt: login.loggedInAt.getTime(),
        expiresAt: login.expiresAt?.getTime(),
      })),
    );
    if (stored.length > 0)
      this.#logger.info({ logins: this.engine.logins.length }, 'Extension Mobility logins restored');
  }

  /** Attaches the CTI providers once they exist. */
  attach(listener: MobilityListener): void {
    this.#listener = listener;
    this.#notify();
  }

  /** A new configuration: logins it no longer allows end. */
  updateConfig(snapshot: ConfigSnapshot, config: SwitchConfig): void {
    this.#snapshot = snapshot;
    this.engine.updateConfig(config);
  }

  /** The logins in force, by device; the same array until the next login or logout (the CTI layer caches by it). */
  get logins(): readonly MobilityLogin[] {
    return this.#logins;
  }

  /** Logs a user in; with a PIN, checks it first, refusing while the user is locked out. */
  async login(input: MobilityLoginInput): Promise<MobilityLogin> {
    if (input.pin !== undefined) await this.#checkPin(input.userId, input.pin, input.source);
    return this.#as(input.by, () =>
      this.engine.login({
        userId: input.userId,
        device: input.device,
        ...(input.profile === undefined ? {} : { profile: input.profile }),
      }),
    );
  }

  logout(device: string, by: MobilityActor): MobilityLogin {
    const login = this.#as(by, () => this.engine.logout(device));
    if (login === undefined) {
      throw new StrowgerError(ErrorCode.NotFound, `nobody is logged in on ${device} with Extension Mobility`);
    }
    return login;
  }

  /** Whether users may log in on the device with Extension Mobility (it is configured to allow it). */
  allowsExtensionMobility(device: string): boolean {
    return this.#snapshot.devices.some((d) => d.name === device && d.extensionMobility === true);
  }

  /**
   * The end user that digits keyed on a phone name: the user whose user id they are, else the one
   * end user with Extension Mobility whose primary extension they are. Unmatched digits are returned
   * as they are, so the login fails as a wrong PIN does and a guess learns nothing.
   */
  userIdForDigits(digits: string): string {
    const users = this.#snapshot.endUsers;
    if (users.some((user) => user.userId === digits)) return digits;
    const byExtension = users.filter(
      (user) => user.extensionMobility !== undefined && user.primaryExtension === digits,
    );
    return byExtension.length === 1 ? byExtension[0]!.userId : digits;
  }

  /** Store writes still in flight (for an orderly stop, and for tests). */
  flush(): Promise<void> {
    return this.#writes;
  }

  close(): void {
    this.engine.close();
  }

  async #checkPin(userId: string, pin: string, source: string): Promise<void> {
    const admission = this.#throttle.admit({ user: userId, source });
    if (!admission.admitted) throw lockedOut(userId, admission.retryAfterMs, '');
    const hash = this.#snapshot.endUsers.find((user) => user.userId === userId)?.pinHash;
    // An unknown user or one without a PIN fails the same way as a wrong PIN, so guesses learn nothing.
    const right = hash !== undefined && (await verifyPassword(pin, hash));
    if (!right) {
      admission.attempt.failed();
      const wait = this.#throttle.refusalWait({ user: userId, source });
      if (wait > 0) throw lockedOut(userId, wait, 'now ');
      throw new StrowgerError(ErrorCode.AuthenticationFailed, `wrong user id or PIN for ${userId}`);
    }
    admission.attempt.succeeded();
  }

  #as<T>(by: MobilityActor, run: () => T): T {
    this.#asking = by;
    try {
      return run();
    } finally {
      this.#asking = undefined;
    }
  }

  /**
   * The audit log's entry for a login (create) or logout (delete). A logout nobody asked for is the
   * system's: the maximum login time ran out, or the configuration no longer allows the login.
   */
  #audit(
    action: 'create' | 'delete',
    login: MobilityLogin,
    by: MobilityActor | undefined,
    reason: MobilityLogoutReason | undefined,
  ): void {
    const view = { ...mobilityLoginView(login) };
    const how = by === undefined ? '' : ` ${viaWords[by.via]}`;
    const note =
      action === 'create'
        ? `${login.userId} logged in on ${login.device}${how}`
        : reason === 'max-login-time'
          ? `${login.userId} logged out of ${login.device}: the maximum login time ran out`
          : reason === 'configuration'
            ? `${login.userId} logged out of ${login.device}: the configuration no longer allows the login`
            : reason === 'replaced'
              ? `${login.userId} logged out of ${login.device}: another user logged in there${how}`
              : `${login.userId} logged out of ${login.device}${how}`;
    const entry: MobilityAuditEntry = {
      actor: by?.actor ?? 'system',
      action,
      key: login.device,
      before: action === 'delete' ? view : null,
      after: action === 'create' ? view : null,
      note,
    };
    this.#persist(() => this.#store.auditMobility(entry));
  }

  #persist(write: () => Promise<void>): void {
    this.#writes = this.#writes.then(write).catch((error: unknown) => {
      this.#logger.error(
        { err: error },
        'could not store an Extension Mobility login or logout (or its audit entry); the login holds until restart',
      );
    });
  }

  #notify(): void {
    this.#logins = this.engine.logins;
    this.#listener?.updateExtensionMobility(this.#logins);
  }
}

function lockedOut(userId: string, waitMs: number, now: string): StrowgerError {
  const minutes = Math.max(1, Math.ceil(waitMs / 60_000));
  return new StrowgerError(
    ErrorCode.AccountLocked,
    `${userId} is ${now}locked out of Extension Mobility after ${pinLockout.attempts} wrong PINs; try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an administrator to log the user in`,
    { details: { retryAfterMs: waitMs } },
  );
}

/** A login as the admin API and the command line show it. */
export function mobilityLoginView(login: MobilityLogin): MobilityLoginView {
  return {
    device: login.device,
    userId: login.userId,
    profile: login.profile,
    loggedInAt: new Date(login.loggedInAt).toISOString(),
    ...(login.expiresAt === undefined ? {} : { expiresAt: new Date(login.expiresAt).toISOString() }),
  };
}

/** The admin API's view of the service. */
export function mobilityControl(service: MobilityService): MobilityControl {
  return {
    logins: () => service.logins.map(mobilityLoginView),
    login: async (input) => mobilityLoginView(await service.login(input)),
    logout: (device, by) => mobilityLoginView(service.logout(device, by)),
  };
}
