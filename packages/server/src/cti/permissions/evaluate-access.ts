import { ErrorCode, StrowgerError } from '../../core/index.js';
import { CtiSetting, describeUser, type AccessDeniedCode, type AccessRule } from './access-rule.js';
import type { CtiConfiguration, CtiDevice, CtiLine, CtiUser } from './cti-configuration.js';
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

/** The answer for one user and one device or device–line appearance, with every rule that decided. */
export interface AccessVerdict {
  readonly device: string;
  readonly line: string | undefined;
  /** The user may open a provider at all ("Standard CTI Enabled"). */
  readonly mayOpenProvider: boolean;
  /** The device is in the provider's domain, restricted or not. */
  readonly inDomain: boolean;
  readonly source: DomainSource | undefined;
  /** In the domain but restricted: listed as restricted, and observing it fails. */
  readonly restricted: boolean;
  /** Outside the domain, but the all-devices role would bring it in by createTerminal (and it is not restricted). */
  readonly acquirable: boolean;
  readonly mayObserve: boolean;
  /**
   * CUCM has no separate observe and control privileges: a device in the domain, unrestricted, may be
   * observed and controlled; the optional roles gate single features (see `features`).
   */
  readonly mayControl: boolean;
  /** The code an observe or control request fails with; undefined when it is allowed. */
  readonly code: AccessDeniedCode | undefined;
  /** The rule that decided: the first that blocks, or, when allowed, the one that grants the domain. */
  readonly decidedBy: AccessRule;
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
  const who = describeUser(user);
  const rules: AccessRule[] = [];
  const rule = (r: AccessRule) => {
    rules.push(r);
    return r;
  };

  const mayOpenProvider = user.roles.has(CtiRole.Enabled);
  const enabledRule = rule(
    mayOpenProvider
      ? groupRule(
          CtiRole.Enabled,
          true,
          'required',
          `${who} is in "${CtiRole.Enabled}", which every CTI user needs to open a provider.`,
        )
      : groupRule(
          CtiRole.Enabled,
          false,
          'blocks',
          `${who} is not in "${CtiRole.Enabled}", so it cannot open a provider at all; add the group.`,
        ),
  );

  // The domain (§3.3): controlled devices, Extension Mobility logins, and acquisitions by a superprovider.
  const controlled = user.controlledDevices.has(device.name);
  const login = configuration.extensionMobilityLogin(device.name);
  const viaLogin =
    login !== undefined && (login.userId === user.userId || user.controlledProfiles.includes(login.profile));
  const superprovider = user.roles.has(CtiRole.AllowControlOfAllDevices);
  const wasAcquired = superprovider && acquired.has(device.name);
  const source: DomainSource | undefined = controlled
    ? 'controlled-device'
    : viaLogin
      ? 'extension-mobility'
      : wasAcquired
        ? 'acquired'
        : undefined;
  const inDomain = source !== undefined;

  const associationRule = rule({
    setting: CtiSetting.ControlledDevice,
    subject: device.name,
    value: controlled,
    effect: controlled ? 'grants' : inDomain ? 'no-effect' : 'blocks',
    sentence: controlled
      ? `${device.name} is one of ${who}'s controlled devices, which puts it and all its lines in the provider's domain.`
      : inDomain
        ? `${device.name} is not one of ${who}'s controlled devices; it is in the domain all the same (${source === 'acquired' ? 'acquired by name' : 'through an Extension Mobility login'}).`
        : `${device.name} is not one of ${who}'s controlled devices, so it is outside the provider's domain; associate it with the user${superprovider ? ', or acquire it by name (createTerminal)' : ''}.`,
  });

  let loginRule: AccessRule | undefined;
  if (login !== undefined) {
    loginRule = rule({
      setting: CtiSetting.ControlledDevice,
      subject: login.profile,
      value: viaLogin,
      effect: viaLogin ? (controlled ? 'no-effect' : 'grants') : 'no-effect',
      sentence: viaLogin
        ? `${login.userId} is logged in on ${device.name} with Extension Mobility profile ${login.profile}, ${login.userId === user.userId ? 'the same user id as the provider' : `a profile among ${who}'s CTI-controlled profiles`}, which ${controlled ? 'would also put' : 'puts'} the device in the domain.`
        : `${login.userId} is logged in on ${device.name} with Extension Mobility profile ${login.profile}, which is not among ${who}'s CTI-controlled profiles.`,
    });
  }

  const acquireRule = rule(
    superprovider
      ? groupRule(
          CtiRole.AllowControlOfAllDevices,
          true,
          source === 'acquired' ? 'grants' : 'no-effect',
          source === 'acquired'
            ? `${who} is in "${CtiRole.AllowControlOfAllDevices}" and acquired ${device.name} by name (createTerminal), which puts it in the domain.`
            : inDomain
              ? `${who} is in "${CtiRole.AllowControlOfAllDevices}", which made no difference here: ${device.name} is in the domain already.`
              : `${who} is in "${CtiRole.AllowControlOfAllDevices}" and may acquire ${device.name} by name (createTerminal); it has not, so the device is outside the domain until it does.`,
        )
      : groupRule(
          CtiRole.AllowControlOfAllDevices,
          false,
          'no-effect',
          inDomain
            ? `${who} is not in "${CtiRole.AllowControlOfAllDevices}", which it does not need for ${device.name}.`
            : `${who} is not in "${CtiRole.AllowControlOfAllDevices}", so it cannot acquire devices outside its controlled devices either.`,
        ),
  );

  // The device flag, replaced by the logged-in user's Extension Mobility flag while a login lasts (§3.4).
  rule({
    setting: CtiSetting.ExtensionMobilityFlag,
    subject: login?.userId ?? device.name,
    value: login?.allowCtiControl ?? null,
    effect: login === undefined ? 'no-effect' : login.allowCtiControl ? 'required' : 'blocks',
    sentence:
      login === undefined
        ? `No Extension Mobility login is active on ${device.name}, so no end user's Extension Mobility "Allow Control of Device from CTI" applies; the device's own flag does.`
        : login.allowCtiControl
          ? `${login.userId} is logged in on ${device.name} with "Allow Control of Device from CTI" on in Extension Mobility, which stands in for the device's flag while the login lasts.`
          : `${login.userId} is logged in on ${device.name} with "Allow Control of Device from CTI" off in Extension Mobility, so the device is restricted while the login lasts.`,
  });
  const deviceFlag = login?.allowCtiControl ?? device.allowCtiControl;
  const deviceFlagRule = rule({
    setting: CtiSetting.DeviceCtiFlag,
    subject: device.name,
    value: device.allowCtiControl,
    effect: login !== undefined ? 'no-effect' : device.allowCtiControl ? 'required' : 'blocks',
    sentence:
      login !== undefined
        ? `${device.name}'s own "Allow Control of Device from CTI" (${onOff(device.allowCtiControl)}) is replaced by the Extension Mobility flag while ${login.userId} is logged in.`
        : device.allowCtiControl
          ? `${device.name}'s "Allow Control of Device from CTI" is on; it must stay on, since the flag restricts every user, the all-devices role included.`
          : `${device.name}'s "Allow Control of Device from CTI" is off, so the device and all its lines are restricted for every user, the all-devices role included.`,
  });
  const classRules = deviceClassRules(user, device, who);
  rules.push(...classRules);
  const deviceRestricted = !deviceFlag || classRules.some((r) => r.effect === 'blocks');

  let lineRule: AccessRule | undefined;
  if (line !== undefined) {
    const shared = configuration.appearancesOf(line.dn).length > 1;
    lineRule = rule({
      setting: CtiSetting.LineCtiFlag,
      subject: line.dn,
      value: line.allowCtiControl,
      effect: line.allowCtiControl ? 'required' : 'blocks',
      sentence: line.allowCtiControl
        ? `Line ${line.dn}'s "Allow Control of Device from CTI" is on; it must stay on${shared ? ' (the line is shared, and the flag covers every appearance)' : ''}.`
        : `Line ${line.dn}'s "Allow Control of Device from CTI" is off, so the line is restricted on ${device.name}${shared ? ' and on every other device it appears on' : ''}, for every user.`,
    });
  }
  const lineRestricted = line !== undefined && !line.allowCtiControl;

  const mayObserve = mayOpenProvider && inDomain && !deviceRestricted && !lineRestricted;
  const features = featuresFor(user, mayOpenProvider, mayObserve);
  for (const [feature, { role, title }] of Object.entries(featureRoles)) {
    if (!user.roles.has(role)) continue;
    const allowed = features[feature as CtiFeature];
    rules.push(
      groupRule(
        role,
        true,
        allowed ? 'grants' : 'no-effect',
        allowed
          ? `${who} is in "${role}", which allows ${title}${feature === CtiFeature.CallParkMonitoring ? ' on every call-park number' : ` on ${device.name}`}${feature === CtiFeature.SrtpKeyMaterial ? ' over a TLS connection' : ''}.`
          : `${who} is in "${role}", which gives nothing here: ${feature === CtiFeature.SrtpKeyMaterial && mayObserve ? `it also needs "${CtiRole.SecureConnection}"` : `${title} works only on devices the provider may observe`}.`,
      ),
    );
  }
  if (user.roles.has(CtiRole.SecureConnection)) {
    rules.push(
      groupRule(
        CtiRole.SecureConnection,
        true,
        user.roles.has(CtiRole.SrtpKeyMaterial) && mayObserve ? 'required' : 'no-effect',
        `${who} is in "${CtiRole.SecureConnection}", so it must connect over TLS; it grants no device${user.roles.has(CtiRole.SrtpKeyMaterial) ? ', and SRTP key material needs it' : ''}.`,
      ),
    );
  }

  const code: AccessDeniedCode | undefined = !mayOpenProvider
    ? ErrorCode.LoginNotAllowed
    : !inDomain
      ? ErrorCode.AccessToDeviceDenied
      : deviceRestricted
        ? ErrorCode.DeviceRestricted
        : lineRestricted
          ? ErrorCode.LineRestricted
          : undefined;
  const decidedBy =
    code === ErrorCode.LoginNotAllowed
      ? enabledRule
      : code === ErrorCode.AccessToDeviceDenied
        ? associationRule
        : code === ErrorCode.DeviceRestricted
          ? (rules.find((r) => r.effect === 'blocks' && r !== enabledRule && r !== associationRule) ?? deviceFlagRule)
          : code === ErrorCode.LineRestricted
            ? (lineRule ?? deviceFlagRule)
            : source === 'controlled-device'
              ? associationRule
              : source === 'extension-mobility'
                ? (loginRule ?? associationRule)
                : acquireRule;
  return {
    device: device.name,
    line: line?.dn,
    mayOpenProvider,
    inDomain,
    source,
    restricted: inDomain && (deviceRestricted || lineRestricted),
    acquirable: !inDomain && superprovider && !deviceRestricted && !lineRestricted,
    mayObserve,
    mayControl: mayObserve,
    code,
    decidedBy,
    rules,
    features,
  };
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

/** The phone-class roles (§3.2): a rule for each the device needs or the user holds. */
function deviceClassRules(user: CtiUser, device: CtiDevice, who: string): AccessRule[] {
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

function groupRule(role: CtiRole, member: boolean, effect: AccessRule['effect'], sentence: string): AccessRule {
  return { setting: CtiSetting.AccessControlGroup, subject: role, value: member, effect, sentence };
}

const onOff = (flag: boolean) => (flag ? 'on' : 'off');
