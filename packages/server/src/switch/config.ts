/**
 * The configuration the engine routes with: its own small view of devices and lines, which the
 * composition root builds from the store. The engine never reads the store itself.
 */

export type ForwardTarget = { readonly destination: string } | { readonly voicemail: true };

export interface SwitchLine {
  readonly dn: string;
  readonly forward: {
    readonly all?: ForwardTarget;
    readonly busy?: ForwardTarget;
    readonly noAnswer?: ForwardTarget;
    readonly unregistered?: ForwardTarget;
  };
  /** Seconds of ringing before forward-no-answer applies. */
  readonly noAnswerSeconds: number;
  /** Calls the line may hold at once; a new outgoing call beyond it is refused. */
  readonly maxCalls: number;
  /** Calls at which a new incoming call is treated as busy. */
  readonly busyTrigger: number;
}

export type SwitchDeviceType = 'sip-phone' | 'cti-route-point' | 'cti-port';

export interface SwitchDevice {
  readonly name: string;
  readonly type: SwitchDeviceType;
  /** Directory numbers in button order. */
  readonly lines: readonly string[];
}

export interface SwitchConfig {
  readonly devices: readonly SwitchDevice[];
  readonly lines: readonly SwitchLine[];
  /** The number "forward to voicemail" reaches; without it such a forward is not taken. */
  readonly voicemailPilot?: string;
}
