import { stringify } from 'yaml';
import type { ConfigSnapshot, ForwardTarget } from '../snapshot.js';

const header = `# Strowger configuration, exported by "strowger config export".
# Apply with "strowger config apply FILE". Secrets appear only as hashes: user passwords as scrypt
# hashes, SIP passwords as digest HA1 values for the realm below; replace one with a clear
# "password:" to change it.
`;

const target = (value: ForwardTarget | undefined) => value;

/** The configuration as YAML in the file's own shape, in a stable order, so exports diff cleanly. */
export function exportConfigYaml(snapshot: ConfigSnapshot): string {
  const byKey =
    <T>(key: (item: T) => string) =>
    (a: T, b: T) =>
      key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
  const document = {
    settings: {
      sipRealm: snapshot.settings.sipRealm,
      ...(snapshot.settings.voicemailPilot === undefined ? {} : { voicemailPilot: snapshot.settings.voicemailPilot }),
      ...(snapshot.settings.conferenceNumber === undefined
        ? {}
        : { conferenceNumber: snapshot.settings.conferenceNumber }),
      ...(snapshot.settings.extensionMobilityMaxLoginMinutes === undefined
        ? {}
        : { extensionMobilityMaxLoginMinutes: snapshot.settings.extensionMobilityMaxLoginMinutes }),
    },
    devices: [...snapshot.devices].sort(byKey((d) => d.name)).map((device) => ({
      name: device.name,
      type: device.type,
      ...(device.description === undefined ? {} : { description: device.description }),
      ...(device.allowCtiControl ? {} : { allowCtiControl: false }),
      ...(device.extensionMobility === true ? { extensionMobility: true } : {}),
      lines: device.lines,
      ...(device.sip === undefined ? {} : { sip: { username: device.sip.username, ha1: device.sip.ha1 } }),
    })),
    lines: [...snapshot.lines].sort(byKey((l) => l.dn)).map((line) => {
      const forward = {
        ...(line.forward.all ? { all: target(line.forward.all) } : {}),
        ...(line.forward.busy ? { busy: target(line.forward.busy) } : {}),
        ...(line.forward.noAnswer ? { noAnswer: target(line.forward.noAnswer) } : {}),
        ...(line.forward.unregistered ? { unregistered: target(line.forward.unregistered) } : {}),
        ...(line.noAnswerSeconds === 12 ? {} : { noAnswerSeconds: line.noAnswerSeconds }),
      };
      return {
        dn: line.dn,
        ...(line.description === undefined ? {} : { description: line.description }),
        ...(line.allowCtiControl ? {} : { allowCtiControl: false }),
        ...(Object.keys(forward).length === 0 ? {} : { forward }),
        ...(line.maxCalls === 2 ? {} : { maxCalls: line.maxCalls }),
        ...(line.busyTrigger === 1 ? {} : { busyTrigger: line.busyTrigger }),
        ...(line.voicemailProfile === undefined ? {} : { voicemailProfile: line.voicemailProfile }),
      };
    }),
    voicemailProfiles: [...snapshot.voicemailProfiles].sort(byKey((p) => p.name)).map((profile) => ({
      name: profile.name,
      ...(profile.description === undefined ? {} : { description: profile.description }),
      pilot: profile.pilot,
    })),
    lineGroups: [...snapshot.lineGroups].sort(byKey((g) => g.name)).map((group) => ({
      name: group.name,
      ...(group.description === undefined ? {} : { description: group.description }),
      algorithm: group.algorithm,
      rnaTimeoutSeconds: group.rnaTimeoutSeconds,
      huntOptions: group.huntOptions,
      members: group.members,
    })),
    huntLists: [...snapshot.huntLists].sort(byKey((l) => l.name)).map((list) => ({
      name: list.name,
      ...(list.description === undefined ? {} : { description: list.description }),
      lineGroups: list.lineGroups,
    })),
    huntPilots: [...snapshot.huntPilots].sort(byKey((p) => p.pattern)).map((pilot) => ({
      pattern: pilot.pattern,
      ...(pilot.description === undefined ? {} : { description: pilot.description }),
      huntList: pilot.huntList,
      ...(pilot.maxHuntSeconds === 1800 ? {} : { maxHuntSeconds: pilot.maxHuntSeconds }),
      ...(pilot.forwardNoAnswer === undefined ? {} : { forwardNoAnswer: pilot.forwardNoAnswer }),
      ...(pilot.forwardBusy === undefined ? {} : { forwardBusy: pilot.forwardBusy }),
    })),
    deviceProfiles: [...(snapshot.deviceProfiles ?? [])].sort(byKey((p) => p.name)).map((profile) => ({
      name: profile.name,
      ...(profile.description === undefined ? {} : { description: profile.description }),
      ...(profile.allowCtiControl ? {} : { allowCtiControl: false }),
      lines: profile.lines,
    })),
    endUsers: [...snapshot.endUsers].sort(byKey((u) => u.userId)).map((user) => ({
      userId: user.userId,
      ...(user.displayName === undefined ? {} : { displayName: user.displayName }),
      ...(user.passwordHash === undefined ? {} : { passwordHash: user.passwordHash }),
      ...(user.pinHash === undefined ? {} : { pinHash: user.pinHash }),
      devices: user.devices,
      ...(user.primaryExtension === undefined ? {} : { primaryExtension: user.primaryExtension }),
      groups: user.groups,
      ...(user.extensionMobility === undefined
        ? {}
        : {
            extensionMobility: {
              ...(user.extensionMobility.defaultProfile === undefined
                ? {}
                : { defaultProfile: user.extensionMobility.defaultProfile }),
              profiles: user.extensionMobility.profiles,
              ...(user.extensionMobility.allowCtiControl ? {} : { allowCtiControl: false }),
            },
          }),
      ...(user.ctiControlledProfiles === undefined || user.ctiControlledProfiles.length === 0
        ? {}
        : { ctiControlledProfiles: user.ctiControlledProfiles }),
    })),
    applicationUsers: [...snapshot.applicationUsers].sort(byKey((u) => u.userId)).map((user) => ({
      userId: user.userId,
      ...(user.passwordHash === undefined ? {} : { passwordHash: user.passwordHash }),
      devices: user.devices,
      groups: user.groups,
      ...(user.ctiControlledProfiles === undefined || user.ctiControlledProfiles.length === 0
        ? {}
        : { ctiControlledProfiles: user.ctiControlledProfiles }),
    })),
  };
  return header + stringify(document, { lineWidth: 0 });
}
