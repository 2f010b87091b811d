import type { ForwardTarget, LineForwarding } from './schema.js';

/** The whole configuration as plain objects: what the engine and the registrar serve from. */
export interface ConfigSnapshot {
  version: number;
  settings: {
    sipRealm: string;
    voicemailPilot: string | undefined;
    conferenceNumber: string | undefined;
    /** Extension Mobility logins end by themselves after this many minutes; no limit when undefined. */
    extensionMobilityMaxLoginMinutes?: number | undefined;
    /** What a phone dials to log in with Extension Mobility; the default (`*70`) when undefined. */
    extensionMobilityLoginCode?: string | undefined;
    /** What a phone dials to log out; the default (`*71`) when undefined. */
    extensionMobilityLogoutCode?: string | undefined;
    /** Call park numbers as "first-last" (or one number); park is off when undefined. */
    callParkRange?: string | undefined;
    /** A parked call rings its parker again after this many seconds. */
    callParkReversionSeconds?: number | undefined;
  };
  devices: DeviceConfig[];
  lines: LineConfig[];
  voicemailProfiles: VoicemailProfileConfig[];
  lineGroups: LineGroupConfig[];
  huntLists: HuntListConfig[];
  huntPilots: HuntPilotConfig[];
  /** Extension Mobility device profiles. */
  deviceProfiles: DeviceProfileConfig[];
  endUsers: EndUserConfig[];
  applicationUsers: ApplicationUserConfig[];
  groups: AccessControlGroup[];
}

export type DeviceType = 'sip-phone' | 'cti-route-point' | 'cti-port';

/**
 * How the server asks a phone to answer a call by itself: with RFC 5373 `Answer-Mode: Auto` and
 * `Call-Info: …;answer-after=0` (both, the default), with one of them, or not at all (it rings).
 */
export type AutoAnswerMode = 'both' | 'answer-mode' | 'call-info' | 'off';

export interface DeviceConfig {
  name: string;
  type: DeviceType;
  description: string | undefined;
  allowCtiControl: boolean;
  /** Directory numbers in line-index order (index 1 first). */
  lines: string[];
  /** End users may log in on it with Extension Mobility; off when undefined. */
  extensionMobility?: boolean;
  /** How the server asks the phone to answer by itself (click-to-dial, pickup, unpark); `both` when absent. */
  autoAnswer?: AutoAnswerMode;
  sip: { username: string; ha1: { realm: string; md5: string; sha256: string } } | undefined;
}

export interface LineConfig {
  dn: string;
  description: string | undefined;
  allowCtiControl: boolean;
  forward: LineForwarding;
  noAnswerSeconds: number;
  maxCalls: number;
  busyTrigger: number;
  /** Whose pilot this line's "forward to voicemail" reaches; the default pilot when undefined. */
  voicemailProfile: string | undefined;
  /** The call pickup group the line is in: its members may pick up each other's ringing calls. */
  pickupGroup?: string | undefined;
}

export interface VoicemailProfileConfig {
  name: string;
  description: string | undefined;
  /** The number the voicemail system answers for lines of this profile. */
  pilot: string;
}

export type HuntAlgorithm = 'top-down' | 'circular' | 'longest-idle' | 'broadcast';
export type HuntOption = 'try-next-member-then-group' | 'try-next-member' | 'skip-to-next-group' | 'stop';

export interface LineGroupConfig {
  name: string;
  description: string | undefined;
  algorithm: HuntAlgorithm;
  rnaTimeoutSeconds: number;
  huntOptions: { noAnswer: HuntOption; busy: HuntOption; notAvailable: HuntOption };
  /** Member directory numbers in hunting order. */
  members: string[];
}

export interface HuntListConfig {
  name: string;
  description: string | undefined;
  /** Line group names in hunting order. */
  lineGroups: string[];
}

export interface HuntPilotConfig {
  pattern: string;
  description: string | undefined;
  huntList: string;
  maxHuntSeconds: number;
  forwardNoAnswer: ForwardTarget | undefined;
  forwardBusy: ForwardTarget | undefined;
  /** Hunting over with nobody answering: the call goes to the forward no coverage of the line that forwarded it here. */
  usePersonalPreferences: boolean;
}

export interface EndUserConfig {
  userId: string;
  displayName: string | undefined;
  passwordHash: string | undefined;
  pinHash: string | undefined;
  devices: string[];
  primaryExtension: string | undefined;
  groups: string[];
  /** The end user's Extension Mobility section; none when undefined. */
  extensionMobility?: EndUserMobilityConfig;
  /** Device profiles whose logins put the phone in this user's CTI domain (§3.3). */
  ctiControlledProfiles?: string[];
}

export interface EndUserMobilityConfig {
  defaultProfile: string | undefined;
  /** Profiles the user may log in with besides the default, in name order. */
  profiles: string[];
  /** "Allow Control of Device from CTI" in the user's Extension Mobility section. */
  allowCtiControl: boolean;
}

/** An Extension Mobility device profile: the lines a phone takes on while a user is logged in with it. */
export interface DeviceProfileConfig {
  name: string;
  description: string | undefined;
  /** Stands in for the phone's own "Allow Control of Device from CTI" during a login (§3.4). */
  allowCtiControl: boolean;
  /** Directory numbers in line-index order (index 1 first). */
  lines: string[];
}

export interface ApplicationUserConfig {
  userId: string;
  passwordHash: string | undefined;
  devices: string[];
  groups: string[];
  /** Device profiles whose logins put the phone in this user's CTI domain (§3.3). */
  ctiControlledProfiles?: string[];
}

export interface AccessControlGroup {
  name: string;
  builtIn: boolean;
  description: string;
}

export type { ForwardTarget, LineForwarding };
