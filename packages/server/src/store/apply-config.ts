import { eq, inArray, sql } from 'drizzle-orm';
import { ErrorCode, StrowgerError } from '../core/index.js';
import type { ConfigDocument } from './config/config-schema.js';
import {
  applicationUserDocument,
  deviceDocument,
  deviceProfileDocument,
  endUserDocument,
  huntListDocument,
  huntPilotDocument,
  lineDocument,
  lineGroupDocument,
  settingsDocument,
  voicemailProfileDocument,
} from './config/config-documents.js';
import { writeDevices, writeEndUsers, writeLines } from './batch-writes.js';
import { CHANGE_CHANNEL, type Database } from './database.js';
import { featureCodeProblems } from './config/feature-codes.js';
import * as t from './schema.js';
import { hashPassword, isPasswordHash, sipHa1, verifyPassword } from './secrets.js';
import type {
  ApplicationUserConfig,
  ConfigSnapshot,
  DeviceConfig,
  DeviceProfileConfig,
  EndUserConfig,
  HuntListConfig,
  HuntPilotConfig,
  LineConfig,
  LineGroupConfig,
} from './snapshot.js';

export interface KindCounts {
  created: number;
  updated: number;
  removed: number;
  unchanged: number;
}

export interface ApplyResult {
  changed: boolean;
  version: number;
  devices: KindCounts;
  lines: KindCounts;
  voicemailProfiles: KindCounts;
  lineGroups: KindCounts;
  huntLists: KindCounts;
  huntPilots: KindCounts;
  deviceProfiles: KindCounts;
  endUsers: KindCounts;
  applicationUsers: KindCounts;
}

/** The kinds of configuration object, as the document's top-level keys name them. */
export type ConfigKind =
  | 'devices'
  | 'lines'
  | 'voicemailProfiles'
  | 'lineGroups'
  | 'huntLists'
  | 'huntPilots'
  | 'endUsers'
  | 'applicationUsers'
  | 'deviceProfiles';

export interface ApplyOptions {
  /** Delete what the document does not mention (the document is the whole configuration). */
  prune?: boolean;
  /** Names the document in error messages (a file name). */
  source?: string;
  /** Validate and count, write nothing. */
  dryRun?: boolean;
  /** Objects to delete, by key (name, dn, pattern or userId), checked like the rest. */
  remove?: Partial<Record<ConfigKind, readonly string[]>>;
  /**
   * Called with the configuration as it is inside the transaction, after the lock and before any
   * change: a throw aborts the apply (optimistic concurrency: "only if it is still as I read it").
   */
  precondition?: (current: ConfigSnapshot) => void;
  /** Who makes the change, for the audit log: an admin account, the command line, a file at start. */
  actor?: string;
  /**
   * One audit entry for the whole change instead of one per object (a bulk import of ten thousand
   * phones is one administrative act): its resource and key, and what it says it did.
   */
  auditAs?: { resource: string; key: string; after: Record<string, unknown>; note?: string };
  /**
   * Told how far the apply is: `done` of `total` units of work, where a unit is a password or PIN
   * to hash or an object to write. Called often; keep it cheap.
   */
  onProgress?: (done: number, total: number) => void;
}

/** JSON with sorted keys, so values compare equal whatever order their keys were built in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .filter(([, x]) => x !== undefined)
            .sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

/** Passwords and PINs hashed at most this many at once: the thread pool's size, which scrypt runs on. */
const hashesAtOnce = 4;

/**
 * Hashes the secrets a document gives in clear, several at once, and counts them for progress. A
 * dry run writes nothing, so a new secret is not hashed (an scrypt hash costs ~50 ms of a core); a
 * changed one is still compared with the stored hash so the counts say what would change.
 */
class SecretHashing {
  readonly #dryRun: boolean;
  readonly #progress: (done: number, total: number) => void;

  constructor(dryRun: boolean, progress: (done: number, total: number) => void = () => undefined) {
    this.#dryRun = dryRun;
    this.#progress = progress;
  }

  async hash(clear: string, previous: string | undefined): Promise<string> {
    if (previous !== undefined && (await verifyPassword(clear, previous))) return previous;
    return this.#dryRun ? notHashedInDryRun : hashPassword(clear);
  }

  /** Runs the tasks, `hashesAtOnce` at a time, reporting each one done. */
  async run(tasks: ReadonlyArray<() => Promise<void>>): Promise<void> {
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < tasks.length) {
        await tasks[next++]!();
        this.#progress(++done, tasks.length);
      }
    };
    await Promise.all(Array.from({ length: Math.min(hashesAtOnce, tasks.length) }, worker));
  }
}

/** What a dry run puts where a new hash would go: it is compared, never stored. */
const notHashedInDryRun = 'not hashed in a dry run';

interface Desired {
  snapshot: ConfigSnapshot;
  problems: string[];
}

/** The most call park numbers one range may give. */
const maxParkNumbers = 1000;

/**
 * The numbers of a call park range ("7900-7919", or one number), or why it is not one: the ends
 * must have the same number of digits (leading zeros kept) and be in order.
 */
export function parkNumbers(range: string): string[] | string {
  const [first = '', last = first] = range.split('-');
  if (first.length === 0 || first.length !== last.length) {
    return `"${range}": both ends of a range need the same number of digits, as "7900-7919"`;
  }
  const from = BigInt(first);
  const to = BigInt(last);
  if (to < from) return `"${range}": the range ends before it starts; write the smaller number first`;
  if (to - from + 1n > BigInt(maxParkNumbers))
    return `"${range}" has more than ${maxParkNumbers} numbers; use a smaller range`;
  const numbers: string[] = [];
  for (let n = from; n <= to; n++) numbers.push(n.toString().padStart(first.length, '0'));
  return numbers;
}

/** A CTI route point line's call limits when the document gives none (CUCM's defaults, domain reference §1.2). */
const routePointLimits = { maxCalls: 5000, busyTrigger: 4500 };
/** The most calls a line of a phone or CTI port may hold; only a route point's line goes beyond. */
const deviceLineMaxCalls = 200;

/**
 * A line's call limits follow its device: a route point's line holds thousands of calls, with
 * CUCM's defaults when the document gives none; any other line at most 200; and the busy trigger is
 * never above the maximum.
 */
function checkCallLimits(
  doc: ConfigDocument,
  lines: Map<string, LineConfig>,
  devices: Map<string, DeviceConfig>,
  defaultLimits: ReadonlyMap<string, { index: number; maxCalls: boolean; busyTrigger: boolean }>,
  problems: string[],
): void {
  const routePointLines = new Set<string>();
  const otherLines = new Map<string, string>();
  for (const device of devices.values()) {
    for (const dn of device.lines) {
      if (device.type === 'cti-route-point') routePointLines.add(dn);
      else otherLines.set(dn, device.name);
    }
  }
  for (const [dn, defaults] of defaultLimits) {
    const line = lines.get(dn);
    if (line === undefined || !routePointLines.has(dn)) continue;
    lines.set(dn, {
      ...line,
      ...(defaults.maxCalls ? { maxCalls: routePointLimits.maxCalls } : {}),
      ...(defaults.busyTrigger
        ? {
            busyTrigger: Math.min(
              routePointLimits.busyTrigger,
              defaults.maxCalls ? routePointLimits.maxCalls : line.maxCalls,
            ),
          }
        : {}),
    });
  }
  const indexOf = new Map((doc.lines ?? []).map((line, i) => [line.dn, i]));
  for (const line of lines.values()) {
    const where = indexOf.has(line.dn) ? `lines[${indexOf.get(line.dn)}]` : `line ${line.dn}`;
    const device = otherLines.get(line.dn);
    if (device !== undefined && line.maxCalls > deviceLineMaxCalls) {
      problems.push(
        `${where}: maxCalls ${line.maxCalls} is above ${deviceLineMaxCalls}, the most for a line of a phone or CTI port (${device}); only a cti-route-point's line holds more`,
      );
    }
    if (line.busyTrigger > line.maxCalls) {
      problems.push(
        `${where}: busyTrigger ${line.busyTrigger} is above maxCalls ${line.maxCalls}; lower busyTrigger or raise maxCalls`,
      );
    }
  }
}

/** The configuration the document asks for, merged over the current one; problems instead of throwing. */
async function buildDesired(
  current: ConfigSnapshot,
  doc: ConfigDocument,
  prune: boolean,
  remove: ApplyOptions['remove'] = {},
  hashing: SecretHashing = new SecretHashing(false),
): Promise<Desired> {
  const problems: string[] = [];
  // What the document starts from: nothing with --prune, else the current objects less those removed.
  const base = <T>(kind: ConfigKind, list: T[], key: (item: T) => string): T[] => {
    if (prune) return [];
    const removed = new Set(remove[kind] ?? []);
    return removed.size === 0 ? list : list.filter((item) => !removed.has(key(item)));
  };
  const realm = doc.settings?.sipRealm ?? current.settings.sipRealm;
  // Absent from the file: kept as it is, unless the file is the whole configuration (--prune).
  const voicemailPilot = doc.settings?.voicemailPilot ?? (prune ? undefined : current.settings.voicemailPilot);
  const conferenceNumber = doc.settings?.conferenceNumber ?? (prune ? undefined : current.settings.conferenceNumber);
  const extensionMobilityMaxLoginMinutes =
    doc.settings?.extensionMobilityMaxLoginMinutes ??
    (prune ? undefined : current.settings.extensionMobilityMaxLoginMinutes);
  const extensionMobilityLoginCode =
    doc.settings?.extensionMobilityLoginCode ?? (prune ? undefined : current.settings.extensionMobilityLoginCode);
  const extensionMobilityLogoutCode =
    doc.settings?.extensionMobilityLogoutCode ?? (prune ? undefined : current.settings.extensionMobilityLogoutCode);
  const callParkRange = doc.settings?.callParkRange ?? (prune ? undefined : current.settings.callParkRange);
  const callParkReversionSeconds =
    doc.settings?.callParkReversionSeconds ?? (prune ? 60 : (current.settings.callParkReversionSeconds ?? 60));

  const lines = new Map(base('lines', current.lines, (l) => l.dn).map((line) => [line.dn, line]));
  // Lines whose call limits the document leaves to the default, which depends on the device (below).
  const defaultLimits = new Map<string, { index: number; maxCalls: boolean; busyTrigger: boolean }>();
  for (const [i, line] of (doc.lines ?? []).entries()) {
    if (line.maxCalls === undefined || line.busyTrigger === undefined)
      defaultLimits.set(line.dn, {
        index: i,
        maxCalls: line.maxCalls === undefined,
        busyTrigger: line.busyTrigger === undefined,
      });
    const forward = line.forward ?? {};
    const config: LineConfig = {
      dn: line.dn,
      description: line.description,
      allowCtiControl: line.allowCtiControl ?? true,
      forward: {
        ...(forward.all ? { all: forward.all } : {}),
        ...(forward.busy ? { busy: forward.busy } : {}),
        ...(forward.noAnswer ? { noAnswer: forward.noAnswer } : {}),
        ...(forward.unregistered ? { unregistered: forward.unregistered } : {}),
        ...(forward.ctiFailure ? { ctiFailure: forward.ctiFailure } : {}),
        ...(forward.noCoverage ? { noCoverage: forward.noCoverage } : {}),
      },
      noAnswerSeconds: forward.noAnswerSeconds ?? 12,
      maxCalls: line.maxCalls ?? 2,
      busyTrigger: line.busyTrigger ?? 1,
      voicemailProfile: line.voicemailProfile,
      pickupGroup: line.pickupGroup,
    };
    lines.set(line.dn, config);
  }

  const currentDevices = new Map(current.devices.map((device) => [device.name, device]));
  const devices = new Map(base('devices', current.devices, (d) => d.name).map((device) => [device.name, device]));
  for (const [i, device] of (doc.devices ?? []).entries()) {
    let sip: DeviceConfig['sip'];
    if (device.sip !== undefined) {
      const previous = currentDevices.get(device.name)?.sip;
      if (device.sip.password !== undefined) {
        sip = { username: device.sip.username, ha1: sipHa1(device.sip.username, realm, device.sip.password) };
      } else if (device.sip.ha1 !== undefined) {
        if (device.sip.ha1.realm !== realm) {
          problems.push(
            `devices[${i}].sip.ha1: made for realm "${device.sip.ha1.realm}" but the SIP realm is "${realm}"; give sip.password instead`,
          );
        }
        sip = { username: device.sip.username, ha1: { ...device.sip.ha1 } };
      } else if (previous !== undefined && previous.username === device.sip.username && previous.ha1.realm === realm) {
        sip = previous;
      } else {
        problems.push(
          `devices[${i}].sip: give a password for ${device.name} (or ha1 digests made for realm "${realm}")`,
        );
      }
    }
    devices.set(device.name, {
      name: device.name,
      type: device.type,
      description: device.description,
      allowCtiControl: device.allowCtiControl ?? true,
      lines: device.lines ?? [],
      extensionMobility: device.extensionMobility ?? false,
      autoAnswer: device.autoAnswer ?? 'both',
      sip,
    });
    if (device.autoAnswer !== undefined && device.type !== 'sip-phone') {
      problems.push(
        `devices[${i}] (${device.name}): autoAnswer is for phones; a ${device.type} is answered by its application, remove it`,
      );
    }
    if (device.extensionMobility === true && device.type !== 'sip-phone') {
      problems.push(
        `devices[${i}] (${device.name}): extensionMobility is for phones; a ${device.type} cannot host a login, remove it`,
      );
    }
  }
  const usernames = new Map<string, string>();
  for (const device of devices.values()) {
    if (device.sip !== undefined && device.sip.ha1.realm !== realm) {
      problems.push(
        `device ${device.name}: its SIP secret was made for realm "${device.sip.ha1.realm}"; give its sip.password so it works in realm "${realm}"`,
      );
    }
    if (device.type === 'cti-port' && device.lines.length !== 1) {
      problems.push(`device ${device.name}: a cti-port has exactly one line, it has ${device.lines.length}`);
    }
    for (const dn of device.lines)
      if (!lines.has(dn))
        problems.push(`device ${device.name}: line ${dn} is not declared; add it under lines: as - { dn: "${dn}" }`);
    if (device.sip !== undefined) {
      const other = usernames.get(device.sip.username);
      if (other !== undefined)
        problems.push(
          `devices ${other} and ${device.name} share the SIP username "${device.sip.username}"; each needs its own`,
        );
      usernames.set(device.sip.username, device.name);
    }
  }

  checkCallLimits(doc, lines, devices, defaultLimits, problems);
  const hunting = buildHunting(current, doc, base, lines, devices, problems);

  const voicemailProfiles = new Map(
    base('voicemailProfiles', current.voicemailProfiles, (p) => p.name).map((profile) => [profile.name, profile]),
  );
  for (const profile of doc.voicemailProfiles ?? []) {
    voicemailProfiles.set(profile.name, { name: profile.name, description: profile.description, pilot: profile.pilot });
  }
  for (const profile of voicemailProfiles.values()) {
    if (!lines.has(profile.pilot)) {
      problems.push(
        `voicemail profile ${profile.name}: pilot ${profile.pilot} is not a configured line; add the voicemail system's number under lines:`,
      );
    }
  }
  for (const line of lines.values()) {
    if (line.voicemailProfile !== undefined && !voicemailProfiles.has(line.voicemailProfile)) {
      problems.push(
        `line ${line.dn}: voicemail profile ${line.voicemailProfile} does not exist; add it under voicemailProfiles:`,
      );
    }
  }

  const deviceProfiles = new Map(
    base('deviceProfiles', current.deviceProfiles, (p) => p.name).map((profile) => [profile.name, profile]),
  );
  for (const profile of doc.deviceProfiles ?? []) {
    deviceProfiles.set(profile.name, {
      name: profile.name,
      description: profile.description,
      allowCtiControl: profile.allowCtiControl ?? true,
      lines: [...profile.lines],
    });
  }
  for (const profile of deviceProfiles.values()) {
    for (const dn of profile.lines)
      if (!lines.has(dn))
        problems.push(
          `device profile ${profile.name}: line ${dn} is not declared; add it under lines: as - { dn: "${dn}" }`,
        );
  }
  const checkProfiles = (what: string, names: readonly string[] | undefined) => {
    for (const name of names ?? []) {
      if (!deviceProfiles.has(name))
        problems.push(`${what}: device profile ${name} does not exist; add it under deviceProfiles:`);
    }
  };

  const groupNames = new Set(current.groups.map((group) => group.name));
  const checkRefs = (what: string, list: string[] | undefined, groups: string[] | undefined) => {
    for (const name of list ?? []) if (!devices.has(name)) problems.push(`${what}: device ${name} does not exist`);
    for (const name of groups ?? []) {
      if (!groupNames.has(name))
        problems.push(
          `${what}: access control group "${name}" does not exist; known groups: ${[...groupNames].join(', ')}`,
        );
    }
  };

  const secret = (clear: string | undefined, hash: string | undefined, previous: string | undefined, what: string) => {
    if (clear !== undefined) return hashing.hash(clear, previous);
    if (hash !== undefined) {
      if (!isPasswordHash(hash))
        problems.push(`${what}: not a password hash this server made; give the clear value instead`);
      return Promise.resolve(hash);
    }
    return Promise.resolve(previous);
  };

  const currentEndUsers = new Map(current.endUsers.map((user) => [user.userId, user]));
  const endUsers = new Map(base('endUsers', current.endUsers, (u) => u.userId).map((user) => [user.userId, user]));
  const hashes: Array<() => Promise<void>> = [];
  for (const [i, user] of (doc.endUsers ?? []).entries()) {
    const previous = currentEndUsers.get(user.userId);
    checkRefs(`endUsers[${i}] (${user.userId})`, user.devices, user.groups);
    if (user.primaryExtension !== undefined && !lines.has(user.primaryExtension)) {
      problems.push(
        `endUsers[${i}] (${user.userId}): primaryExtension ${user.primaryExtension} is not a configured line`,
      );
    }
    const config: EndUserConfig = {
      userId: user.userId,
      displayName: user.displayName,
      passwordHash: undefined,
      pinHash: undefined,
      devices: [...(user.devices ?? [])].sort(),
      primaryExtension: user.primaryExtension,
      groups: [...(user.groups ?? [])].sort(),
      extensionMobility:
        user.extensionMobility === undefined
          ? undefined
          : {
              defaultProfile: user.extensionMobility.defaultProfile,
              profiles: [...(user.extensionMobility.profiles ?? [])].sort(),
              allowCtiControl: user.extensionMobility.allowCtiControl ?? true,
            },
      ctiControlledProfiles: [...(user.ctiControlledProfiles ?? [])].sort(),
    };
    endUsers.set(user.userId, config);
    // Hashed side by side (scrypt runs on the thread pool): one after another would use one core.
    hashes.push(async () => {
      config.passwordHash = await secret(
        user.password,
        user.passwordHash,
        previous?.passwordHash,
        `endUsers[${i}].passwordHash`,
      );
      config.pinHash = await secret(user.pin, user.pinHash, previous?.pinHash, `endUsers[${i}].pinHash`);
    });
  }
  await hashing.run(hashes);

  const currentAppUsers = new Map(current.applicationUsers.map((user) => [user.userId, user]));
  const applicationUsers = new Map(
    base('applicationUsers', current.applicationUsers, (u) => u.userId).map((user) => [user.userId, user]),
  );
  for (const [i, user] of (doc.applicationUsers ?? []).entries()) {
    const previous = currentAppUsers.get(user.userId);
    checkRefs(`applicationUsers[${i}] (${user.userId})`, user.devices, user.groups);
    applicationUsers.set(user.userId, {
      userId: user.userId,
      passwordHash: await secret(
        user.password,
        user.passwordHash,
        previous?.passwordHash,
        `applicationUsers[${i}].passwordHash`,
      ),
      devices: [...(user.devices ?? [])].sort(),
      groups: [...(user.groups ?? [])].sort(),
      ctiControlledProfiles: [...(user.ctiControlledProfiles ?? [])].sort(),
    });
  }
  // Links of users kept from before must still point at devices that exist after a prune.
  for (const user of [...endUsers.values(), ...applicationUsers.values()]) {
    for (const name of user.devices)
      if (!devices.has(name)) problems.push(`user ${user.userId}: device ${name} would no longer exist`);
    checkProfiles(`user ${user.userId}: ctiControlledProfiles`, user.ctiControlledProfiles);
  }
  for (const user of endUsers.values()) {
    const mobility = user.extensionMobility;
    if (mobility === undefined) continue;
    checkProfiles(`end user ${user.userId}: extensionMobility.profiles`, mobility.profiles);
    if (mobility.defaultProfile !== undefined)
      checkProfiles(`end user ${user.userId}: extensionMobility.defaultProfile`, [mobility.defaultProfile]);
  }
  if (voicemailPilot !== undefined && !lines.has(voicemailPilot)) {
    problems.push(
      `settings.voicemailPilot: ${voicemailPilot} is not a configured line; add the voicemail system's number under lines:`,
    );
  }

  const numbers: Array<[string, string | undefined]> = [
    ...[...lines.values()].map((line): [string, string] => [`line ${line.dn}`, line.dn]),
    ...hunting.huntPilots.map((pilot): [string, string] => [`hunt pilot ${pilot.pattern}`, pilot.pattern]),
    ['settings.conferenceNumber', conferenceNumber],
  ];
  for (const [what, number] of numbers) {
    const problem = number === undefined ? undefined : patternProblem(number);
    if (problem !== undefined) problems.push(`${what}: ${problem}`);
  }
  if (callParkRange !== undefined) {
    const parked = parkNumbers(callParkRange);
    if (typeof parked === 'string') problems.push(`settings.callParkRange: ${parked}`);
    else {
      const taken = parked.find(
        (number) =>
          lines.has(number) ||
          number === conferenceNumber ||
          hunting.huntPilots.some((pilot) => pilot.pattern === number),
      );
      if (taken !== undefined)
        problems.push(
          `settings.callParkRange: ${taken} is already a line, a hunt pilot or the conference number; give call park numbers of their own`,
        );
    }
  }
  if (conferenceNumber !== undefined) {
    if (lines.has(conferenceNumber) || hunting.huntPilots.some((pilot) => pilot.pattern === conferenceNumber)) {
      problems.push(
        `settings.conferenceNumber: ${conferenceNumber} is already a line or a hunt pilot; give the conference a number of its own`,
      );
    }
  }

  problems.push(
    ...featureCodeProblems({ extensionMobilityLoginCode, extensionMobilityLogoutCode }, [
      ...lines.keys(),
      ...hunting.huntPilots.map((pilot) => pilot.pattern),
      conferenceNumber,
      voicemailPilot,
      ...[callParkRange === undefined ? [] : parkNumbers(callParkRange)].flatMap((parked) =>
        typeof parked === 'string' ? [] : parked,
      ),
    ]),
  );

  return {
    snapshot: {
      version: current.version,
      settings: {
        sipRealm: realm,
        voicemailPilot,
        conferenceNumber,
        extensionMobilityMaxLoginMinutes,
        extensionMobilityLoginCode,
        extensionMobilityLogoutCode,
        callParkRange,
        callParkReversionSeconds,
      },
      devices: [...devices.values()],
      lines: [...lines.values()],
      voicemailProfiles: [...voicemailProfiles.values()],
      ...hunting,
      deviceProfiles: [...deviceProfiles.values()],
      endUsers: [...endUsers.values()],
      applicationUsers: [...applicationUsers.values()],
      groups: current.groups,
    },
    problems: [...new Set(problems)],
  };
}

const defaultHuntOption = 'try-next-member-then-group';

/**
 * What is wrong with a number or pattern the schema's grammar let through: a range that runs
 * backwards ("[5-3]") matches nothing, and routing would skip it.
 */
function patternProblem(pattern: string): string | undefined {
  for (const [, from, to] of pattern.matchAll(/([0-9])-([0-9])/g)) {
    if (to! < from!) return `"${from}-${to}" runs backwards; write "${to}-${from}"`;
  }
  return undefined;
}

/**
 * Line groups, hunt lists and hunt pilots the document asks for, merged over the current ones and
 * checked: members are configured lines (not a CTI route point's, which cannot hunt), lists name
 * existing groups, pilots existing lists and numbers no line already has.
 */
function buildHunting(
  current: ConfigSnapshot,
  doc: ConfigDocument,
  base: <T>(kind: ConfigKind, list: T[], key: (item: T) => string) => T[],
  lines: Map<string, LineConfig>,
  devices: Map<string, DeviceConfig>,
  problems: string[],
): Pick<ConfigSnapshot, 'lineGroups' | 'huntLists' | 'huntPilots'> {
  const lineGroups = new Map(base('lineGroups', current.lineGroups, (g) => g.name).map((group) => [group.name, group]));
  for (const group of doc.lineGroups ?? []) {
    lineGroups.set(group.name, {
      name: group.name,
      description: group.description,
      algorithm: group.algorithm ?? 'longest-idle',
      rnaTimeoutSeconds: group.rnaTimeoutSeconds ?? 10,
      huntOptions: {
        noAnswer: group.huntOptions?.noAnswer ?? defaultHuntOption,
        busy: group.huntOptions?.busy ?? defaultHuntOption,
        notAvailable: group.huntOptions?.notAvailable ?? defaultHuntOption,
      },
      members: [...group.members],
    });
  }
  const huntLists = new Map(base('huntLists', current.huntLists, (l) => l.name).map((list) => [list.name, list]));
  for (const list of doc.huntLists ?? []) {
    huntLists.set(list.name, { name: list.name, description: list.description, lineGroups: [...list.lineGroups] });
  }
  const huntPilots = new Map(
    base('huntPilots', current.huntPilots, (p) => p.pattern).map((pilot) => [pilot.pattern, pilot]),
  );
  for (const pilot of doc.huntPilots ?? []) {
    huntPilots.set(pilot.pattern, {
      pattern: pilot.pattern,
      description: pilot.description,
      huntList: pilot.huntList,
      maxHuntSeconds: pilot.maxHuntSeconds ?? 1800,
      forwardNoAnswer: pilot.forwardNoAnswer,
      forwardBusy: pilot.forwardBusy,
      usePersonalPreferences: pilot.usePersonalPreferences ?? false,
    });
  }

  const routePointLines = new Set(
    [...devices.values()].filter((device) => device.type === 'cti-route-point').flatMap((device) => device.lines),
  );
  for (const group of lineGroups.values()) {
    for (const dn of group.members) {
      if (!lines.has(dn)) problems.push(`line group ${group.name}: member ${dn} is not a configured line`);
      else if (routePointLines.has(dn)) {
        problems.push(
          `line group ${group.name}: member ${dn} is a CTI route point's line, which cannot be a line group member; use a CTI port's line`,
        );
      }
    }
  }
  for (const list of huntLists.values()) {
    for (const name of list.lineGroups) {
      if (!lineGroups.has(name)) problems.push(`hunt list ${list.name}: line group ${name} does not exist`);
    }
  }
  for (const pilot of huntPilots.values()) {
    if (!huntLists.has(pilot.huntList)) {
      problems.push(`hunt pilot ${pilot.pattern}: hunt list ${pilot.huntList} does not exist`);
    }
    if (lines.has(pilot.pattern)) {
      problems.push(`hunt pilot ${pilot.pattern}: a line has the same number; give the pilot a number of its own`);
    }
  }
  return {
    lineGroups: [...lineGroups.values()],
    huntLists: [...huntLists.values()],
    huntPilots: [...huntPilots.values()],
  };
}

interface Diff<T> {
  upsert: T[];
  remove: string[];
  counts: KindCounts;
}

function diff<T>(current: T[], desired: T[], key: (item: T) => string): Diff<T> {
  const before = new Map(current.map((item) => [key(item), item]));
  const after = new Set(desired.map(key));
  const counts: KindCounts = { created: 0, updated: 0, removed: 0, unchanged: 0 };
  const upsert: T[] = [];
  for (const item of desired) {
    const old = before.get(key(item));
    if (old === undefined) counts.created++;
    else if (canonical(old) !== canonical(item)) counts.updated++;
    else {
      counts.unchanged++;
      continue;
    }
    upsert.push(item);
  }
  const remove = [...before.keys()].filter((k) => !after.has(k));
  counts.removed = remove.length;
  return { upsert, remove, counts };
}

/**
 * Applies a configuration document in one transaction: validates references against the merged
 * result, writes only what changed, bumps the version and notifies listeners on commit. Nothing is
 * written when any problem is found.
 */
export async function applyConfig(
  db: Database,
  read: (db: Database) => Promise<ConfigSnapshot>,
  doc: ConfigDocument,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  return db.transaction(async (tx) => {
    const database = tx as unknown as Database;
    // Serialise concurrent appliers so each sees the other's committed result.
    await database.execute(sql`select 1 from ${t.settings} where ${t.settings.id} = 1 for update`);
    const current = await read(database);
    options.precondition?.(current);
    // Progress: the secrets to hash, then the objects to write (an estimate until the diff is known).
    const report = options.onProgress ?? (() => undefined);
    let hashed = 0;
    const named = Object.values(doc).reduce((sum: number, list) => sum + (Array.isArray(list) ? list.length : 0), 0);
    const hashing = new SecretHashing(options.dryRun === true, (done, total) => {
      hashed = total;
      report(done, total + named);
    });
    const { snapshot: desired, problems } = await buildDesired(
      current,
      doc,
      options.prune === true,
      options.remove,
      hashing,
    );
    if (problems.length > 0) {
      throw new StrowgerError(
        ErrorCode.ConfigInvalid,
        `${options.source ?? 'the configuration'} was not applied; fix these problems and apply again:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
        { details: { problems } },
      );
    }
    const lines = diff(current.lines, desired.lines, (l) => l.dn);
    const devices = diff(current.devices, desired.devices, (d) => d.name);
    const endUsers = diff(current.endUsers, desired.endUsers, (u) => u.userId);
    const applicationUsers = diff(current.applicationUsers, desired.applicationUsers, (u) => u.userId);
    const lineGroups = diff(current.lineGroups, desired.lineGroups, (g) => g.name);
    const voicemailProfiles = diff(current.voicemailProfiles, desired.voicemailProfiles, (p) => p.name);
    const huntLists = diff(current.huntLists, desired.huntLists, (l) => l.name);
    const huntPilots = diff(current.huntPilots, desired.huntPilots, (p) => p.pattern);
    const deviceProfiles = diff(current.deviceProfiles, desired.deviceProfiles, (p) => p.name);
    const realmChanged = desired.settings.sipRealm !== current.settings.sipRealm;
    const pilotChanged =
      desired.settings.voicemailPilot !== current.settings.voicemailPilot ||
      desired.settings.conferenceNumber !== current.settings.conferenceNumber ||
      desired.settings.extensionMobilityMaxLoginMinutes !== current.settings.extensionMobilityMaxLoginMinutes ||
      desired.settings.extensionMobilityLoginCode !== current.settings.extensionMobilityLoginCode ||
      desired.settings.extensionMobilityLogoutCode !== current.settings.extensionMobilityLogoutCode ||
      desired.settings.callParkRange !== current.settings.callParkRange ||
      desired.settings.callParkReversionSeconds !== current.settings.callParkReversionSeconds;
    const changed =
      realmChanged ||
      pilotChanged ||
      [
        lines,
        devices,
        endUsers,
        applicationUsers,
        lineGroups,
        huntLists,
        huntPilots,
        voicemailProfiles,
        deviceProfiles,
      ].some((d) => d.upsert.length > 0 || d.remove.length > 0);
    const counts = {
      devices: devices.counts,
      lines: lines.counts,
      voicemailProfiles: voicemailProfiles.counts,
      lineGroups: lineGroups.counts,
      huntLists: huntLists.counts,
      huntPilots: huntPilots.counts,
      deviceProfiles: deviceProfiles.counts,
      endUsers: endUsers.counts,
      applicationUsers: applicationUsers.counts,
    };
    // A dry run has validated everything a real apply would; it stops before the first write.
    if (options.dryRun === true) return { changed, version: current.version, ...counts };

    if (realmChanged || pilotChanged) {
      await database
        .update(t.settings)
        .set({
          sipRealm: desired.settings.sipRealm,
          voicemailPilot: desired.settings.voicemailPilot ?? null,
          conferenceNumber: desired.settings.conferenceNumber ?? null,
          emMaxLoginMinutes: desired.settings.extensionMobilityMaxLoginMinutes ?? null,
          emLoginCode: desired.settings.extensionMobilityLoginCode ?? null,
          emLogoutCode: desired.settings.extensionMobilityLogoutCode ?? null,
          callParkRange: desired.settings.callParkRange ?? null,
          callParkReversionSeconds: desired.settings.callParkReversionSeconds ?? 60,
        })
        .where(eq(t.settings.id, 1));
    }
    const toWrite = lines.upsert.length + devices.upsert.length + endUsers.upsert.length;
    let written = 0;
    const wrote = (kindWritten: number, before: number) => report(hashed + before + kindWritten, hashed + toWrite);
    await writeLines(database, lines.upsert, (n) => wrote(n, written));
    written += lines.upsert.length;
    await writeDevices(database, devices.upsert, (n) => wrote(n, written));
    written += devices.upsert.length;
    // Pilots go before the lists they name, lists before their groups; then the new ones, in reverse.
    if (huntPilots.remove.length > 0) {
      await database.delete(t.huntPilots).where(inArray(t.huntPilots.pattern, huntPilots.remove));
    }
    if (huntLists.remove.length > 0)
      await database.delete(t.huntLists).where(inArray(t.huntLists.name, huntLists.remove));
    if (lineGroups.remove.length > 0) {
      await database.delete(t.lineGroups).where(inArray(t.lineGroups.name, lineGroups.remove));
    }
    if (endUsers.remove.length > 0)
      await database.delete(t.endUsers).where(inArray(t.endUsers.userId, endUsers.remove));
    if (applicationUsers.remove.length > 0) {
      await database.delete(t.applicationUsers).where(inArray(t.applicationUsers.userId, applicationUsers.remove));
    }
    if (devices.remove.length > 0) await database.delete(t.devices).where(inArray(t.devices.name, devices.remove));
    if (lines.remove.length > 0) await database.delete(t.lines).where(inArray(t.lines.dn, lines.remove));
    // Profiles go in before the users that name them, and out after those users let go of them.
    await writeDeviceProfiles(database, deviceProfiles.upsert);
    await writeEndUsers(database, endUsers.upsert, (n) => wrote(n, written));
    await writeApplicationUsers(database, applicationUsers.upsert);
    if (deviceProfiles.remove.length > 0) {
      await database.delete(t.deviceProfiles).where(inArray(t.deviceProfiles.name, deviceProfiles.remove));
    }
    if (voicemailProfiles.remove.length > 0) {
      await database.delete(t.voicemailProfiles).where(inArray(t.voicemailProfiles.name, voicemailProfiles.remove));
    }
    for (const profile of voicemailProfiles.upsert) {
      const row = { name: profile.name, description: profile.description ?? null, pilot: profile.pilot };
      await database
        .insert(t.voicemailProfiles)
        .values(row)
        .onConflictDoUpdate({ target: t.voicemailProfiles.name, set: row });
    }
    await writeLineGroups(database, lineGroups.upsert);
    await writeHuntLists(database, huntLists.upsert);
    await writeHuntPilots(database, huntPilots.upsert);

    if (options.auditAs !== undefined) {
      const { resource, key, after, note } = options.auditAs;
      // What changed, kind by kind, so the one entry still says how much it did.
      const changes = Object.fromEntries(
        Object.entries(counts).filter(([, c]) => c.created + c.updated + c.removed > 0),
      );
      await database.insert(t.auditLog).values({
        actor: options.actor ?? 'system',
        action: 'create',
        resource,
        key,
        after: { ...after, changes },
        note: note ?? null,
      });
    } else
      await writeAudit(database, options.actor ?? 'system', current, desired, {
        devices,
        lines,
        voicemailProfiles,
        lineGroups,
        huntLists,
        huntPilots,
        endUsers,
        applicationUsers,
        deviceProfiles,
      });

    let version = current.version;
    if (changed) {
      const [row] = await database
        .update(t.settings)
        .set({ configVersion: sql`${t.settings.configVersion} + 1` })
        .where(eq(t.settings.id, 1))
        .returning({ version: t.settings.configVersion });
      version = row?.version ?? version + 1;
      // Delivered to every listening connection when the transaction commits, never before.
      await database.execute(sql`select pg_notify(${CHANGE_CHANNEL}, ${String(version)})`);
    }
    return { changed, version, ...counts };
  });
}

async function writeApplicationUsers(db: Database, users: ApplicationUserConfig[]): Promise<void> {
  for (const user of users) {
    const row = { userId: user.userId, passwordHash: user.passwordHash ?? null };
    await db.insert(t.applicationUsers).values(row).onConflictDoUpdate({ target: t.applicationUsers.userId, set: row });
    await writeProfileLinks(db, t.applicationUserCtiProfiles, user.userId, user.ctiControlledProfiles ?? []);
    await db.delete(t.applicationUserDevices).where(eq(t.applicationUserDevices.userId, user.userId));
    await db.delete(t.applicationUserGroups).where(eq(t.applicationUserGroups.userId, user.userId));
    if (user.devices.length > 0) {
      await db
        .insert(t.applicationUserDevices)
        .values(user.devices.map((deviceName) => ({ userId: user.userId, deviceName })));
    }
    if (user.groups.length > 0) {
      await db
        .insert(t.applicationUserGroups)
        .values(user.groups.map((groupName) => ({ userId: user.userId, groupName })));
    }
  }
}

async function writeDeviceProfiles(db: Database, profiles: DeviceProfileConfig[]): Promise<void> {
  for (const profile of profiles) {
    const row = {
      name: profile.name,
      description: profile.description ?? null,
      allowCtiControl: profile.allowCtiControl,
    };
    await db.insert(t.deviceProfiles).values(row).onConflictDoUpdate({ target: t.deviceProfiles.name, set: row });
    await db.delete(t.deviceProfileLines).where(eq(t.deviceProfileLines.profileName, profile.name));
    if (profile.lines.length > 0) {
      await db
        .insert(t.deviceProfileLines)
        .values(profile.lines.map((dn, index) => ({ profileName: profile.name, dn, lineIndex: index + 1 })));
    }
  }
}

type ProfileLinkTable = typeof t.endUserProfiles | typeof t.endUserCtiProfiles | typeof t.applicationUserCtiProfiles;

async function writeProfileLinks(db: Database, table: ProfileLinkTable, userId: string, names: string[]) {
  await db.delete(table).where(eq(table.userId, userId));
  if (names.length > 0) await db.insert(table).values(names.map((profileName) => ({ userId, profileName })));
}

async function writeLineGroups(db: Database, groups: LineGroupConfig[]): Promise<void> {
  for (const group of groups) {
    const row = {
      name: group.name,
      description: group.description ?? null,
      algorithm: group.algorithm,
      rnaTimeoutSeconds: group.rnaTimeoutSeconds,
      huntNoAnswer: group.huntOptions.noAnswer,
      huntBusy: group.huntOptions.busy,
      huntNotAvailable: group.huntOptions.notAvailable,
    };
    await db.insert(t.lineGroups).values(row).onConflictDoUpdate({ target: t.lineGroups.name, set: row });
    await db.delete(t.lineGroupMembers).where(eq(t.lineGroupMembers.lineGroup, group.name));
    if (group.members.length > 0) {
      await db
        .insert(t.lineGroupMembers)
        .values(group.members.map((dn, index) => ({ lineGroup: group.name, dn, position: index + 1 })));
    }
  }
}

async function writeHuntLists(db: Database, lists: HuntListConfig[]): Promise<void> {
  for (const list of lists) {
    const row = { name: list.name, description: list.description ?? null };
    await db.insert(t.huntLists).values(row).onConflictDoUpdate({ target: t.huntLists.name, set: row });
    await db.delete(t.huntListGroups).where(eq(t.huntListGroups.huntList, list.name));
    if (list.lineGroups.length > 0) {
      await db
        .insert(t.huntListGroups)
        .values(list.lineGroups.map((lineGroup, index) => ({ huntList: list.name, lineGroup, position: index + 1 })));
    }
  }
}

async function writeHuntPilots(db: Database, pilots: HuntPilotConfig[]): Promise<void> {
  for (const pilot of pilots) {
    const row = {
      pattern: pilot.pattern,
      description: pilot.description ?? null,
      huntList: pilot.huntList,
      maxHuntSeconds: pilot.maxHuntSeconds,
      forwardNoAnswer: pilot.forwardNoAnswer ?? null,
      forwardBusy: pilot.forwardBusy ?? null,
      usePersonalPreferences: pilot.usePersonalPreferences,
    };
    await db.insert(t.huntPilots).values(row).onConflictDoUpdate({ target: t.huntPilots.pattern, set: row });
  }
}

type AuditRow = typeof t.auditLog.$inferInsert;

/** One audit entry per object created, changed or deleted, in the transaction that changes it; never a secret. */
async function writeAudit(
  db: Database,
  actor: string,
  current: ConfigSnapshot,
  desired: ConfigSnapshot,
  diffs: { [K in ConfigKind]: Diff<ConfigSnapshot[K][number]> },
): Promise<void> {
  const rows: AuditRow[] = [];
  if (canonical(current.settings) !== canonical(desired.settings)) {
    rows.push({
      actor,
      action: 'update',
      resource: 'settings',
      key: 'settings',
      before: settingsDocument(current.settings),
      after: settingsDocument(desired.settings),
    });
  }
  const hidden = { secrets: false };
  rows.push(
    ...auditRows(actor, 'device', current.devices, diffs.devices, {
      key: (d) => d.name,
      view: (d) => deviceDocument(d, hidden),
      secrets: (d) => d.sip?.ha1.sha256 ?? '',
    }),
    ...auditRows(actor, 'line', current.lines, diffs.lines, { key: (l) => l.dn, view: lineDocument }),
    ...auditRows(actor, 'device-profile', current.deviceProfiles, diffs.deviceProfiles, {
      key: (p) => p.name,
      view: deviceProfileDocument,
    }),
    ...auditRows(actor, 'voicemail-profile', current.voicemailProfiles, diffs.voicemailProfiles, {
      key: (p) => p.name,
      view: voicemailProfileDocument,
    }),
    ...auditRows(actor, 'line-group', current.lineGroups, diffs.lineGroups, {
      key: (g) => g.name,
      view: lineGroupDocument,
    }),
    ...auditRows(actor, 'hunt-list', current.huntLists, diffs.huntLists, {
      key: (l) => l.name,
      view: huntListDocument,
    }),
    ...auditRows(actor, 'hunt-pilot', current.huntPilots, diffs.huntPilots, {
      key: (p) => p.pattern,
      view: huntPilotDocument,
    }),
    ...auditRows(actor, 'end-user', current.endUsers, diffs.endUsers, {
      key: (u) => u.userId,
      view: (u) => endUserDocument(u, hidden),
      secrets: (u) => `${u.passwordHash ?? ''} ${u.pinHash ?? ''}`,
    }),
    ...auditRows(actor, 'application-user', current.applicationUsers, diffs.applicationUsers, {
      key: (u) => u.userId,
      view: (u) => applicationUserDocument(u, hidden),
      secrets: (u) => u.passwordHash ?? '',
    }),
  );
  // In chunks: one statement per thousand objects keeps a 10,000-phone apply to a few round trips.
  for (let i = 0; i < rows.length; i += 1000) await db.insert(t.auditLog).values(rows.slice(i, i + 1000));
}

/**
 * The entries of one kind: how it is keyed, how it is shown (as the file shows it, without
 * secrets), and what its secrets are, so a changed one is noted without being shown.
 */
function auditRows<T>(
  actor: string,
  resource: string,
  current: readonly T[],
  diff: Diff<T>,
  how: { key: (item: T) => string; view: (item: T) => Record<string, unknown>; secrets?: (item: T) => string },
): AuditRow[] {
  const before = new Map(current.map((item) => [how.key(item), item]));
  const rows: AuditRow[] = [];
  for (const item of diff.upsert) {
    const old = before.get(how.key(item));
    const secretChanged = old !== undefined && how.secrets !== undefined && how.secrets(old) !== how.secrets(item);
    rows.push({
      actor,
      action: old === undefined ? 'create' : 'update',
      resource,
      key: how.key(item),
      before: old === undefined ? null : how.view(old),
      after: how.view(item),
      note: secretChanged ? 'secrets changed (password, PIN or SIP credentials)' : null,
    });
  }
  for (const key of diff.remove) {
    const old = before.get(key);
    rows.push({
      actor,
      action: 'delete',
      resource,
      key,
      before: old === undefined ? null : how.view(old),
      after: null,
    });
  }
  return rows;
}
