import type { ConfigSnapshot, DeviceType } from '../../store/index.js';
import { rolesOfGroups, type CtiRole } from './roles.js';

export type CtiUserKind = 'end-user' | 'application-user';

/** A user that may open a CTI provider, as the permission model sees it (domain reference §3.1). */
export interface CtiUser {
  readonly userId: string;
  readonly kind: CtiUserKind;
  /** Access control groups, by name. */
  readonly groups: readonly string[];
  /** The roles those groups hold. */
  readonly roles: ReadonlySet<CtiRole>;
  /** Device association: the user's controlled devices, by name. */
  readonly controlledDevices: ReadonlySet<string>;
  /** Extension Mobility device profiles in the user's CTI-controlled profiles (§3.3). */
  readonly controlledProfiles: readonly string[];
  /** An end user's own Extension Mobility "Allow Control of Device from CTI"; absent without an EM section. */
  readonly extensionMobilityAllowsCti?: boolean;
}

/** A device with what the permission model needs of it. */
export interface CtiDevice {
  readonly name: string;
  readonly type: DeviceType;
  /** The device's "Allow Control of Device from CTI" (§3.4). */
  readonly allowCtiControl: boolean;
  /** Directory numbers in line-index order. */
  readonly lines: readonly string[];
  /**
   * A phone whose transfer and conference are "connected", which needs the role of that name (§3.2).
   * The configuration has no phone model yet, so devices built from it never are.
   */
  readonly connectedTransferConference: boolean;
  /** A phone in line-rollover mode, which needs the rollover role (§3.2); as above, never set today. */
  readonly rolloverMode: boolean;
}

export interface CtiLine {
  readonly dn: string;
  /** The line's "Allow Control of Device from CTI" (§3.4). */
  readonly allowCtiControl: boolean;
}

/**
 * An Extension Mobility login on a device (§3.3, §3.5): while it lasts, the profile's or user's
 * "Allow Control of Device from CTI" replaces the device's own flag, and a provider whose user logged
 * in, or whose CTI-controlled profiles hold the profile, has the device in its domain.
 */
export interface ExtensionMobilityLogin {
  readonly device: string;
  readonly userId: string;
  readonly profile: string;
  /** The logged-in end user's (or profile's) "Allow Control of Device from CTI". */
  readonly allowCtiControl: boolean;
  /** The profile's own flag, when the login came from the store (for the explainer's sentence). */
  readonly profileAllowsCti?: boolean;
  /** The end user's Extension Mobility flag, likewise. */
  readonly userAllowsCti?: boolean;
}

/** A login as the engine keeps it: the parts the permission model needs to look up in the configuration. */
export interface LoginOnDevice {
  readonly device: string;
  readonly userId: string;
  readonly profile: string;
}

/**
 * The configuration indexed for the permission model: built once per configuration snapshot, so a
 * provider's domain costs a map lookup per controlled device and never a scan of the configuration.
 */
export class CtiConfiguration {
  /** Devices by name, in name order. */
  readonly devices: ReadonlyMap<string, CtiDevice>;
  /** Lines by directory number, in number order. */
  readonly lines: ReadonlyMap<string, CtiLine>;
  readonly #appearances: Map<string, string[]>;
  readonly #users: Map<string, CtiUser[]>;
  readonly #emLogins: Map<string, ExtensionMobilityLogin>;

  constructor(parts: {
    devices: readonly CtiDevice[];
    lines: readonly CtiLine[];
    users: readonly CtiUser[];
    extensionMobilityLogins?: readonly ExtensionMobilityLogin[];
  }) {
    this.devices = new Map(inOrder(parts.devices, (d) => d.name).map((device) => [device.name, device]));
    this.lines = new Map(inOrder(parts.lines, (l) => l.dn).map((line) => [line.dn, line]));
    this.#appearances = new Map();
    for (const device of this.devices.values()) {
      for (const dn of device.lines) {
        const list = this.#appearances.get(dn);
        if (list === undefined) this.#appearances.set(dn, [device.name]);
        else list.push(device.name);
      }
    }
    this.#users = new Map();
    for (const user of parts.users) {
      const list = this.#users.get(user.userId);
      if (list === undefined) this.#users.set(user.userId, [user]);
      else list.push(user);
    }
    this.#emLogins = new Map((parts.extensionMobilityLogins ?? []).map((login) => [login.device, login]));
  }

  /**
   * The configuration of a store snapshot with the Extension Mobility logins in force, indexed once per
   * snapshot object and logins list. A logged-in phone's lines are its profile's; the login's CTI flag
   * is on only when both the profile's and the end user's are (each is a restriction, §3.4).
   */
  static fromSnapshot(snapshot: ConfigSnapshot, logins: readonly LoginOnDevice[] = noLogins): CtiConfiguration {
    const cached = bySnapshot.get(snapshot);
    if (cached !== undefined && cached.logins === logins) return cached.configuration;
    const builtIn = new Set(snapshot.groups.filter((group) => group.builtIn).map((group) => group.name));
    const user = (
      kind: CtiUserKind,
      u: {
        userId: string;
        groups: string[];
        devices: string[];
        ctiControlledProfiles?: string[];
        extensionMobility?: { allowCtiControl: boolean };
      },
    ): CtiUser => ({
      userId: u.userId,
      kind,
      groups: u.groups,
      // Only the seeded standard groups hold the roles of their names (migration 0001).
      roles: rolesOfGroups(u.groups.filter((group) => builtIn.has(group))),
      controlledDevices: new Set(u.devices),
      controlledProfiles: u.ctiControlledProfiles ?? [],
      ...(u.extensionMobility === undefined ? {} : { extensionMobilityAllowsCti: u.extensionMobility.allowCtiControl }),
    });
    const profiles = new Map(snapshot.deviceProfiles.map((profile) => [profile.name, profile]));
    const endUsers = new Map(snapshot.endUsers.map((u) => [u.userId, u]));
    const emLogins: ExtensionMobilityLogin[] = [];
    const profileLines = new Map<string, readonly string[]>();
    for (const login of logins) {
      const profile = profiles.get(login.profile);
      if (profile === undefined) continue;
      const userAllowsCti = endUsers.get(login.userId)?.extensionMobility?.allowCtiControl ?? true;
      emLogins.push({
        ...login,
        allowCtiControl: profile.allowCtiControl && userAllowsCti,
        profileAllowsCti: profile.allowCtiControl,
        userAllowsCti,
      });
      profileLines.set(login.device, profile.lines);
    }
    const configuration = new CtiConfiguration({
      extensionMobilityLogins: emLogins,
      devices: snapshot.devices.map((device) => ({
        name: device.name,
        type: device.type,
        allowCtiControl: device.allowCtiControl,
        lines: profileLines.get(device.name) ?? device.lines,
        connectedTransferConference: false,
        rolloverMode: false,
      })),
      lines: snapshot.lines.map((line) => ({ dn: line.dn, allowCtiControl: line.allowCtiControl })),
      users: [
        ...snapshot.endUsers.map((u) => user('end-user', u)),
        ...snapshot.applicationUsers.map((u) => user('application-user', u)),
      ],
    });
    bySnapshot.set(snapshot, { logins, configuration });
    return configuration;
  }

  /** The devices on which a directory number appears, in device-name order. */
  appearancesOf(dn: string): readonly string[] {
    return this.#appearances.get(dn) ?? [];
  }

  /** Every user with this id: one, or an end user and an application user that share it. */
  usersNamed(userId: string): readonly CtiUser[] {
    return this.#users.get(userId) ?? [];
  }

  /** Every user, end users first, each kind in user-id order. */
  get users(): CtiUser[] {
    const kindOrder = (kind: CtiUserKind) => (kind === 'end-user' ? 0 : 1);
    return [...this.#users.values()]
      .flat()
      .sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind) || compare(a.userId, b.userId));
  }

  /** Every Extension Mobility login, by device. */
  get extensionMobilityLogins(): Iterable<ExtensionMobilityLogin> {
    return this.#emLogins.values();
  }

  /** The Extension Mobility login on a device, if there is one. */
  extensionMobilityLogin(device: string): ExtensionMobilityLogin | undefined {
    return this.#emLogins.get(device);
  }
}

const noLogins: readonly LoginOnDevice[] = [];
const bySnapshot = new WeakMap<ConfigSnapshot, { logins: readonly LoginOnDevice[]; configuration: CtiConfiguration }>();

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The items in key order; a store snapshot is in that order already, so usually no sort is needed. */
function inOrder<T>(items: readonly T[], key: (item: T) => string): readonly T[] {
  for (let i = 1; i < items.length; i++) {
    if (compare(key(items[i - 1] as T), key(items[i] as T)) > 0) {
      return [...items].sort((a, b) => compare(key(a), key(b)));
    }
  }
  return items;
}
