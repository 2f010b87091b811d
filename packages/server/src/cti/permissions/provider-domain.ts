import { ErrorCode } from '../../core/index.js';
import type { DeviceType } from '../../store/index.js';
import { describeUser, type AccessDeniedCode } from './access-rule.js';
import type { CtiConfiguration, CtiDevice, CtiUser, CtiUserKind } from './cti-configuration.js';
import { decideAccess, isDeviceRestricted, type DomainSource } from './evaluate-access.js';
import { CtiRole } from './roles.js';

/** A device in the provider's domain: a JTAPI Terminal. */
export interface DomainTerminal {
  readonly name: string;
  readonly type: DeviceType;
  readonly source: DomainSource;
  readonly restricted: boolean;
  /** Why it is restricted (the code observing it fails with, and the deciding rule's sentence). */
  readonly restriction?: { readonly code: AccessDeniedCode; readonly reason: string };
}

/** A line appearance in the domain: a JTAPI Address on one Terminal (a shared line has several). */
export interface DomainAddress {
  readonly dn: string;
  readonly terminal: string;
  readonly restricted: boolean;
  readonly restriction?: { readonly code: AccessDeniedCode; readonly reason: string };
}

/** A configured device or line outside the domain, with the evaluator's verdict. */
export interface Exclusion {
  readonly name: string;
  readonly code: AccessDeniedCode;
  readonly reason: string;
}

export interface ProviderDomain {
  readonly userId: string;
  readonly kind: CtiUserKind;
  /** False when the user may not open a provider at all; `refusal` then says why and the lists are empty. */
  readonly mayOpenProvider: boolean;
  readonly refusal?: { readonly code: AccessDeniedCode; readonly reason: string };
  /** In device-name order. */
  readonly terminals: readonly DomainTerminal[];
  /** Per appearance, in terminal order and then line-index order. */
  readonly addresses: readonly DomainAddress[];
  /** Every configured device and line the domain does not include, and why. */
  readonly excluded: { readonly devices: readonly Exclusion[]; readonly lines: readonly Exclusion[] };
}

/**
 * The provider's domain as CTIManager states it at open (domain reference §3.3, §3.6): the
 * controlled devices with all their lines (shared lines of other people included), the devices an
 * Extension Mobility login puts there, and, with the all-devices role, the devices acquired by name;
 * restricted terminals and addresses are listed as restricted. Every configured device or line left
 * out is listed with the evaluator's verdict. The cost is a few map lookups per device and line, so
 * it follows the size of the configuration, with no per-device scan.
 */
export function computeProviderDomain(
  configuration: CtiConfiguration,
  user: CtiUser,
  acquired: ReadonlySet<string> = new Set(),
): ProviderDomain {
  if (!user.roles.has(CtiRole.Enabled)) {
    return {
      userId: user.userId,
      kind: user.kind,
      mayOpenProvider: false,
      refusal: {
        code: ErrorCode.LoginNotAllowed,
        reason: `${describeUser(user)} is not in "${CtiRole.Enabled}", so it cannot open a provider at all; add the group.`,
      },
      terminals: [],
      addresses: [],
      excluded: { devices: [], lines: [] },
    };
  }
  const members = new Map<string, DomainSource>();
  for (const name of user.controlledDevices) {
    if (configuration.devices.has(name)) members.set(name, 'controlled-device');
  }
  for (const login of configuration.extensionMobilityLogins) {
    const matches = login.userId === user.userId || user.controlledProfiles.includes(login.profile);
    if (matches && !members.has(login.device) && configuration.devices.has(login.device)) {
      members.set(login.device, 'extension-mobility');
    }
  }
  if (user.roles.has(CtiRole.AllowControlOfAllDevices)) {
    for (const name of acquired) {
      if (!members.has(name) && configuration.devices.has(name)) members.set(name, 'acquired');
    }
  }

  const terminals: DomainTerminal[] = [];
  const addresses: DomainAddress[] = [];
  const excludedDevices: Exclusion[] = [];
  const reachedLines = new Set<string>();
  const verdict = (device: CtiDevice, line?: string) => {
    const result = decideAccess({
      configuration,
      user,
      device: device.name,
      ...(line === undefined ? {} : { line }),
      acquired,
    });
    // Only called for what is refused, so a code is always there.
    return { code: result.code ?? ErrorCode.AccessToDeviceDenied, reason: result.decidedBy.sentence };
  };
  for (const device of configuration.devices.values()) {
    const source = members.get(device.name);
    if (source === undefined) {
      const { code, reason } = verdict(device);
      excludedDevices.push({ name: device.name, code, reason });
      continue;
    }
    const restricted = isDeviceRestricted(configuration, user, device);
    const restriction = restricted ? verdict(device) : undefined;
    terminals.push({
      name: device.name,
      type: device.type,
      source,
      restricted,
      ...(restriction === undefined ? {} : { restriction }),
    });
    for (const dn of device.lines) {
      reachedLines.add(dn);
      const lineOff = configuration.lines.get(dn)?.allowCtiControl === false;
      const addressRestriction = restriction ?? (lineOff ? verdict(device, dn) : undefined);
      addresses.push({
        dn,
        terminal: device.name,
        restricted: addressRestriction !== undefined,
        ...(addressRestriction === undefined ? {} : { restriction: addressRestriction }),
      });
    }
  }

  const excludedLines: Exclusion[] = [];
  for (const line of configuration.lines.values()) {
    if (reachedLines.has(line.dn)) continue;
    const on = configuration.appearancesOf(line.dn);
    const first = on[0] === undefined ? undefined : configuration.devices.get(on[0]);
    excludedLines.push({
      name: line.dn,
      code: ErrorCode.AccessToDeviceDenied,
      reason:
        first === undefined
          ? `Line ${line.dn} appears on no device, so no provider reaches it.`
          : `Line ${line.dn} appears only on ${listNames(on)}, ${on.length === 1 ? 'which is not' : 'none of them'} in the domain: ${verdict(first).reason}`,
    });
  }
  return {
    userId: user.userId,
    kind: user.kind,
    mayOpenProvider: true,
    terminals,
    addresses,
    excluded: { devices: excludedDevices, lines: excludedLines },
  };
}

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, 5).join(', ');
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}
