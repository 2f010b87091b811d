import type { ForwardTarget, LineForwarding } from './schema.js';

/** The whole configuration as plain objects: what the engine and the registrar serve from. */
export interface ConfigSnapshot {
  version: number;
  settings: { sipRealm: string; voicemailPilot: string | undefined };
  devices: DeviceConfig[];
  lines: LineConfig[];
  endUsers: EndUserConfig[];
  applicationUsers: ApplicationUserConfig[];
  groups: AccessControlGroup[];
}

export type DeviceType = 'sip-phone' | 'cti-route-point' | 'cti-port';

export interface DeviceConfig {
  name: string;
  type: DeviceType;
  description: string | undefined;
  allowCtiControl: boolean;
  /** Directory numbers in line-index order (index 1 first). */
  lines: string[];
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
}

export interface EndUserConfig {
  userId: string;
  displayName: string | undefined;
  passwordHash: string | undefined;
  pinHash: string | undefined;
  devices: string[];
  primaryExtension: string | undefined;
  groups: string[];
}

export interface ApplicationUserConfig {
  userId: string;
  passwordHash: string | undefined;
  devices: string[];
  groups: string[];
}

export interface AccessControlGroup {
  name: string;
  builtIn: boolean;
  description: string;
}

export type { ForwardTarget, LineForwarding };
