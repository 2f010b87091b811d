import type { SwitchConfig, SwitchFeatureCode } from '../switch/index.js';
import { featureCodesOf, parkNumbers, type ConfigSnapshot } from '../store/index.js';

/** The engine's view of the stored configuration: devices, their lines, each line's call handling, hunting. */
export function switchConfigFrom(snapshot: ConfigSnapshot): SwitchConfig {
  const pilots = new Map(snapshot.voicemailProfiles.map((profile) => [profile.name, profile.pilot]));
  return {
    devices: snapshot.devices.map((device) => ({
      name: device.name,
      type: device.type,
      lines: device.lines,
      allowCtiControl: device.allowCtiControl,
      ...(device.autoAnswer === undefined || device.autoAnswer === 'both' ? {} : { autoAnswer: device.autoAnswer }),
      ...(device.extensionMobility === true ? { extensionMobility: true } : {}),
    })),
    deviceProfiles: snapshot.deviceProfiles.map((profile) => ({ name: profile.name, lines: profile.lines })),
    mobilityUsers: snapshot.endUsers.flatMap((user) =>
      user.extensionMobility === undefined
        ? []
        : [
            {
              userId: user.userId,
              ...(user.extensionMobility.defaultProfile === undefined
                ? {}
                : { defaultProfile: user.extensionMobility.defaultProfile }),
              profiles: user.extensionMobility.profiles,
            },
          ],
    ),
    ...(snapshot.settings.extensionMobilityMaxLoginMinutes === undefined
      ? {}
      : { maxLoginMinutes: snapshot.settings.extensionMobilityMaxLoginMinutes }),
    lines: snapshot.lines.map((line) => ({
      dn: line.dn,
      forward: line.forward,
      noAnswerSeconds: line.noAnswerSeconds,
      maxCalls: line.maxCalls,
      busyTrigger: line.busyTrigger,
      allowCtiControl: line.allowCtiControl,
      ...(line.pickupGroup === undefined ? {} : { pickupGroup: line.pickupGroup }),
      ...(line.voicemailProfile === undefined || !pilots.has(line.voicemailProfile)
        ? {}
        : { voicemailPilot: pilots.get(line.voicemailProfile) }),
    })),
    lineGroups: snapshot.lineGroups.map((group) => ({
      name: group.name,
      algorithm: group.algorithm,
      rnaTimeoutSeconds: group.rnaTimeoutSeconds,
      huntOptions: group.huntOptions,
      members: group.members,
    })),
    huntLists: snapshot.huntLists.map((list) => ({ name: list.name, lineGroups: list.lineGroups })),
    huntPilots: snapshot.huntPilots.map((pilot) => ({
      pattern: pilot.pattern,
      huntList: pilot.huntList,
      maxHuntSeconds: pilot.maxHuntSeconds,
      ...(pilot.forwardNoAnswer === undefined ? {} : { forwardNoAnswer: pilot.forwardNoAnswer }),
      ...(pilot.forwardBusy === undefined ? {} : { forwardBusy: pilot.forwardBusy }),
      ...(pilot.usePersonalPreferences ? { usePersonalPreferences: true } : {}),
    })),
    ...(snapshot.settings.voicemailPilot === undefined ? {} : { voicemailPilot: snapshot.settings.voicemailPilot }),
    ...callParkOf(snapshot.settings),
    ...(snapshot.settings.conferenceNumber === undefined
      ? {}
      : { conferenceNumber: snapshot.settings.conferenceNumber }),
    featureCodes: featureCodesFrom(snapshot),
  };
}

/**
 * The Extension Mobility login and logout codes in force. A default code that a configured number
 * already uses is left out (that number keeps it); a code set in the settings was checked on apply.
 */
function featureCodesFrom(snapshot: ConfigSnapshot): SwitchFeatureCode[] {
  const codes = featureCodesOf(snapshot.settings);
  const taken = new Set([
    ...snapshot.lines.map((line) => line.dn),
    ...snapshot.huntPilots.map((pilot) => pilot.pattern),
    ...[snapshot.settings.conferenceNumber, snapshot.settings.voicemailPilot].filter((n) => n !== undefined),
    ...(callParkOf(snapshot.settings).callPark?.numbers ?? []),
  ]);
  const wanted: SwitchFeatureCode[] = [
    { code: codes.extensionMobilityLoginCode, feature: 'extension-mobility-login' },
    { code: codes.extensionMobilityLogoutCode, feature: 'extension-mobility-logout' },
  ];
  return wanted.filter(({ code }) => !taken.has(code));
}

/** Call park as the engine takes it: the range's numbers (the store checked the range when it was applied). */
function callParkOf(settings: ConfigSnapshot['settings']): Pick<SwitchConfig, 'callPark'> {
  const numbers = settings.callParkRange === undefined ? undefined : parkNumbers(settings.callParkRange);
  if (numbers === undefined || typeof numbers === 'string') return {};
  return { callPark: { numbers, reversionSeconds: settings.callParkReversionSeconds ?? 60 } };
}
