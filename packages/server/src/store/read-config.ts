import { asc } from 'drizzle-orm';
import type { Database } from './database.js';
import * as t from './schema.js';
import type { AutoAnswerMode, ConfigSnapshot, DeviceType, HuntAlgorithm, HuntOption } from './snapshot.js';

function groupBy<T>(rows: T[], key: (row: T) => string, value: (row: T) => string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const row of rows) {
    const list = map.get(key(row)) ?? [];
    list.push(value(row));
    map.set(key(row), list);
  }
  return map;
}

const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

/** Reads the whole configuration in one go (a handful of queries, independent of its size). */
export async function readConfig(db: Database): Promise<ConfigSnapshot> {
  const [
    settingsRows,
    deviceRows,
    lineRows,
    deviceLineRows,
    endUserRows,
    appUserRows,
    groupRows,
    euDevices,
    auDevices,
    euGroups,
    auGroups,
    lineGroupRows,
    memberRows,
    huntListRows,
    huntListGroupRows,
    pilotRows,
    profileRows,
    deviceProfileRows,
    deviceProfileLineRows,
    euProfiles,
    euCtiProfiles,
    auCtiProfiles,
  ] = await inOrder([
    () => db.select().from(t.settings),
    () => db.select().from(t.devices).orderBy(asc(t.devices.name)),
    () => db.select().from(t.lines).orderBy(asc(t.lines.dn)),
    () => db.select().from(t.deviceLines).orderBy(asc(t.deviceLines.deviceName), asc(t.deviceLines.lineIndex)),
    () => db.select().from(t.endUsers).orderBy(asc(t.endUsers.userId)),
    () => db.select().from(t.applicationUsers).orderBy(asc(t.applicationUsers.userId)),
    () => db.select().from(t.accessControlGroups).orderBy(asc(t.accessControlGroups.name)),
    () => db.select().from(t.endUserDevices).orderBy(asc(t.endUserDevices.deviceName)),
    () => db.select().from(t.applicationUserDevices).orderBy(asc(t.applicationUserDevices.deviceName)),
    () => db.select().from(t.endUserGroups).orderBy(asc(t.endUserGroups.groupName)),
    () => db.select().from(t.applicationUserGroups).orderBy(asc(t.applicationUserGroups.groupName)),
    () => db.select().from(t.lineGroups).orderBy(asc(t.lineGroups.name)),
    () =>
      db.select().from(t.lineGroupMembers).orderBy(asc(t.lineGroupMembers.lineGroup), asc(t.lineGroupMembers.position)),
    () => db.select().from(t.huntLists).orderBy(asc(t.huntLists.name)),
    () => db.select().from(t.huntListGroups).orderBy(asc(t.huntListGroups.huntList), asc(t.huntListGroups.position)),
    () => db.select().from(t.huntPilots).orderBy(asc(t.huntPilots.pattern)),
    () => db.select().from(t.voicemailProfiles).orderBy(asc(t.voicemailProfiles.name)),
    () => db.select().from(t.deviceProfiles).orderBy(asc(t.deviceProfiles.name)),
    () =>
      db
        .select()
        .from(t.deviceProfileLines)
        .orderBy(asc(t.deviceProfileLines.profileName), asc(t.deviceProfileLines.lineIndex)),
    () => db.select().from(t.endUserProfiles).orderBy(asc(t.endUserProfiles.profileName)),
    () => db.select().from(t.endUserCtiProfiles).orderBy(asc(t.endUserCtiProfiles.profileName)),
    () => db.select().from(t.applicationUserCtiProfiles).orderBy(asc(t.applicationUserCtiProfiles.profileName)),
  ]);
  const linesByProfile = groupBy(
    deviceProfileLineRows,
    (r) => r.profileName,
    (r) => r.dn,
  );
  const byUser = (rows: Array<{ userId: string; profileName: string }>) =>
    groupBy(
      rows,
      (r) => r.userId,
      (r) => r.profileName,
    );
  const euProfileMap = byUser(euProfiles);
  const euCtiProfileMap = byUser(euCtiProfiles);
  const auCtiProfileMap = byUser(auCtiProfiles);
  const membersByGroup = groupBy(
    memberRows,
    (r) => r.lineGroup,
    (r) => r.dn,
  );
  const groupsByList = groupBy(
    huntListGroupRows,
    (r) => r.huntList,
    (r) => r.lineGroup,
  );
  const settings = settingsRows[0] ?? {
    sipRealm: 'strowger',
    voicemailPilot: null,
    conferenceNumber: null,
    emMaxLoginMinutes: null,
    emLoginCode: null,
    emLogoutCode: null,
    callParkRange: null,
    callParkReversionSeconds: 60,
    configVersion: 0,
  };
  const linesByDevice = groupBy(
    deviceLineRows,
    (r) => r.deviceName,
    (r) => r.dn,
  );
  const euDeviceMap = groupBy(
    euDevices,
    (r) => r.userId,
    (r) => r.deviceName,
  );
  const auDeviceMap = groupBy(
    auDevices,
    (r) => r.userId,
    (r) => r.deviceName,
  );
  const euGroupMap = groupBy(
    euGroups,
    (r) => r.userId,
    (r) => r.groupName,
  );
  const auGroupMap = groupBy(
    auGroups,
    (r) => r.userId,
    (r) => r.groupName,
  );
  return {
    version: settings.configVersion,
    settings: {
      sipRealm: settings.sipRealm,
      voicemailPilot: settings.voicemailPilot ?? undefined,
      conferenceNumber: settings.conferenceNumber ?? undefined,
      extensionMobilityMaxLoginMinutes: settings.emMaxLoginMinutes ?? undefined,
      extensionMobilityLoginCode: settings.emLoginCode ?? undefined,
      extensionMobilityLogoutCode: settings.emLogoutCode ?? undefined,
      callParkRange: settings.callParkRange ?? undefined,
      callParkReversionSeconds: settings.callParkReversionSeconds,
    },
    devices: deviceRows.map((row) => ({
      name: row.name,
      type: row.type as DeviceType,
      description: orUndefined(row.description),
      allowCtiControl: row.allowCtiControl,
      lines: linesByDevice.get(row.name) ?? [],
      extensionMobility: row.extensionMobility,
      autoAnswer: row.autoAnswer as AutoAnswerMode,
      sip:
        row.sipUsername === null || row.sipHa1Realm === null || row.sipHa1Md5 === null || row.sipHa1Sha256 === null
          ? undefined
          : {
              username: row.sipUsername,
              ha1: { realm: row.sipHa1Realm, md5: row.sipHa1Md5, sha256: row.sipHa1Sha256 },
            },
    })),
    lines: lineRows.map((row) => ({
      dn: row.dn,
      description: orUndefined(row.description),
      allowCtiControl: row.allowCtiControl,
      forward: row.forward,
      noAnswerSeconds: row.noAnswerSeconds,
      maxCalls: row.maxCalls,
      busyTrigger: row.busyTrigger,
      pickupGroup: orUndefined(row.pickupGroup),
      voicemailProfile: orUndefined(row.voicemailProfile),
    })),
    voicemailProfiles: profileRows.map((row) => ({
      name: row.name,
      description: orUndefined(row.description),
      pilot: row.pilot,
    })),
    lineGroups: lineGroupRows.map((row) => ({
      name: row.name,
      description: orUndefined(row.description),
      algorithm: row.algorithm as HuntAlgorithm,
      rnaTimeoutSeconds: row.rnaTimeoutSeconds,
      huntOptions: {
        noAnswer: row.huntNoAnswer as HuntOption,
        busy: row.huntBusy as HuntOption,
        notAvailable: row.huntNotAvailable as HuntOption,
      },
      members: membersByGroup.get(row.name) ?? [],
    })),
    huntLists: huntListRows.map((row) => ({
      name: row.name,
      description: orUndefined(row.description),
      lineGroups: groupsByList.get(row.name) ?? [],
    })),
    huntPilots: pilotRows.map((row) => ({
      pattern: row.pattern,
      description: orUndefined(row.description),
      huntList: row.huntList,
      maxHuntSeconds: row.maxHuntSeconds,
      forwardNoAnswer: orUndefined(row.forwardNoAnswer),
      forwardBusy: orUndefined(row.forwardBusy),
      usePersonalPreferences: row.usePersonalPreferences,
    })),
    endUsers: endUserRows.map((row) => ({
      userId: row.userId,
      displayName: orUndefined(row.displayName),
      passwordHash: orUndefined(row.passwordHash),
      pinHash: orUndefined(row.pinHash),
      devices: [...(euDeviceMap.get(row.userId) ?? [])].sort(),
      primaryExtension: orUndefined(row.primaryExtension),
      groups: [...(euGroupMap.get(row.userId) ?? [])].sort(),
      extensionMobility: row.emEnabled
        ? {
            defaultProfile: orUndefined(row.emDefaultProfile),
            profiles: euProfileMap.get(row.userId) ?? [],
            allowCtiControl: row.emAllowCtiControl,
          }
        : undefined,
      ctiControlledProfiles: euCtiProfileMap.get(row.userId) ?? [],
    })),
    applicationUsers: appUserRows.map((row) => ({
      userId: row.userId,
      passwordHash: orUndefined(row.passwordHash),
      devices: [...(auDeviceMap.get(row.userId) ?? [])].sort(),
      groups: [...(auGroupMap.get(row.userId) ?? [])].sort(),
      ctiControlledProfiles: auCtiProfileMap.get(row.userId) ?? [],
    })),
    deviceProfiles: deviceProfileRows.map((row) => ({
      name: row.name,
      description: orUndefined(row.description),
      allowCtiControl: row.allowCtiControl,
      lines: linesByProfile.get(row.name) ?? [],
    })),
    groups: groupRows.map((row) => ({ name: row.name, builtIn: row.builtIn, description: row.description })),
  };
}

/**
 * Runs the queries one after another. Inside a transaction they share one connection, where
 * concurrent queries are only queued (and deprecated by node-postgres); in order is as fast there.
 */
async function inOrder<const T extends readonly (() => Promise<unknown>)[]>(
  queries: T,
): Promise<{ [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  const results: unknown[] = [];
  for (const query of queries) results.push(await query());
  return results as { [K in keyof T]: Awaited<ReturnType<T[K]>> };
}
