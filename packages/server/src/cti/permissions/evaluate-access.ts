import { ErrorCode, StrowgerError } from '../../core/index.js';
import { CtiSetting, describeUser, type AccessDeniedCode, type AccessRule } from './access-rule.js';
import type { CtiConfiguration, CtiDevice, CtiLine, CtiUser, ExtensionMobilityLogin } from './cti-configuration.js';
import { CtiFeature, CtiRole, featureRoles } from './roles.js';

/** How a device came into a provider's domain (§3.3). */
export type DomainSource = 'controlled-device' | 'extension-mobility' | 'acquired';

export interface AccessQuery {
  readonly configuration: CtiConfiguration;
  readonly user: CtiUser;
  /** The device (terminal) asked about. */
  readonly device: string;
  /** A line on that device, for one appearance (address on terminal); omit to ask about the device. */
  readonly line?: string;
  /** Devices this user's provider acquired by name with the all-devices role (JTAPI createTerminal). */
  readonly acquired: ReadonlySet<string>;
}

/** The decision alone: what `decideAccess` answers, and the core of every `AccessVerdict`. */
export interface AccessDecision {
  readonly device: string;
  readonly line: string | undefined;
  /** The user may open a provider at all ("Standard CTI Enabled"). */
  readonly mayOpenProvider: boolean;
  /** The device is in the provider's domain, restricted or not. */
  readonly inDomain: boolean;
  readonly source: DomainSource | undefined;
  /** In the domain but restricted: listed as restricted, and observing it fails. */
  readonly restricted: boolean;
  readonly mayObserve: boolean;
  /** The code an observe or control request fails with; undefined when it is allowed. */
  readonly code: AccessDeniedCode | undefined;
  /** The rule that decided: the first that blocks, or, when allowed, the one that grants the domain. */
  readonly decidedBy: AccessRule;
}

/** The answer for one user and one device or device–line appearance, with every rule that decided. */
export interface AccessVerdict extends AccessDecision {
  /** Outside the domain, but the all-devices role would bring it in, observable, by createTerminal. */
  readonly acquirable: boolean;
  /**
   * CUCM has no separate observe and control privileges: a device in the domain, unrestricted, may be
   * observed and controlled; the optional roles gate single features (see `features`). "Control" is
   * exactly the protocol's call-control methods (cti/provider/call-control.ts `callControlMethods`):
   * answer, hold, unhold, DTMF generation, disconnect, redirect, connect, consult, transfer, conference,
   * drop, a line's forward all and message-waiting lamp, and a terminal's do not disturb and pickup, which
   * the CTI server checks against the same domain.
   */
  readonly mayControl: boolean;
  /** In the order §3.8 checks them. */
  readonly rules: readonly AccessRule[];
  /** Which role-gated features the user may use on this device. */
  readonly features: Readonly<Record<CtiFeature, boolean>>;
}

/**
 * The decision function of the domain reference §3.8, pure: a user without "Standard CTI Enabled"
 * opens no provider; the domain is the controlled devices (all their lines), the devices an Extension
 * Mobility login puts there, and — with "Standard CTI Allow Control of All Devices" — the devices the
 * provider acquired by name; a device or line whose "Allow Control of Device from CTI" is off is out
 * of reach for everyone, the all-devices role included (§3.4, combination rule 2), and so is a phone
 * of a class whose role the user lacks. Every rule that took part is returned, in that order, with
 * its effect; the first that blocks gives the error code.
 */
export function evaluateAccess(query: AccessQuery): AccessVerdict {
  const f = factsOf(query);
  const rules: AccessRule[] = [enabledRule(f), associationRule(f)];
  if (f.login !== undefined) rules.push(loginRule(f, f.login));
  rules.push(acquireRule(f), extensionMobilityFlagRule(f), deviceFlagRule(f), ...deviceClassRules(f));
  if (f.line !== undefined) rules.push(lineRule(f, f.line));
  rules.push(...featureRules(f));
  return {
    ...decisionOf(f),
    acquirable: !f.inDomain && f.superprovider && !f.deviceRestricted && !f.lineRestricted,
    mayControl: f.mayObserve,
    rules,
    features: featuresFor(f.user, f.mayOpenProvider, f.mayObserve),
  };
}

/**
 * The same decision as `evaluateAccess`, without building the rules that did not decide: what a
 * provider open needs for each device and line it leaves out or lists as restricted.
 */
export function decideAccess(query: AccessQuery): AccessDecision {
  return decisionOf(factsOf(query));
}

/**
 * Whether a device is restricted for this user whatever its domain: its flag (or the Extension
 * Mobility flag standing in for it) is off, or it is of a phone class whose role the user lacks.
 */
export function isDeviceRestricted(configuration: CtiConfiguration, user: CtiUser, device: CtiDevice): boolean {
  const login = configuration.extensionMobilityLogin(device.name);
  if (!(login?.allowCtiControl ?? device.allowCtiControl)) return true;
  if (device.connectedTransferConference && !user.roles.has(CtiRole.ConnectedTransferConference)) return true;
  return device.rolloverMode && !user.roles.has(CtiRole.RolloverMode);
}

/** The role-gated features (§3.2): all but call-park monitoring act on a device the provider may observe. */
export function featuresFor(user: CtiUser, mayOpenProvider: boolean, mayObserve: boolean): Record<CtiFeature, boolean> {
  const has = (role: CtiRole) => user.roles.has(role);
  return {
    'call-monitoring': mayObserve && has(CtiRole.CallMonitoring),
    'call-recording': mayObserve && has(CtiRole.CallRecording),
    'call-park-monitoring': mayOpenProvider && has(CtiRole.CallParkMonitoring),
    'calling-number-modification': mayObserve && has(CtiRole.CallingNumberModification),
    // Keys travel only over TLS and only with the secure-connection role as well ([SEC-15]).
    'srtp-key-material': mayObserve && has(CtiRole.SrtpKeyMaterial) && has(CtiRole.SecureConnection),
  };
}

/** Everything the rules are judged from, worked out once per question. */
interface Facts {
  readonly configuration: CtiConfiguration;
  readonly user: CtiUser;
  readonly who: string;
  readonly device: CtiDevice;
  readonly line: CtiLine | undefined;
  readonly mayOpenProvider: boolean;
  readonly controlled: boolean;
  readonly login: ExtensionMobilityLogin | undefined;
  readonly viaLogin: boolean;
  readonly superprovider: boolean;
  readonly source: DomainSource | undefined;
  readonly inDomain: boolean;
  /** The device's flag, or the Extension Mobility flag standing in for it during a login. */
  readonly deviceFlag: boolean;
  readonly deviceRestricted: boolean;
  readonly lineRestricted: boolean;
  readonly mayObserve: boolean;
}

function factsOf(query: AccessQuery): Facts {
  const { configuration, user, acquired } = query;
  const device = configuration.devices.get(query.device);
  if (device === undefined) {
    throw new StrowgerError(ErrorCode.NotFound, `no device named ${query.device} is configured`);
  }
  let line: CtiLine | undefined;
  if (query.line !== undefined) {
    line = configuration.lines.get(query.line);
    if (line === undefined || !device.lines.includes(query.line)) {
      throw new StrowgerError(
        ErrorCode.NotFound,
        `line ${query.line} does not appear on device ${device.name}; its lines are ${device.lines.join(', ') || 'none'}`,
      );
    }
  }
  const mayOpenProvider = user.roles.has(CtiRole.Enabled);
  // The domain (§3.3): controlled devices, Extension Mobility logins, and acquisitions by a superprovider.
  const controlled = user.controlledDevices.has(device.name);
  const login = configuration.extensionMobilityLogin(device.name);
  const viaLogin =
    login !== undefined && (login.userId === user.userId || user.controlledProfiles.includes(login.profile));
  const superprovider = user.roles.has(CtiRole.AllowControlOfAllDevices);
  const source: DomainSource | undefined = controlled
    ? 'controlled-device'
    : viaLogin
      ? 'extension-mobility'
      : superprovider && acquired.has(device.name)
        ? 'acquired'
        : undefined;
  const inDomain = source !== undefined;
  const deviceRestricted = isDeviceRestricted(configuration, user, device);
  const lineRestricted = line !== undefined && !line.allowCtiControl;
  return {
    configuration,
    user,
    who: describeUser(user),
    device,
    line,
    mayOpenProvider,
    controlled,
    login,
    viaLogin,
    superprovider,
    source,
    inDomain,
    deviceFlag: login?.allowCtiControl ?? device.allowCtiControl,
    deviceRestricted,
    lineRestricted,
    mayObserve: mayOpenProvider && inDomain && !deviceRestricted && !lineRestricted,
  };
}

/** §3.8's order: login, domain, device restriction, line restriction. */
function decisionOf(f: Facts): AccessDecision {
  let code: AccessDeniedCode | undefined;
  let decidedBy: AccessRule;
  if (!f.mayOpenProvider) {
    code = ErrorCode.LoginNotAllowed;
    decidedBy = enabledRule(f);
  } else if (!f.inDomain) {
    code = ErrorCode.AccessToDeviceDenied;
    decidedBy = associationRule(f);
  } else if (f.deviceRestricted) {
    code = ErrorCode.DeviceRestricted;
    decidedBy = !f.deviceFlag
      ? f.login !== undefined
        ? extensionMobilityFlagRule(f)
        : deviceFlagRule(f)
      : (deviceClassRules(f).find((r) => r.effect === 'blocks') ?? deviceFlagRule(f));
  } else if (f.lineRestricted && f.line !== undefined) {
    code = ErrorCode.LineRestricted;
    decidedBy = lineRule(f, f.line);
  } else {
    decidedBy =
      f.source === 'controlled-device'
        ? associationRule(f)
        : f.source === 'extension-mobility' && f.login !== undefined
          ? loginRule(f, f.login)
          : acquireRule(f);
  }
  return {
    device: f.device.name,
    line: f.line?.dn,
    mayOpenProvider: f.mayOpenProvider,
    inDomain: f.inDomain,
    source: f.source,
    restricted: f.inDomain && (f.deviceRestricted || f.lineRestricted),
    mayObserve: f.mayObserve,
    code,
    decidedBy,
  };
}

function enabledRule(f: Facts): AccessRule {
  return f.mayOpenProvider
    ? groupRule(
        CtiRole.Enabled,
        true,
        'required',
        `${f.who} is in "${CtiRole.Enabled}", which every CTI user needs to open a provider.`,
      )
    : groupRule(
        CtiRole.Enabled,
        false,
        'blocks',
        `${f.who} is not in "${CtiRole.Enabled}", so it cannot open a provider at all; add the group.`,
      );
}

function associationRule(f: Facts): AccessRule {
  const name = f.device.name;
  return {
    setting: CtiSetting.ControlledDevice,
    subject: name,
    value: f.controlled,
    effect: f.controlled ? 'grants' : f.inDomain ? 'no-effect' : 'blocks',
    sentence: f.controlled
      ? `${name} is one of ${f.who}'s controlled devices, which puts it and all its lines in the provider's domain.`
      : f.inDomain
        ? `${name} is not one of ${f.who}'s controlled devices; it is in the domain all the same (${f.source === 'acquired' ? 'acquired by name' : 'through an Extension Mobility login'}).`
        : `${name} is not one of ${f.who}'s controlled devices, so it is outside the provider's domain; associate it with the user${f.superprovider ? ', or acquire it by name (createTerminal)' : ''}.`,
  };
}

function loginRule(f: Facts, login: ExtensionMobilityLogin): AccessRule {
  const sameUser = login.userId === f.user.userId;
  return {
    setting: CtiSetting.ControlledDevice,
    subject: login.profile,
    value: f.viaLogin,
    effect: f.viaLogin && !f.controlled ? 'grants' : 'no-effect',
    sentence: f.viaLogin
      ? `${login.userId} is logged in on ${f.device.name} with Extension Mobility profile ${login.profile}, ${sameUser ? 'the same user id as the provider' : `a profile among ${f.who}'s CTI-controlled profiles`}, which ${f.controlled ? 'would also put' : 'puts'} the device in the domain.`
      : `${login.userId} is logged in on ${f.device.name} with Extension Mobility profile ${login.profile}, which is not among ${f.who}'s CTI-controlled profiles.`,
  };
}

function acquireRule(f: Facts): AccessRule {
  const role = CtiRole.AllowControlOfAllDevices;
  const name = f.device.name;
  if (!f.superprovider) {
    return groupRule(
      role,
      false,
      'no-effect',
      f.inDomain
        ? `${f.who} is not in "${role}", which it does not need for ${name}.`
        : `${f.who} is not in "${role}", so it cannot acquire devices outside its controlled devices either.`,
    );
  }
  return groupRule(
    role,
    true,
    f.source === 'acquired' ? 'grants' : 'no-effect',
    f.source === 'acquired'
      ? `${f.who} is in "${role}" and acquired ${name} by name (createTerminal), which puts it in the domain.`
      : f.inDomain
        ? `${f.who} is in "${role}", which made no difference here: ${name} is in the domain already.`
        : `${f.who} is in "${role}" and may acquire ${name} by name (createTerminal); it has not, so the device is outside the domain until it does.`,
  );
}

/** The profile's and end user's Extension Mobility flags stand in for the device's while a login lasts (§3.4). */
function extensionMobilityFlagRule(f: Facts): AccessRule {
  const { login, device } = f;
  return {
    setting: CtiSetting.ExtensionMobilityFlag,
    subject: login?.userId ?? device.name,
    value: login?.allowCtiControl ?? null,
    effect: login === undefined ? 'no-effect' : login.allowCtiControl ? 'required' : 'blocks',
    sentence:
      login === undefined
        ? `No Extension Mobility login is active on ${device.name}, so no profile's or end user's Extension Mobility "Allow Control of Device from CTI" makes any difference; the device's own flag does.`
        : login.allowCtiControl
          ? `${login.userId} is logged in on ${device.name} with profile ${login.profile}, whose "Allow Control of Device from CTI" is on, as is the user's own in Extension Mobility; they stand in for the device's flag while the login lasts.`
          : `${login.userId} is logged in on ${device.name} with profile ${login.profile}, and ${offFlags(login)} "Allow Control of Device from CTI" is off, so the device is restricted while the login lasts.`,
  };
}

/** Which of a login's flags are off, as a sentence names them. */
function offFlags(login: ExtensionMobilityLogin): string {
  const profileOff = login.profileAllowsCti === false;
  const userOff = login.userAllowsCti === false;
  if (profileOff && userOff) return `both the profile's and the user's Extension Mobility`;
  if (profileOff) return `the profile's`;
  if (userOff) return `the user's Extension Mobility`;
  return 'the Extension Mobility';
}

function deviceFlagRule(f: Facts): AccessRule {
  const { login, device } = f;
  return {
    setting: CtiSetting.DeviceCtiFlag,
    subject: device.name,
    value: device.allowCtiControl,
    effect: login !== undefined ? 'no-effect' : device.allowCtiControl ? 'required' : 'blocks',
    sentence:
      login !== undefined
        ? `${device.name}'s own "Allow Control of Device from CTI" (${device.allowCtiControl ? 'on' : 'off'}) is replaced by the Extension Mobility flag while ${login.userId} is logged in.`
        : device.allowCtiControl
          ? `${device.name}'s "Allow Control of Device from CTI" is on; it must stay on, since the flag restricts every user, the all-devices role included.`
          : `${device.name}'s "Allow Control of Device from CTI" is off, so the device and all its lines are restricted for every user, the all-devices role included.`,
  };
}

/** The phone-class roles (§3.2): a rule for each the device needs or the user holds. */
function deviceClassRules(f: Facts): AccessRule[] {
  const { device, user, who } = f;
  const classes = [
    {
      role: CtiRole.ConnectedTransferConference,
      needed: device.connectedTransferConference,
      title: 'connected transfer and conference',
    },
    { role: CtiRole.RolloverMode, needed: device.rolloverMode, title: 'line rollover' },
  ];
  const rules: AccessRule[] = [];
  for (const { role, needed, title } of classes) {
    const held = user.roles.has(role);
    if (!needed && !held) continue;
    rules.push(
      groupRule(
        role,
        held,
        needed ? (held ? 'required' : 'blocks') : 'no-effect',
        needed
          ? held
            ? `${device.name} is a phone with ${title}, which ${who} may control because it is in "${role}".`
            : `${device.name} is a phone with ${title}, and ${who} is not in "${role}", so the device is restricted for it.`
          : `${who} is in "${role}", which made no difference: ${device.name} is not a phone with ${title}.`,
      ),
    );
  }
  return rules;
}

function lineRule(f: Facts, line: CtiLine): AccessRule {
  const shared = f.configuration.appearancesOf(line.dn).length > 1;
  return {
    setting: CtiSetting.LineCtiFlag,
    subject: line.dn,
    value: line.allowCtiControl,
    effect: line.allowCtiControl ? 'required' : 'blocks',
    sentence: line.allowCtiControl
      ? `Line ${line.dn}'s "Allow Control of Device from CTI" is on; it must stay on${shared ? ' (the line is shared, and the flag covers every appearance)' : ''}.`
      : `Line ${line.dn}'s "Allow Control of Device from CTI" is off, so the line is restricted on ${f.device.name}${shared ? ' and on every other device it appears on' : ''}, for every user.`,
  };
}

/** The feature roles the user holds, each with what it allows on this device. */
function featureRules(f: Facts): AccessRule[] {
  const { user, who, device } = f;
  const features = featuresFor(user, f.mayOpenProvider, f.mayObserve);
  const rules: AccessRule[] = [];
  for (const [feature, { role, title }] of Object.entries(featureRoles)) {
    if (!user.roles.has(role)) continue;
    const allowed = features[feature as CtiFeature];
    const where = feature === CtiFeature.CallParkMonitoring ? ' on every call-park number' : ` on ${device.name}`;
    rules.push(
      groupRule(
        role,
        true,
        allowed ? 'grants' : 'no-effect',
        allowed
          ? `${who} is in "${role}", which allows ${title}${where}${feature === CtiFeature.SrtpKeyMaterial ? ' over a TLS connection' : ''}.`
          : `${who} is in "${role}", which gives nothing here: ${feature === CtiFeature.SrtpKeyMaterial && f.mayObserve ? `it also needs "${CtiRole.SecureConnection}"` : `${title} works only on devices the provider may observe`}.`,
      ),
    );
  }
  if (user.roles.has(CtiRole.SecureConnection)) {
    const needed = user.roles.has(CtiRole.SrtpKeyMaterial);
    rules.push(
      groupRule(
        CtiRole.SecureConnection,
        true,
        needed && f.mayObserve ? 'required' : 'no-effect',
        `${who} is in "${CtiRole.SecureConnection}", so it must connect over TLS; it grants no device${needed ? ', and SRTP key material needs it' : ''}.`,
      ),
    );
  }
  return rules;
}

function groupRule(role: CtiRole, member: boolean, effect: AccessRule['effect'], sentence: string): AccessRule {
  // Sentences about a group start with the user ("end user alice is in …"): a capital to start.
  const capitalised = sentence.replace(/^(end|application) user/, (start) => start[0]?.toUpperCase() + start.slice(1));
  return { setting: CtiSetting.AccessControlGroup, subject: role, value: member, effect, sentence: capitalised };
}
