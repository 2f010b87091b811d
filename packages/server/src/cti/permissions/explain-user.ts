import { CtiSetting, describeUser, type AccessDeniedCode } from './access-rule.js';
import type { CtiConfiguration, CtiUser, CtiUserKind } from './cti-configuration.js';
import { computeProviderDomain, type DomainTerminal } from './provider-domain.js';
import { CtiRole, featureRoles, isCtiRole } from './roles.js';

/**
 * What one setting does for the user: `needed` — taking it away (leaving a group, dropping an
 * association, turning a flag off) changes what the user can reach; `unneeded` — taking it away
 * changes nothing; `blocking` — a flag that is off and takes something out of reach; `feature` — a
 * role that reaches no device but allows a feature, needed only if the application uses it.
 */
export type SettingStatus = 'needed' | 'unneeded' | 'blocking' | 'feature';

export interface SettingAssessment {
  readonly setting: CtiSetting;
  readonly subject: string;
  readonly value: boolean;
  readonly status: SettingStatus;
  readonly sentence: string;
}

export interface UserAccessReport {
  readonly userId: string;
  readonly kind: CtiUserKind;
  readonly mayOpenProvider: boolean;
  readonly refusal?: { readonly code: AccessDeniedCode; readonly reason: string };
  /** What the user reaches: counts of the domain, and of what in it may be observed. */
  readonly reach: {
    readonly terminals: number;
    readonly observableTerminals: number;
    readonly addresses: number;
    readonly observableAddresses: number;
  };
  /** Every CTI setting of the user and of the devices and lines in its domain, assessed. */
  readonly settings: readonly SettingAssessment[];
  readonly needed: readonly SettingAssessment[];
  /** Settings that could be removed without changing what the user reaches or may do. */
  readonly unneeded: readonly SettingAssessment[];
}

/**
 * The per-user report of the access explainer: for every CTI setting that concerns the user — its
 * access control groups, its controlled devices, and the CTI flags of the devices and lines in its
 * domain — whether it is needed for what the user reaches (the observable terminals and addresses,
 * and opening a provider at all) or could be removed without changing it. `acquired` is what the
 * user's provider acquired by name; the all-devices role is needed only for those.
 */
export function explainUser(
  configuration: CtiConfiguration,
  user: CtiUser,
  acquired: ReadonlySet<string> = new Set(),
): UserAccessReport {
  const who = describeUser(user);
  const domain = computeProviderDomain(configuration, user, acquired);
  const observable = domain.terminals.filter((t) => !t.restricted);
  const observableAddresses = domain.addresses.filter((a) => !a.restricted);
  const settings: SettingAssessment[] = [];
  const add = (setting: CtiSetting, subject: string, value: boolean, status: SettingStatus, sentence: string) =>
    settings.push({ setting, subject, value, status, sentence });
  const group = (subject: string, status: SettingStatus, sentence: string) =>
    add(CtiSetting.AccessControlGroup, subject, true, status, sentence);
  const seesNothing = observable.length === 0;

  // The roles in CUCM's order ("Standard CTI Enabled" first), then any other group.
  const roleOrder: readonly string[] = Object.values(CtiRole);
  const rank = (group: string) => (roleOrder.includes(group) ? roleOrder.indexOf(group) : roleOrder.length);
  for (const name of [...user.groups].sort((a, b) => rank(a) - rank(b))) {
    if (!isCtiRole(name) || !user.roles.has(name)) {
      group(name, 'unneeded', `"${name}" holds no CTI role.`);
      continue;
    }
    switch (name) {
      case CtiRole.Enabled:
        group(
          name,
          'needed',
          seesNothing
            ? `Needed to open a provider at all, though that provider reaches no device${user.roles.has(CtiRole.AllowControlOfAllDevices) ? ' until it acquires one by name (createTerminal)' : ''}.`
            : `Needed to open a provider at all, without which ${who} reaches nothing.`,
        );
        break;
      case CtiRole.AllowControlOfAllDevices: {
        const onlyAcquired = observable.filter((t) => t.source === 'acquired');
        group(
          name,
          onlyAcquired.length > 0 ? 'needed' : 'unneeded',
          onlyAcquired.length > 0
            ? `Needed for the ${count(onlyAcquired.length, 'device')} acquired by name (${names(onlyAcquired)}), which are not controlled devices.`
            : `Unneeded unless the application acquires devices by name (createTerminal): it has acquired none${user.controlledDevices.size === 0 ? ', and with no controlled devices its provider sees nothing' : ', and its controlled devices are in its domain without this role'}.`,
        );
        break;
      }
      case CtiRole.ConnectedTransferConference:
      case CtiRole.RolloverMode: {
        const rollover = name === CtiRole.RolloverMode;
        const needing = domain.terminals.filter((t) => {
          const device = configuration.devices.get(t.name);
          return (
            device !== undefined &&
            device.allowCtiControl &&
            (rollover ? device.rolloverMode : device.connectedTransferConference)
          );
        });
        group(
          name,
          needing.length > 0 ? 'needed' : 'unneeded',
          needing.length > 0
            ? `Needed: without it ${names(needing)} would be restricted.`
            : `Unneeded: no device in the domain is a phone with ${rollover ? 'line rollover' : 'connected transfer and conference'}.`,
        );
        break;
      }
      case CtiRole.SecureConnection:
        group(
          name,
          user.roles.has(CtiRole.SrtpKeyMaterial) && !seesNothing ? 'feature' : 'unneeded',
          user.roles.has(CtiRole.SrtpKeyMaterial) && !seesNothing
            ? 'Needed only for SRTP key material, which is sent over TLS alone; it reaches no device.'
            : 'Requires a TLS connection and reaches no device, so removing it changes nothing the user reaches (Cisco recommends it alongside the all-devices role).',
        );
        break;
      default: {
        const feature = Object.values(featureRoles).find((f) => f.role === name);
        const parkMonitoring = name === CtiRole.CallParkMonitoring;
        const srtpWithoutTls = name === CtiRole.SrtpKeyMaterial && !user.roles.has(CtiRole.SecureConnection);
        const useless = (seesNothing && !parkMonitoring) || srtpWithoutTls;
        group(
          name,
          useless ? 'unneeded' : 'feature',
          useless
            ? srtpWithoutTls
              ? `Unneeded as it stands: key material needs "${CtiRole.SecureConnection}" too.`
              : `Unneeded: ${feature?.title ?? name} acts only on devices the provider may observe, and it may observe none.`
            : `Needed only if the application uses ${feature?.title ?? name}; it reaches no device.`,
        );
      }
    }
  }

  const terminalsByName = new Map(domain.terminals.map((t) => [t.name, t]));
  for (const name of [...user.controlledDevices].sort()) {
    const terminal = terminalsByName.get(name);
    const assess = (status: SettingStatus, sentence: string) =>
      add(CtiSetting.ControlledDevice, name, true, status, sentence);
    if (!domain.mayOpenProvider) assess('unneeded', `Reaches nothing while ${who} cannot open a provider.`);
    else if (terminal === undefined) assess('unneeded', `${name} is not configured.`);
    else if (terminal.restricted)
      assess('unneeded', `Reaches nothing while ${name} is restricted: ${terminal.restriction?.reason ?? ''}`);
    else if (acquired.has(name) && user.roles.has(CtiRole.AllowControlOfAllDevices))
      assess('unneeded', `${name} is acquired by name as well, so the association adds nothing.`);
    else
      assess(
        'needed',
        `Puts ${name} and its lines (${configuration.devices.get(name)?.lines.join(', ') || 'none'}) in the domain.`,
      );
  }

  assessExtensionMobility(configuration, user, domain.terminals, domain.mayOpenProvider, add);
  for (const terminal of domain.terminals) assessDeviceFlag(configuration, terminal, add);
  // A line is worth its flag when at least one of its appearances in the domain is on an observable device.
  const lineReach = new Map<string, boolean>();
  for (const address of domain.addresses) {
    const deviceObservable = terminalsByName.get(address.terminal)?.restricted === false;
    lineReach.set(address.dn, (lineReach.get(address.dn) ?? false) || deviceObservable);
  }
  for (const [dn, onObservableDevice] of [...lineReach].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const flag = configuration.lines.get(dn)?.allowCtiControl ?? true;
    add(
      CtiSetting.LineCtiFlag,
      dn,
      flag,
      !flag ? 'blocking' : onObservableDevice ? 'needed' : 'unneeded',
      !flag
        ? `Line ${dn}'s "Allow Control of Device from CTI" is off, so it is restricted on every device in the domain.`
        : onObservableDevice
          ? `Must stay on: line ${dn} is observable only while its flag is on.`
          : `Makes no difference while every device in the domain that line ${dn} is on is restricted.`,
    );
  }

  return {
    userId: user.userId,
    kind: user.kind,
    mayOpenProvider: domain.mayOpenProvider,
    ...(domain.refusal === undefined ? {} : { refusal: domain.refusal }),
    reach: {
      terminals: domain.terminals.length,
      observableTerminals: observable.length,
      addresses: domain.addresses.length,
      observableAddresses: observableAddresses.length,
    },
    settings,
    needed: settings.filter((s) => s.status === 'needed'),
    unneeded: settings.filter((s) => s.status === 'unneeded'),
  };
}

type Add = (setting: CtiSetting, subject: string, value: boolean, status: SettingStatus, sentence: string) => void;

/**
 * The Extension Mobility settings (§3.3–3.5): each CTI-controlled profile is needed while a login with
 * it brings a device into the domain, and makes no difference while nobody is logged in with it; the
 * login's CTI flag (the profile's and the user's) stands in for the device's on every device of the
 * domain that has a login; an end user's own Extension Mobility flag matters only while they are
 * logged in somewhere.
 */
function assessExtensionMobility(
  configuration: CtiConfiguration,
  user: CtiUser,
  terminals: readonly DomainTerminal[],
  mayOpenProvider: boolean,
  add: Add,
): void {
  const logins = [...configuration.extensionMobilityLogins];
  const terminalsByName = new Map(terminals.map((t) => [t.name, t]));
  for (const profile of [...user.controlledProfiles].sort()) {
    const withProfile = logins.filter((login) => login.profile === profile);
    const bringing = withProfile.filter((login) => {
      const terminal = terminalsByName.get(login.device);
      return terminal?.source === 'extension-mobility' && !terminal.restricted && login.userId !== user.userId;
    });
    const assess = (status: SettingStatus, sentence: string) =>
      add(CtiSetting.ControlledDevice, profile, true, status, sentence);
    if (!mayOpenProvider) assess('unneeded', `Reaches nothing while ${describeUser(user)} cannot open a provider.`);
    else if (withProfile.length === 0)
      assess(
        'unneeded',
        `Makes no difference now: nobody is logged in with Extension Mobility profile ${profile}. It puts the phone in the domain only while someone is logged in with it.`,
      );
    else if (bringing.length === 0)
      assess(
        'unneeded',
        `${withProfile.map((l) => `${l.userId} is logged in with ${profile} on ${l.device}`).join('; ')}, but the device is in the domain without it, or restricted.`,
      );
    else
      assess(
        'needed',
        `Puts ${bringing.map((l) => l.device).join(', ')} in the domain while ${bringing.map((l) => l.userId).join(', ')} ${bringing.length === 1 ? 'is' : 'are'} logged in there with Extension Mobility profile ${profile}.`,
      );
  }
  for (const login of logins) {
    const terminal = terminalsByName.get(login.device);
    if (terminal === undefined) continue;
    const onBoth = `the profile ${login.profile}'s and ${login.userId}'s Extension Mobility "Allow Control of Device from CTI"`;
    add(
      CtiSetting.ExtensionMobilityFlag,
      login.userId,
      login.allowCtiControl,
      !login.allowCtiControl ? 'blocking' : terminal.restricted ? 'unneeded' : 'needed',
      !login.allowCtiControl
        ? `${login.userId} is logged in on ${login.device}, and ${onBoth} are not both on, so the device is restricted while the login lasts.`
        : terminal.restricted
          ? `Makes no difference while ${login.device} is restricted: ${terminal.restriction?.reason ?? ''}`
          : `Must stay on while ${login.userId} is logged in on ${login.device}: ${onBoth} stand in for the device's flag.`,
    );
  }
  const loggedIn = logins.some((login) => login.userId === user.userId);
  if (user.extensionMobilityAllowsCti !== undefined && !loggedIn) {
    add(
      CtiSetting.ExtensionMobilityFlag,
      user.userId,
      user.extensionMobilityAllowsCti,
      'unneeded',
      `${describeUser(user)} is not logged in anywhere with Extension Mobility, so its Extension Mobility "Allow Control of Device from CTI" makes no difference now.`,
    );
  }
}

function assessDeviceFlag(
  configuration: CtiConfiguration,
  terminal: DomainTerminal,
  add: (setting: CtiSetting, subject: string, value: boolean, status: SettingStatus, sentence: string) => void,
): void {
  const device = configuration.devices.get(terminal.name);
  if (device === undefined) return;
  const flag = device.allowCtiControl;
  const replaced = configuration.extensionMobilityLogin(device.name) !== undefined;
  if (replaced) {
    add(
      CtiSetting.DeviceCtiFlag,
      device.name,
      flag,
      'unneeded',
      `Replaced by the Extension Mobility flag while a user is logged in on ${device.name}.`,
    );
  } else if (!flag) {
    add(
      CtiSetting.DeviceCtiFlag,
      device.name,
      flag,
      'blocking',
      `${device.name}'s "Allow Control of Device from CTI" is off, so the device and its lines are restricted.`,
    );
  } else if (terminal.restricted) {
    add(
      CtiSetting.DeviceCtiFlag,
      device.name,
      flag,
      'unneeded',
      `Makes no difference while ${device.name} is restricted: ${terminal.restriction?.reason ?? ''}`,
    );
  } else {
    add(
      CtiSetting.DeviceCtiFlag,
      device.name,
      flag,
      'needed',
      `Must stay on: ${device.name} is observable only while its flag is on.`,
    );
  }
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
function names(terminals: readonly { name: string }[]): string {
  const shown = terminals
    .slice(0, 5)
    .map((t) => t.name)
    .join(', ');
  return terminals.length > 5 ? `${shown} and ${terminals.length - 5} more` : shown;
}
