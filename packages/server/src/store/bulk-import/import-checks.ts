import type { ConfigSnapshot } from '../snapshot.js';
import type { ImportKind } from './import-columns.js';
import type { ImportProblem, ImportRow } from './import-rows.js';

/**
 * The checks that need more than one row: duplicates within the file, and what the rows ask for
 * against the configuration as it is — references to lines, devices, groups and profiles that do not
 * exist, and conflicts with objects that do. Each problem names its row and column. The apply
 * checks all of it again in its transaction; these are here to say which cell is at fault.
 */
export function checkImportRows(
  kind: ImportKind,
  rows: readonly ImportRow[],
  current: ConfigSnapshot,
): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const at = (row: ImportRow, column: string, message: string) => problems.push({ row: row.row, column, message });
  const key = { phones: 'name', lines: 'dn', users: 'userId' }[kind];
  const firstRow = new Map<string, number>();
  for (const row of rows) {
    const earlier = firstRow.get(row.key);
    if (earlier !== undefined)
      at(row, key, `${JSON.stringify(row.key)} is already in row ${earlier}; each must be unique`);
    else firstRow.set(row.key, row.row);
  }
  if (kind === 'phones') checkPhones(rows, current, at);
  else if (kind === 'lines') checkLines(rows, current, at);
  else checkUsers(rows, current, at);
  return problems.sort((a, b) => a.row - b.row);
}

type At = (row: ImportRow, column: string, message: string) => void;

/** A CTI route point line's call limits when none are given, and the most any other line may hold (as the apply has them). */
const routePointLimits = { maxCalls: 5000, busyTrigger: 4500 };
const deviceLineMaxCalls = 200;

interface PhoneRow {
  name: string;
  type: string;
  extensionMobility?: boolean;
  autoAnswer?: string;
  lines?: string[];
  sip?: { username?: string; password?: string };
}

function checkPhones(rows: readonly ImportRow[], current: ConfigSnapshot, at: At): void {
  const lines = new Set(current.lines.map((line) => line.dn));
  const devices = new Map(current.devices.map((device) => [device.name, device]));
  const usernames = new Map<string, string>();
  for (const device of current.devices) if (device.sip !== undefined) usernames.set(device.sip.username, device.name);
  const importedNames = new Set(rows.map((row) => row.key));
  const fileUsernames = new Map<string, number>();
  for (const row of rows) {
    const phone = row.object as unknown as PhoneRow;
    const phoneLines = phone.lines ?? [];
    const missing = phoneLines.filter((dn) => !lines.has(dn));
    if (missing.length > 0) {
      at(
        row,
        'lines',
        `${missing.length === 1 ? 'line' : 'lines'} ${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist; import them with a lines file first`,
      );
    }
    const twice = phoneLines.filter((dn, index) => phoneLines.indexOf(dn) !== index);
    if (twice.length > 0) at(row, 'lines', `line ${twice[0]} appears twice on this device`);
    if (phone.type === 'cti-port' && phoneLines.length !== 1)
      at(row, 'lines', `a cti-port has exactly one line, this row gives ${phoneLines.length}`);
    if (phone.extensionMobility === true && phone.type !== 'sip-phone')
      at(row, 'extensionMobility', `extensionMobility is for phones; a ${phone.type} cannot host a login`);
    if (phone.autoAnswer !== undefined && phone.type !== 'sip-phone')
      at(row, 'autoAnswer', `autoAnswer is for phones; a ${phone.type} is answered by its application, leave it empty`);
    const username = phone.sip?.username;
    if (phone.type !== 'sip-phone') {
      if (phone.sip !== undefined)
        at(
          row,
          row.given.has('sip.username') ? 'sip.username' : 'sip.password',
          `only a sip-phone has SIP credentials; leave it empty for a ${phone.type}`,
        );
      continue;
    }
    if (username === undefined) {
      at(row, 'sip.username', 'a sip-phone needs a SIP user name to register');
      continue;
    }
    const previous = devices.get(row.key)?.sip;
    if (phone.sip?.password === undefined && previous?.username !== username)
      at(
        row,
        'sip.password',
        devices.has(row.key) ? 'a new SIP user name needs its password' : 'a new phone needs a SIP password',
      );
    const earlier = fileUsernames.get(username);
    if (earlier !== undefined) {
      at(
        row,
        'sip.username',
        `${JSON.stringify(username)} is already the SIP user name in row ${earlier}; each phone needs its own`,
      );
    } else {
      fileUsernames.set(username, row.row);
      const owner = usernames.get(username);
      // Taken by a device the file does not re-import (one it does may be giving the name up).
      if (owner !== undefined && owner !== row.key && !importedNames.has(owner))
        at(
          row,
          'sip.username',
          `${JSON.stringify(username)} is the SIP user name of device ${owner}; each phone needs its own`,
        );
    }
  }
}

interface LineRow {
  dn: string;
  maxCalls?: number;
  busyTrigger?: number;
  voicemailProfile?: string;
}

function checkLines(rows: readonly ImportRow[], current: ConfigSnapshot, at: At): void {
  const profiles = new Set(current.voicemailProfiles.map((profile) => profile.name));
  const pilots = new Set(current.huntPilots.map((pilot) => pilot.pattern));
  // A line's call limits depend on its device: a route point's holds thousands, others at most 200.
  const routePointLines = new Set<string>();
  const deviceOf = new Map<string, string>();
  for (const device of current.devices) {
    for (const dn of device.lines) {
      if (device.type === 'cti-route-point') routePointLines.add(dn);
      else deviceOf.set(dn, device.name);
    }
  }
  for (const row of rows) {
    const line = row.object as unknown as LineRow;
    const routePoint = routePointLines.has(line.dn);
    const maxCalls = line.maxCalls ?? (routePoint ? routePointLimits.maxCalls : 2);
    const busyTrigger = line.busyTrigger ?? (routePoint ? Math.min(routePointLimits.busyTrigger, maxCalls) : 1);
    const device = deviceOf.get(line.dn);
    if (device !== undefined && maxCalls > deviceLineMaxCalls) {
      at(
        row,
        'maxCalls',
        `${maxCalls} is above ${deviceLineMaxCalls}, the most for a line of a phone or CTI port (${device}); only a cti-route-point's line holds more`,
      );
    } else if (busyTrigger > maxCalls) {
      at(
        row,
        'busyTrigger',
        `busyTrigger ${busyTrigger} is above maxCalls ${maxCalls}; lower busyTrigger or raise maxCalls`,
      );
    }
    if (line.voicemailProfile !== undefined && !profiles.has(line.voicemailProfile)) {
      at(
        row,
        'voicemailProfile',
        `voicemail profile ${JSON.stringify(line.voicemailProfile)} does not exist${known(profiles)}`,
      );
    }
    if (pilots.has(line.dn)) at(row, 'dn', `${line.dn} is a hunt pilot's number; give the line a number of its own`);
    if (current.settings.conferenceNumber === line.dn)
      at(row, 'dn', `${line.dn} is the conference number; give the line a number of its own`);
    const backwards = /([0-9])-([0-9])/.exec(line.dn);
    if (backwards !== null && backwards[2]! < backwards[1]!)
      at(row, 'dn', `"${backwards[1]}-${backwards[2]}" runs backwards; write "${backwards[2]}-${backwards[1]}"`);
  }
}

interface UserRow {
  devices?: string[];
  groups?: string[];
  primaryExtension?: string;
  extensionMobility?: { defaultProfile?: string; profiles?: string[] };
  ctiControlledProfiles?: string[];
}

function checkUsers(rows: readonly ImportRow[], current: ConfigSnapshot, at: At): void {
  const devices = new Set(current.devices.map((device) => device.name));
  const lines = new Set(current.lines.map((line) => line.dn));
  const groups = new Set(current.groups.map((group) => group.name));
  const profiles = new Set(current.deviceProfiles.map((profile) => profile.name));
  const missing = (
    column: string,
    row: ImportRow,
    names: readonly string[] | undefined,
    exists: Set<string>,
    what: string,
    hint: string,
  ) => {
    const absent = (names ?? []).filter((name) => !exists.has(name));
    if (absent.length > 0)
      at(
        row,
        column,
        `${what}${absent.length === 1 ? '' : 's'} ${absent.map((name) => JSON.stringify(name)).join(', ')} ${absent.length === 1 ? 'does' : 'do'} not exist${hint}`,
      );
  };
  for (const row of rows) {
    const user = row.object as unknown as UserRow;
    missing('devices', row, user.devices, devices, 'device', '; import the phones first');
    missing('groups', row, user.groups, groups, 'access control group', known(groups));
    if (user.primaryExtension !== undefined && !lines.has(user.primaryExtension))
      at(row, 'primaryExtension', `line ${user.primaryExtension} does not exist; import it with a lines file first`);
    const mobility = user.extensionMobility;
    if (mobility?.defaultProfile !== undefined)
      missing(
        'extensionMobility.defaultProfile',
        row,
        [mobility.defaultProfile],
        profiles,
        'device profile',
        known(profiles),
      );
    missing('extensionMobility.profiles', row, mobility?.profiles, profiles, 'device profile', known(profiles));
    missing('ctiControlledProfiles', row, user.ctiControlledProfiles, profiles, 'device profile', known(profiles));
  }
}

/** "; known: a, b, c" for a short list of what exists, so the fix is in the message. */
function known(names: ReadonlySet<string>): string {
  if (names.size === 0) return '; none is configured';
  const list = [...names].slice(0, 10).map((name) => JSON.stringify(name));
  return `; known: ${list.join(', ')}${names.size > 10 ? ', …' : ''}`;
}
