import { ProviderEventCause, TerminalRegistrationReason } from '@strowger/protocol';
import type { LoginOnDevice } from '../permissions/cti-configuration.js';
import type { DomainView } from './domain-view.js';

/** What an Extension Mobility change did to one phone: a user logged in there, or the login ended. */
export interface MobilityChangeOnDevice {
  readonly kind: 'login' | 'logout';
  /** Who is logged in there after the change; null after a logout. */
  readonly userId: string | null;
}

/** The phones whose Extension Mobility login changed, by device name. */
export type MobilityChange = ReadonlyMap<string, MobilityChangeOnDevice>;

/** The phones whose login differs between two lists of logins in force. */
export function mobilityChangeBetween(
  before: readonly LoginOnDevice[],
  after: readonly LoginOnDevice[],
): MobilityChange {
  const was = new Map(before.map((login) => [login.device, login]));
  const now = new Map(after.map((login) => [login.device, login]));
  const change = new Map<string, MobilityChangeOnDevice>();
  for (const device of new Set([...was.keys(), ...now.keys()])) {
    const old = was.get(device);
    const current = now.get(device);
    if (old?.userId === current?.userId && old?.profile === current?.profile) continue;
    change.set(
      device,
      current === undefined ? { kind: 'logout', userId: null } : { kind: 'login', userId: current.userId },
    );
  }
  return change;
}

/**
 * The CiscoProvEv cause of a domain event about a phone (§3.3, the values' meaning inferred from
 * their names): a login that brings the phone into the domain is EM_LOGIN_PROFILE_ADD, a logout that
 * takes it out EM_LOGOUT_PROFILE_REMOVE; a login or logout that only changes the lines of a phone the
 * domain keeps is EM_LOGIN / EM_LOGOUT. Anything not caused by Extension Mobility is NORMAL.
 */
export function domainCauseOf(
  change: MobilityChange | undefined,
  terminals: Iterable<string>,
  before: DomainView,
  after: DomainView,
): number {
  for (const terminal of terminals) {
    const onDevice = change?.get(terminal);
    if (onDevice === undefined) continue;
    if (onDevice.kind === 'login') {
      const entered = !before.terminals.has(terminal) && after.terminals.has(terminal);
      return entered ? ProviderEventCause.CAUSE_EM_LOGIN_PROFILE_ADD : ProviderEventCause.CAUSE_EM_LOGIN;
    }
    const left = before.terminals.has(terminal) && !after.terminals.has(terminal);
    return left ? ProviderEventCause.CAUSE_EM_LOGOUT_PROFILE_REMOVE : ProviderEventCause.CAUSE_EM_LOGOUT;
  }
  return ProviderEventCause.CAUSE_NORMAL;
}

/** CiscoProvTerminalRegisteredEv / UnRegisteredEv's reason for a login or logout (§1.5). */
export function registrationReasonOf(onDevice: MobilityChangeOnDevice): number {
  return onDevice.kind === 'login' ? TerminalRegistrationReason.REASON_LOGIN : TerminalRegistrationReason.REASON_LOGOUT;
}
