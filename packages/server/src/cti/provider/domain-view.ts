import { EventId, type Address, type Capabilities, type Excluded, type Terminal } from '@strowger/protocol';
import { ErrorCode, StrowgerError } from '../../core/index.js';
import type { CtiUser } from '../permissions/cti-configuration.js';
import type { ProviderDomain } from '../permissions/provider-domain.js';
import { CtiRole } from '../permissions/roles.js';
import type { EventBody } from '../monitoring/jtapi-event-mapper.js';
import { domainCauseOf, type MobilityChange } from './mobility-change.js';

interface Refusal {
  readonly code: ErrorCode;
  readonly reason: string;
}

/**
 * A provider's domain as the protocol states it: terminals and addresses with their restricted and
 * in-service flags, everything configured but left out with its reason, and the capabilities the
 * user's roles give. Built from the permission evaluator's `ProviderDomain`, never computed here.
 */
export interface DomainView {
  readonly terminals: Map<string, Terminal>;
  readonly addresses: Map<string, Address>;
  readonly excluded: readonly Excluded[];
  readonly capabilities: Capabilities;
  /** Why a terminal, or an address appearance (`dn@terminal`), is restricted. */
  readonly restrictions: ReadonlyMap<string, Refusal>;
  readonly excludedDevices: ReadonlyMap<string, Refusal>;
  readonly excludedLines: ReadonlyMap<string, Refusal>;
}

export function capabilitiesOf(user: CtiUser): Capabilities {
  return {
    observeAnyTerminal: user.roles.has(CtiRole.AllowControlOfAllDevices),
    modifyCallingParty: user.roles.has(CtiRole.CallingNumberModification),
    monitor: user.roles.has(CtiRole.CallMonitoring),
    record: user.roles.has(CtiRole.CallRecording),
    monitorParkDns: user.roles.has(CtiRole.CallParkMonitoring),
    secureConnection: user.roles.has(CtiRole.SecureConnection),
  };
}

export function buildDomainView(
  domain: ProviderDomain,
  user: CtiUser,
  inService: (device: string) => boolean,
): DomainView {
  const restrictions = new Map<string, Refusal>();
  const linesOf = new Map<string, string[]>();
  const appearances = new Map<string, Array<{ terminal: string; restricted: boolean; inService: boolean }>>();
  const terminalInService = new Map<string, boolean>();
  for (const terminal of domain.terminals) {
    terminalInService.set(terminal.name, inService(terminal.name));
    if (terminal.restriction !== undefined) restrictions.set(terminal.name, terminal.restriction);
  }
  for (const address of domain.addresses) {
    const lines = linesOf.get(address.terminal) ?? [];
    lines.push(address.dn);
    linesOf.set(address.terminal, lines);
    const list = appearances.get(address.dn) ?? [];
    list.push({
      terminal: address.terminal,
      restricted: address.restricted,
      inService: !address.restricted && terminalInService.get(address.terminal) === true,
    });
    appearances.set(address.dn, list);
    if (address.restriction !== undefined) restrictions.set(`${address.dn}@${address.terminal}`, address.restriction);
  }
  const terminals = new Map<string, Terminal>();
  for (const terminal of domain.terminals) {
    terminals.set(terminal.name, {
      name: terminal.name,
      type: terminal.type,
      restricted: terminal.restricted,
      inService: !terminal.restricted && terminalInService.get(terminal.name) === true,
      acquired: terminal.source === 'acquired',
      addresses: linesOf.get(terminal.name) ?? [],
    });
  }
  const addresses = new Map<string, Address>();
  for (const [dn, list] of appearances) {
    addresses.set(dn, {
      name: dn,
      restricted: list.every((appearance) => appearance.restricted),
      inService: list.some((appearance) => appearance.inService),
      terminals: list,
    });
  }
  const excluded: Excluded[] = [
    ...domain.excluded.devices.map((e) => ({
      kind: 'terminal' as const,
      name: e.name,
      code: e.code,
      reason: e.reason,
    })),
    ...domain.excluded.lines.map((e) => ({ kind: 'address' as const, name: e.name, code: e.code, reason: e.reason })),
  ];
  return {
    terminals,
    addresses,
    excluded,
    capabilities: capabilitiesOf(user),
    restrictions,
    excludedDevices: new Map(domain.excluded.devices.map((e) => [e.name, e])),
    excludedLines: new Map(domain.excluded.lines.map((e) => [e.name, e])),
  };
}

/** Why a terminal cannot be observed, or undefined when it can (domain reference §3.8, §2.11). */
export function terminalRefusal(view: DomainView, name: string): StrowgerError | undefined {
  const terminal = view.terminals.get(name);
  if (terminal === undefined) {
    const reason = view.excludedDevices.get(name)?.reason ?? `No device named ${name} is configured; check the name.`;
    return refusal(ErrorCode.AccessToDeviceDenied, `Terminal ${name} is not in this provider's domain. ${reason}`);
  }
  if (terminal.restricted) {
    const why = view.restrictions.get(name);
    return refusal(
      why?.code ?? ErrorCode.DeviceRestricted,
      `Terminal ${name} is restricted. ${why?.reason ?? ''}`.trim(),
    );
  }
  return undefined;
}

/** Why an address cannot be observed, or undefined when it can. */
export function addressRefusal(view: DomainView, dn: string): StrowgerError | undefined {
  const address = view.addresses.get(dn);
  if (address === undefined) {
    const reason = view.excludedLines.get(dn)?.reason ?? `No line ${dn} is configured; check the number.`;
    return refusal(ErrorCode.AccessToDeviceDenied, `Address ${dn} is not in this provider's domain. ${reason}`);
  }
  if (address.restricted) {
    const first = address.terminals[0];
    const why = first === undefined ? undefined : view.restrictions.get(`${dn}@${first.terminal}`);
    return refusal(why?.code ?? ErrorCode.LineRestricted, `Address ${dn} is restricted. ${why?.reason ?? ''}`.trim());
  }
  return undefined;
}

function refusal(code: ErrorCode, message: string): StrowgerError {
  return new StrowgerError(code, message);
}

/** What changed between two views of one provider's domain. */
export interface DomainChange {
  /** Provider-level Cisco events, in the order JTAPI reports them (§3.4, §3.6). */
  readonly events: EventBody[];
  /** Terminals and addresses that can no longer be observed: their observers end. */
  readonly lostTerminals: readonly string[];
  readonly lostAddresses: readonly string[];
}

/**
 * The Cisco events that carry a domain change to the application (domain reference §3.4, §3.6): a
 * device entering the domain is CiscoTermCreatedEv (then CiscoAddrCreatedEv for new lines); leaving
 * it, CiscoTermRemovedEv; its CTI flag switched off, CiscoTermRestrictedEv + CiscoTermOutOfServiceEv
 * (cause 1008) + CiscoAddrRestrictedEv; back on, CiscoTermActivatedEv (+ CiscoTermInServiceEv when
 * registered) and CiscoAddrActivatedEv; one appearance of a shared line restricted or activated,
 * CiscoAddrRestrictedOnTerminalEv / CiscoAddrActivatedOnTerminalEv.
 */
export function diffDomains(
  before: DomainView,
  after: DomainView,
  at: number,
  mobility?: MobilityChange,
): DomainChange {
  const events: EventBody[] = [];
  const lostTerminals: string[] = [];
  const lostAddresses: string[] = [];
  const push = (type: EventBody['type'], fields: object): void => {
    events.push({ ...fields, at, id: eventIdOf(type), type } as EventBody);
  };
  // CiscoProvEv's cause, on the events that add to the domain or take from it (§3.3).
  const causeOn = (terminals: Iterable<string>) => ({ ciscoCause: domainCauseOf(mobility, terminals, before, after) });
  const appearances = (address: Address | undefined) => (address?.terminals ?? []).map((t) => t.terminal);
  if (JSON.stringify(before.capabilities) !== JSON.stringify(after.capabilities)) {
    push('CiscoProviderCapabilityChangedEv', { capabilities: after.capabilities });
  }
  for (const [name, old] of before.terminals) {
    const now = after.terminals.get(name);
    if (now === undefined) {
      if (!old.restricted) lostTerminals.push(name);
      push('CiscoTermRemovedEv', { name, ...causeOn([name]) });
    } else if (!old.restricted && now.restricted) {
      lostTerminals.push(name);
      push('CiscoTermRestrictedEv', { name, cause: 1 });
      push('CiscoTermOutOfServiceEv', { name, cause: 1008 });
    } else if (old.restricted && !now.restricted) {
      push('CiscoTermActivatedEv', { name });
      if (now.inService) push('CiscoTermInServiceEv', { name });
    }
  }
  for (const [name, now] of after.terminals) {
    if (!before.terminals.has(name)) push('CiscoTermCreatedEv', { terminal: now, ...causeOn([name]) });
  }
  for (const [dn, old] of before.addresses) {
    const now = after.addresses.get(dn);
    if (now === undefined) {
      if (!old.restricted) lostAddresses.push(dn);
      push('CiscoAddrRemovedEv', { name: dn, ...causeOn(appearances(old)) });
      continue;
    }
    if (!old.restricted && now.restricted) {
      lostAddresses.push(dn);
      push('CiscoAddrRestrictedEv', { name: dn });
    } else if (old.restricted && !now.restricted) {
      push('CiscoAddrActivatedEv', { name: dn });
    }
    const oldOn = new Map(old.terminals.map((t) => [t.terminal, t]));
    const nowOn = new Map(now.terminals.map((t) => [t.terminal, t]));
    for (const [terminal, appearance] of oldOn) {
      const current = nowOn.get(terminal);
      if (current === undefined)
        push('CiscoAddrRemovedFromTerminalEv', { address: dn, terminal, ...causeOn([terminal]) });
      else if (old.restricted === now.restricted && !appearance.restricted && current.restricted)
        push('CiscoAddrRestrictedOnTerminalEv', { name: dn, terminal });
      else if (old.restricted === now.restricted && appearance.restricted && !current.restricted)
        push('CiscoAddrActivatedOnTerminalEv', { name: dn, terminal });
    }
    for (const terminal of nowOn.keys()) {
      if (!oldOn.has(terminal)) push('CiscoAddrAddedToTerminalEv', { address: dn, terminal, ...causeOn([terminal]) });
    }
  }
  for (const [dn, now] of after.addresses) {
    if (!before.addresses.has(dn)) push('CiscoAddrCreatedEv', { address: now, ...causeOn(appearances(now)) });
  }
  return { events, lostTerminals, lostAddresses };
}

function eventIdOf(type: EventBody['type']): number {
  return EventId[type];
}
