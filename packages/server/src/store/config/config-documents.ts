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
  VoicemailProfileConfig,
} from '../snapshot.js';
import type {
  ApplicationUserDocument,
  ConfigDocument,
  DeviceDocument,
  DeviceProfileDocument,
  EndUserDocument,
  HuntListDocument,
  HuntPilotDocument,
  LineDocument,
  LineGroupDocument,
  SettingsDocument,
  VoicemailProfileDocument,
} from './config-schema.js';

/**
 * Each stored object in the configuration file's own shape — what `config export` writes, what the
 * REST API serves and what both accept back. Defaults are left out, so a document shows what was
 * chosen. With `secrets: false` the hashes are left out too (the API's reads); applying such a
 * document keeps the stored secrets, since an absent secret means "unchanged".
 */
export interface DocumentOptions {
  secrets: boolean;
}

export function settingsDocument(settings: ConfigSnapshot['settings']): SettingsDocument {
  return {
    sipRealm: settings.sipRealm,
    ...(settings.voicemailPilot === undefined ? {} : { voicemailPilot: settings.voicemailPilot }),
    ...(settings.conferenceNumber === undefined ? {} : { conferenceNumber: settings.conferenceNumber }),
    ...(settings.extensionMobilityMaxLoginMinutes === undefined
      ? {}
      : { extensionMobilityMaxLoginMinutes: settings.extensionMobilityMaxLoginMinutes }),
    ...(settings.extensionMobilityLoginCode === undefined
      ? {}
      : { extensionMobilityLoginCode: settings.extensionMobilityLoginCode }),
    ...(settings.extensionMobilityLogoutCode === undefined
      ? {}
      : { extensionMobilityLogoutCode: settings.extensionMobilityLogoutCode }),
    ...(settings.callParkRange === undefined ? {} : { callParkRange: settings.callParkRange }),
    ...(settings.callParkReversionSeconds === undefined || settings.callParkReversionSeconds === 60
      ? {}
      : { callParkReversionSeconds: settings.callParkReversionSeconds }),
  };
}

export function deviceDocument(device: DeviceConfig, options: DocumentOptions): DeviceDocument {
  const sip =
    device.sip === undefined
      ? {}
      : {
          sip: options.secrets
            ? { username: device.sip.username, ha1: { ...device.sip.ha1 } }
            : { username: device.sip.username },
        };
  return {
    name: device.name,
    type: device.type,
    ...(device.description === undefined ? {} : { description: device.description }),
    ...(device.allowCtiControl ? {} : { allowCtiControl: false }),
    ...(device.extensionMobility === true ? { extensionMobility: true } : {}),
    ...(device.autoAnswer === undefined || device.autoAnswer === 'both' ? {} : { autoAnswer: device.autoAnswer }),
    lines: [...device.lines],
    ...sip,
  };
}

export function lineDocument(line: LineConfig): LineDocument {
  const forward = {
    ...(line.forward.all ? { all: line.forward.all } : {}),
    ...(line.forward.busy ? { busy: line.forward.busy } : {}),
    ...(line.forward.noAnswer ? { noAnswer: line.forward.noAnswer } : {}),
    ...(line.forward.unregistered ? { unregistered: line.forward.unregistered } : {}),
    ...(line.forward.ctiFailure ? { ctiFailure: line.forward.ctiFailure } : {}),
    ...(line.forward.noCoverage ? { noCoverage: line.forward.noCoverage } : {}),
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
    ...(line.pickupGroup === undefined ? {} : { pickupGroup: line.pickupGroup }),
  };
}

export function voicemailProfileDocument(profile: VoicemailProfileConfig): VoicemailProfileDocument {
  return {
    name: profile.name,
    ...(profile.description === undefined ? {} : { description: profile.description }),
    pilot: profile.pilot,
  };
}

export function lineGroupDocument(group: LineGroupConfig): LineGroupDocument {
  return {
    name: group.name,
    ...(group.description === undefined ? {} : { description: group.description }),
    algorithm: group.algorithm,
    rnaTimeoutSeconds: group.rnaTimeoutSeconds,
    huntOptions: { ...group.huntOptions },
    members: [...group.members],
  };
}

export function huntListDocument(list: HuntListConfig): HuntListDocument {
  return {
    name: list.name,
    ...(list.description === undefined ? {} : { description: list.description }),
    lineGroups: [...list.lineGroups],
  };
}

export function huntPilotDocument(pilot: HuntPilotConfig): HuntPilotDocument {
  return {
    pattern: pilot.pattern,
    ...(pilot.description === undefined ? {} : { description: pilot.description }),
    huntList: pilot.huntList,
    ...(pilot.maxHuntSeconds === 1800 ? {} : { maxHuntSeconds: pilot.maxHuntSeconds }),
    ...(pilot.forwardNoAnswer === undefined ? {} : { forwardNoAnswer: pilot.forwardNoAnswer }),
    ...(pilot.forwardBusy === undefined ? {} : { forwardBusy: pilot.forwardBusy }),
    ...(pilot.usePersonalPreferences ? { usePersonalPreferences: true } : {}),
  };
}

export function endUserDocument(user: EndUserConfig, options: DocumentOptions): EndUserDocument {
  return {
    userId: user.userId,
    ...(user.displayName === undefined ? {} : { displayName: user.displayName }),
    ...(user.passwordHash === undefined || !options.secrets ? {} : { passwordHash: user.passwordHash }),
    ...(user.pinHash === undefined || !options.secrets ? {} : { pinHash: user.pinHash }),
    devices: [...user.devices],
    ...(user.primaryExtension === undefined ? {} : { primaryExtension: user.primaryExtension }),
    groups: [...user.groups],
    ...(user.extensionMobility === undefined
      ? {}
      : {
          extensionMobility: {
            ...(user.extensionMobility.defaultProfile === undefined
              ? {}
              : { defaultProfile: user.extensionMobility.defaultProfile }),
            profiles: [...user.extensionMobility.profiles],
            ...(user.extensionMobility.allowCtiControl ? {} : { allowCtiControl: false }),
          },
        }),
    ...(user.ctiControlledProfiles === undefined || user.ctiControlledProfiles.length === 0
      ? {}
      : { ctiControlledProfiles: [...user.ctiControlledProfiles] }),
  };
}

export function applicationUserDocument(
  user: ApplicationUserConfig,
  options: DocumentOptions,
): ApplicationUserDocument {
  return {
    userId: user.userId,
    ...(user.passwordHash === undefined || !options.secrets ? {} : { passwordHash: user.passwordHash }),
    devices: [...user.devices],
    groups: [...user.groups],
    ...(user.ctiControlledProfiles === undefined || user.ctiControlledProfiles.length === 0
      ? {}
      : { ctiControlledProfiles: [...user.ctiControlledProfiles] }),
  };
}

/** An Extension Mobility device profile in the file's shape. */
export function deviceProfileDocument(profile: DeviceProfileConfig): DeviceProfileDocument {
  return {
    name: profile.name,
    ...(profile.description === undefined ? {} : { description: profile.description }),
    ...(profile.allowCtiControl ? {} : { allowCtiControl: false }),
    lines: [...profile.lines],
  };
}

/** The whole configuration as one document, each list in a stable order, so exports diff cleanly. */
export function configDocumentOf(snapshot: ConfigSnapshot, options: DocumentOptions): Required<ConfigDocument> {
  const byKey =
    <T>(key: (item: T) => string) =>
    (a: T, b: T) =>
      key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
  return {
    settings: settingsDocument(snapshot.settings),
    devices: [...snapshot.devices].sort(byKey((d) => d.name)).map((d) => deviceDocument(d, options)),
    lines: [...snapshot.lines].sort(byKey((l) => l.dn)).map(lineDocument),
    voicemailProfiles: [...snapshot.voicemailProfiles].sort(byKey((p) => p.name)).map(voicemailProfileDocument),
    lineGroups: [...snapshot.lineGroups].sort(byKey((g) => g.name)).map(lineGroupDocument),
    huntLists: [...snapshot.huntLists].sort(byKey((l) => l.name)).map(huntListDocument),
    huntPilots: [...snapshot.huntPilots].sort(byKey((p) => p.pattern)).map(huntPilotDocument),
    deviceProfiles: [...snapshot.deviceProfiles].sort(byKey((p) => p.name)).map(deviceProfileDocument),
    endUsers: [...snapshot.endUsers].sort(byKey((u) => u.userId)).map((u) => endUserDocument(u, options)),
    applicationUsers: [...snapshot.applicationUsers]
      .sort(byKey((u) => u.userId))
      .map((u) => applicationUserDocument(u, options)),
  };
}
