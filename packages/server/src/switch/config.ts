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
    /**
     * Forward on CTI failure (CUCM's CFOF), for CTI route point and CTI port lines only: where the
     * calls not yet connected there go when the application controlling the device fails.
     */
    readonly ctiFailure?: ForwardTarget;
    /** Forward no coverage (CUCM's CFNC): where a hunt pilot using personal preferences sends this line's calls. */
    readonly noCoverage?: ForwardTarget;
  };
  /** Seconds of ringing before forward-no-answer applies. */
  readonly noAnswerSeconds: number;
  /** Calls the line may hold at once; a new outgoing call beyond it is refused. */
  readonly maxCalls: number;
  /** Calls at which a new incoming call is treated as busy. */
  readonly busyTrigger: number;
  /** "Allow control from CTI": off restricts the line for every application (§3.4); on when absent. */
  readonly allowCtiControl?: boolean;
  /** Where this line's "forward to voicemail" goes (its voicemail profile's pilot); the default pilot when absent. */
  readonly voicemailPilot?: string;
  /** The call pickup group the line is in (CUCM's Call Pickup Group). */
  readonly pickupGroup?: string;
}

export type SwitchDeviceType = 'sip-phone' | 'cti-route-point' | 'cti-port';

/**
 * How a phone is asked to answer a call by itself: with RFC 5373 `Answer-Mode: Auto` and
 * `Call-Info: …;answer-after=0` (both), with one of them, or not at all — it rings, and its user answers.
 */
export type AutoAnswerMode = 'both' | 'answer-mode' | 'call-info' | 'off';

export interface SwitchDevice {
  readonly name: string;
  readonly type: SwitchDeviceType;
  /** Directory numbers in button order. */
  readonly lines: readonly string[];
  /** "Allow control of device from CTI": off restricts the device for every application (§3.4); on when absent. */
  readonly allowCtiControl?: boolean;
  /** End users may log in on it with Extension Mobility; off when absent. */
  readonly extensionMobility?: boolean;
  /** How the device is asked to answer by itself (click-to-dial, pickup, unpark); `both` when absent. */
  readonly autoAnswer?: AutoAnswerMode;
}

/** An Extension Mobility device profile: the lines a phone takes on during a login. */
export interface SwitchDeviceProfile {
  readonly name: string;
  /** Directory numbers in button order. */
  readonly lines: readonly string[];
}

/** What Extension Mobility needs of an end user: the profiles they may log in with. */
export interface SwitchMobilityUser {
  readonly userId: string;
  readonly defaultProfile?: string;
  /** Profiles allowed besides the default. */
  readonly profiles: readonly string[];
}

export interface SwitchConfig {
  readonly devices: readonly SwitchDevice[];
  readonly lines: readonly SwitchLine[];
  /** The number "forward to voicemail" reaches; without it such a forward is not taken. */
  readonly voicemailPilot?: string;
  /**
   * The number phones call to start a conference on the server's bridge (a conference factory,
   * RFC 4579): they then bring their other calls in with REFER and Replaces.
   */
  readonly conferenceNumber?: string;
  readonly lineGroups?: readonly SwitchLineGroup[];
  readonly huntLists?: readonly SwitchHuntList[];
  readonly huntPilots?: readonly SwitchHuntPilot[];
  /** Extension Mobility device profiles. */
  readonly deviceProfiles?: readonly SwitchDeviceProfile[];
  /** End users with an Extension Mobility section: only they may log in. */
  readonly mobilityUsers?: readonly SwitchMobilityUser[];
  /** A login ends by itself this long after it began; no limit when absent. */
  readonly maxLoginMinutes?: number;
  /** Call park: the park numbers, and when a parked call rings its parker again. Off when absent. */
  readonly callPark?: { readonly numbers: readonly string[]; readonly reversionSeconds: number };
  /** Numbers that reach a service the server answers itself (Extension Mobility login and logout). */
  readonly featureCodes?: readonly SwitchFeatureCode[];
}

/** A service the server gives a phone that dials its feature code, answering the call itself. */
export type FeatureName = 'extension-mobility-login' | 'extension-mobility-logout';

export interface SwitchFeatureCode {
  /** What the phone dials, e.g. `*70`. */
  readonly code: string;
  readonly feature: FeatureName;
}

/** How a line group picks the members a call is offered to (CUCM's distribution algorithms). */
export type HuntAlgorithm = 'top-down' | 'circular' | 'longest-idle' | 'broadcast';

/**
 * What hunting does when a member does not take the call (CUCM's hunt options, per line group and
 * per way of failing): try the next member and then the next group; the next member but never the
 * next group; skip straight to the next group; or stop hunting.
 */
export type HuntOption = 'try-next-member-then-group' | 'try-next-member' | 'skip-to-next-group' | 'stop';

export interface SwitchLineGroup {
  readonly name: string;
  readonly algorithm: HuntAlgorithm;
  /** Seconds a member rings before the call moves on (CUCM's RNA reversion timeout). */
  readonly rnaTimeoutSeconds: number;
  readonly huntOptions: {
    readonly noAnswer: HuntOption;
    readonly busy: HuntOption;
    /** No device of the member's line is in service. */
    readonly notAvailable: HuntOption;
  };
  /** Member directory numbers, in order. */
  readonly members: readonly string[];
}

export interface SwitchHuntList {
  readonly name: string;
  /** Line groups in the order they are hunted. */
  readonly lineGroups: readonly string[];
}

export interface SwitchHuntPilot {
  /** A number or pattern (X, [ ], !) that reaches the hunt list. */
  readonly pattern: string;
  readonly huntList: string;
  /** Hunting stops after this many seconds whatever the groups' timers (CUCM's maximum hunt timer). */
  readonly maxHuntSeconds: number;
  /** Where a call goes when hunting ends with no member answering; without one it fails. */
  readonly forwardNoAnswer?: ForwardTarget;
  /** Where a call goes when every member tried was busy. */
  readonly forwardBusy?: ForwardTarget;
  /**
   * CUCM's "Use Personal Preferences": when hunting finds nobody, a call that a line forwarded here
   * goes to that line's forward no coverage (before the pilot's own targets).
   */
  readonly usePersonalPreferences?: boolean;
}
