import type { ErrorCode } from '../../core/index.js';
import type { CtiUser } from './cti-configuration.js';

/**
 * The five places where CUCM keeps CTI access (domain reference §3.2–3.4): the user's access
 * control groups (their roles), the user's controlled devices (device association, with the
 * Extension Mobility profiles it may control), the device's "Allow Control of Device from CTI", the
 * line's "Allow Control of Device from CTI", and the end user's Extension Mobility "Allow Control of
 * Device from CTI".
 */
export const CtiSetting = {
  AccessControlGroup: 'access-control-group',
  ControlledDevice: 'controlled-device',
  DeviceCtiFlag: 'device-cti-flag',
  LineCtiFlag: 'line-cti-flag',
  ExtensionMobilityFlag: 'extension-mobility-flag',
} as const;

export type CtiSetting = (typeof CtiSetting)[keyof typeof CtiSetting];

/**
 * What a setting did to the answer: `grants` puts the device in reach (or enables a feature);
 * `required` is a precondition that holds and must keep holding; `blocks` denies; `no-effect` is set
 * (or unset) without changing anything here.
 */
export type RuleEffect = 'grants' | 'blocks' | 'required' | 'no-effect';

/** One rule that took part in a decision, with a sentence a person reads. */
export interface AccessRule {
  readonly setting: CtiSetting;
  /** Which one: the group's, device's or line's name, or the end user's id. */
  readonly subject: string;
  /** Member, associated, flag on (true) or not (false); null when the setting does not apply at all. */
  readonly value: boolean | null;
  readonly effect: RuleEffect;
  readonly sentence: string;
}

/** The stable codes a CTI request fails with when the permission model refuses it (§2.11). */
export type AccessDeniedCode =
  | typeof ErrorCode.LoginNotAllowed
  | typeof ErrorCode.AccessToDeviceDenied
  | typeof ErrorCode.DeviceRestricted
  | typeof ErrorCode.LineRestricted;

/** "application user ivr", "end user alice": how sentences name a user. */
export function describeUser(user: Pick<CtiUser, 'kind' | 'userId'>): string {
  return `${user.kind === 'end-user' ? 'end user' : 'application user'} ${user.userId}`;
}
