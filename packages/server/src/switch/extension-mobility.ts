import {
  ErrorCode,
  StrowgerError,
  TypedEmitter,
  silentLogger,
  type Clock,
  type Logger,
  type TimerHandle,
} from '../core/index.js';
import type { SwitchConfig, SwitchDevice } from './config.js';

/** An Extension Mobility login in force on a phone. */
export interface MobilityLogin {
  readonly device: string;
  readonly userId: string;
  readonly profile: string;
  /** Milliseconds since the epoch. */
  readonly loggedInAt: number;
  /** When the maximum login time ends it (milliseconds since the epoch); undefined for no limit. */
  readonly expiresAt: number | undefined;
}

/**
 * Why a login ended: asked for (`logout`), replaced by another login on the phone (`replaced`), the
 * maximum login time ran out (`max-login-time`), or the configuration no longer allows it
 * (`configuration`: the phone, user or profile is gone, or Extension Mobility was taken away).
 */
export type MobilityLogoutReason = 'logout' | 'replaced' | 'max-login-time' | 'configuration';

export interface MobilityEvents extends Record<string, unknown> {
  /** A user logged in on a phone; its line appearances are now the profile's. */
  login: { login: MobilityLogin; lines: readonly string[]; previousLines: readonly string[] };
  /** A login ended; the phone has its own lines back. */
  logout: { login: MobilityLogin; reason: MobilityLogoutReason; lines: readonly string[] };
}

/** What a login asks for; `profile` is the user's default when absent. */
export interface MobilityLoginRequest {
  readonly userId: string;
  readonly device: string;
  readonly profile?: string;
}

export interface ExtensionMobilityOptions {
  /** Where the configuration with the logins' line appearances goes: the engine's `updateConfig`. */
  readonly apply: (config: SwitchConfig) => void;
  readonly config: SwitchConfig;
  readonly clock: Clock;
  readonly logger?: Logger;
}

/**
 * Extension Mobility in the engine (domain reference §3.5): while a user is logged in on a phone, the
 * phone's line appearances are the profile's lines, so calls to the profile's numbers ring it and its
 * calls present the profile's number; logout gives it its own lines back. The engine routes by the
 * configuration this class hands it: the configured one with each logged-in phone's lines replaced.
 * Checks of who may log in (PIN, lock-out) belong to the callers — the admin API, the command line
 * and the phone's feature code all end in `login`.
 */
export class ExtensionMobility {
  readonly events: TypedEmitter<MobilityEvents>;
  readonly #options: ExtensionMobilityOptions;
  readonly #logger: Logger;
  readonly #logins = new Map<string, MobilityLogin>();
  readonly #timers = new Map<string, TimerHandle>();
  #config: SwitchConfig;

  constructor(options: ExtensionMobilityOptions) {
    this.#options = options;
    this.#logger = (options.logger ?? silentLogger).child({ layer: 'extension-mobility' });
    this.events = new TypedEmitter(this.#logger);
    this.#config = options.config;
  }

  /** The logins in force, by device name. */
  get logins(): MobilityLogin[] {
    return [...this.#logins.values()].sort((a, b) => (a.device < b.device ? -1 : a.device > b.device ? 1 : 0));
  }

  loginOn(device: string): MobilityLogin | undefined {
    return this.#logins.get(device);
  }

  /**
   * Logs a user in on a phone with their default profile or a named one they may use; a login already
   * on the phone ends first (reason `replaced`). Throws with what to do when it is not allowed.
   */
  login(request: MobilityLoginRequest): MobilityLogin {
    const profile = this.#check(request);
    const now = this.#options.clock.now();
    const max = this.#config.maxLoginMinutes;
    const login: MobilityLogin = {
      device: request.device,
      userId: request.userId,
      profile,
      loggedInAt: now,
      expiresAt: max === undefined ? undefined : now + max * 60_000,
    };
    const previous = this.#logins.get(request.device);
    if (previous !== undefined) this.#end(previous, 'replaced', false);
    const previousLines = this.#linesOf(request.device);
    this.#start(login);
    this.#apply();
    this.#logger.info({ device: login.device, userId: login.userId, profile }, 'Extension Mobility login');
    this.events.emit('login', { login, lines: this.#linesOf(request.device), previousLines });
    return login;
  }

  /** Ends the login on a phone; undefined when nobody was logged in there. */
  logout(device: string, reason: MobilityLogoutReason = 'logout'): MobilityLogin | undefined {
    const login = this.#logins.get(device);
    if (login === undefined) return undefined;
    this.#end(login, reason, true);
    return login;
  }

  /**
   * Takes back logins kept from before a restart. Those the maximum login time has run out on, or that
   * the configuration no longer allows, end at once with their events.
   */
  restore(logins: readonly MobilityLogin[]): void {
    const now = this.#options.clock.now();
    const ended: Array<[MobilityLogin, MobilityLogoutReason]> = [];
    for (const login of logins) {
      if (login.expiresAt !== undefined && login.expiresAt <= now) ended.push([login, 'max-login-time']);
      else if (this.#problem(login) !== undefined) ended.push([login, 'configuration']);
      else this.#start(login);
    }
    this.#apply();
    for (const [login, reason] of ended)
      this.events.emit('logout', { login, reason, lines: this.#linesOf(login.device) });
    for (const login of this.#logins.values()) {
      this.events.emit('login', {
        login,
        lines: this.#linesOf(login.device),
        previousLines: this.#ownLines(login.device),
      });
    }
  }

  /** A new configuration: logins it no longer allows end (reason `configuration`); the rest carry on. */
  updateConfig(config: SwitchConfig): void {
    this.#config = config;
    const ended: MobilityLogin[] = [];
    for (const login of [...this.#logins.values()]) {
      if (this.#problem(login) === undefined) continue;
      this.#stop(login.device);
      ended.push(login);
    }
    this.#apply();
    for (const login of ended) {
      this.#logger.info(
        { device: login.device, userId: login.userId },
        'Extension Mobility login ended by a configuration change',
      );
      this.events.emit('logout', { login, reason: 'configuration', lines: this.#linesOf(login.device) });
    }
  }

  /** The configuration with every logged-in phone's lines replaced by its profile's. */
  effectiveConfig(): SwitchConfig {
    if (this.#logins.size === 0) return this.#config;
    const profiles = new Map((this.#config.deviceProfiles ?? []).map((p) => [p.name, p]));
    return {
      ...this.#config,
      devices: this.#config.devices.map((device): SwitchDevice => {
        const login = this.#logins.get(device.name);
        const profile = login === undefined ? undefined : profiles.get(login.profile);
        return profile === undefined ? device : { ...device, lines: profile.lines };
      }),
    };
  }

  close(): void {
    for (const timer of this.#timers.values()) timer.cancel();
    this.#timers.clear();
  }

  #check(request: MobilityLoginRequest): string {
    const device = this.#config.devices.find((d) => d.name === request.device);
    if (device === undefined) {
      throw new StrowgerError(ErrorCode.NotFound, `no device named ${request.device} is configured`);
    }
    if (device.extensionMobility !== true) {
      throw new StrowgerError(
        ErrorCode.InvalidState,
        `${device.name} does not allow Extension Mobility; set extensionMobility: true on the device to let users log in there`,
      );
    }
    const user = (this.#config.mobilityUsers ?? []).find((u) => u.userId === request.userId);
    if (user === undefined) {
      throw new StrowgerError(
        ErrorCode.NotFound,
        `${request.userId} is not an end user with Extension Mobility; give the user an extensionMobility: section with a default profile`,
      );
    }
    const profile = request.profile ?? user.defaultProfile;
    if (profile === undefined) {
      throw new StrowgerError(
        ErrorCode.InvalidArgument,
        `${user.userId} has no default device profile; name a profile (${user.profiles.join(', ') || 'the user has none'}) or set extensionMobility.defaultProfile`,
      );
    }
    if (profile !== user.defaultProfile && !user.profiles.includes(profile)) {
      const allowed = [user.defaultProfile, ...user.profiles].filter((p) => p !== undefined);
      throw new StrowgerError(
        ErrorCode.PrivilegeViolation,
        `${user.userId} may not log in with profile ${profile}; allowed: ${allowed.join(', ') || 'none'}`,
      );
    }
    if (!(this.#config.deviceProfiles ?? []).some((p) => p.name === profile)) {
      throw new StrowgerError(ErrorCode.NotFound, `no device profile named ${profile} is configured`);
    }
    const elsewhere = [...this.#logins.values()].find((l) => l.userId === user.userId && l.device !== device.name);
    if (elsewhere !== undefined) {
      // CUCM's default "Multiple Logins Not Allowed": one phone per user at a time.
      throw new StrowgerError(
        ErrorCode.InvalidState,
        `${user.userId} is already logged in on ${elsewhere.device}; log out there first`,
      );
    }
    return profile;
  }

  /** Why the configuration no longer allows a login; undefined when it still does. */
  #problem(login: MobilityLogin): string | undefined {
    try {
      this.#check({ userId: login.userId, device: login.device, profile: login.profile });
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  #start(login: MobilityLogin): void {
    this.#logins.set(login.device, login);
    if (login.expiresAt !== undefined) {
      const delay = Math.max(0, login.expiresAt - this.#options.clock.now());
      this.#timers.set(
        login.device,
        this.#options.clock.setTimer(delay, () => {
          if (this.#logins.get(login.device) === login) this.#end(login, 'max-login-time', true);
        }),
      );
    }
  }

  #stop(device: string): void {
    this.#logins.delete(device);
    this.#timers.get(device)?.cancel();
    this.#timers.delete(device);
  }

  #end(login: MobilityLogin, reason: MobilityLogoutReason, apply: boolean): void {
    this.#stop(login.device);
    if (apply) this.#apply();
    this.#logger.info({ device: login.device, userId: login.userId, reason }, 'Extension Mobility logout');
    this.events.emit('logout', { login, reason, lines: this.#linesOf(login.device) });
  }

  #apply(): void {
    this.#options.apply(this.effectiveConfig());
  }

  #ownLines(device: string): readonly string[] {
    return this.#config.devices.find((d) => d.name === device)?.lines ?? [];
  }

  #linesOf(device: string): readonly string[] {
    const login = this.#logins.get(device);
    if (login === undefined) return this.#ownLines(device);
    return (this.#config.deviceProfiles ?? []).find((p) => p.name === login.profile)?.lines ?? [];
  }
}
