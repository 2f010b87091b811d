// The admin API's objects as the UI reads them (docs/admin-api.md; the OpenAPI document at
// /api/v1/openapi.json is the reference). The UI is a client of the HTTP API and shares no code with
// the server, so these are written down here, with only the fields the pages use.

export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}

export type DeviceType = 'sip-phone' | 'cti-route-point' | 'cti-port';

export interface Device {
  name: string;
  type: DeviceType;
  description?: string;
  allowCtiControl?: boolean;
  extensionMobility?: boolean;
  autoAnswer?: AutoAnswerMode;
  lines?: string[];
  sip?: { username: string; password?: string };
}

/** How the server asks a phone to answer by itself (click-to-dial, pickup, unpark). */
export type AutoAnswerMode = 'both' | 'answer-mode' | 'call-info' | 'off';

export type ForwardTarget = { destination: string } | { voicemail: true };

export interface Line {
  dn: string;
  description?: string;
  allowCtiControl?: boolean;
  forward?: {
    all?: ForwardTarget;
    busy?: ForwardTarget;
    noAnswer?: ForwardTarget;
    unregistered?: ForwardTarget;
    ctiFailure?: ForwardTarget;
    noCoverage?: ForwardTarget;
    noAnswerSeconds?: number;
  };
  maxCalls?: number;
  busyTrigger?: number;
  voicemailProfile?: string;
  pickupGroup?: string;
}

export interface EndUser {
  userId: string;
  displayName?: string;
  password?: string;
  pin?: string;
  devices?: string[];
  primaryExtension?: string;
  groups?: string[];
}

export interface ApplicationUser {
  userId: string;
  password?: string;
  devices?: string[];
  groups?: string[];
}

export interface AccessControlGroup {
  name: string;
  builtIn: boolean;
  description: string;
  roles: string[];
  endUsers: string[];
  applicationUsers: string[];
}

export interface LineGroup {
  name: string;
  description?: string;
  algorithm?: 'top-down' | 'circular' | 'longest-idle' | 'broadcast';
  rnaTimeoutSeconds?: number;
  members: string[];
}

export interface HuntList {
  name: string;
  description?: string;
  lineGroups: string[];
}

export interface HuntPilot {
  pattern: string;
  description?: string;
  huntList: string;
  maxHuntSeconds?: number;
}

export interface VoicemailProfile {
  name: string;
  description?: string;
  pilot: string;
}

export interface Settings {
  sipRealm?: string;
  voicemailPilot?: string;
  conferenceNumber?: string;
  extensionMobilityMaxLoginMinutes?: number;
  extensionMobilityLoginCode?: string;
  extensionMobilityLogoutCode?: string;
  callParkRange?: string;
  callParkReversionSeconds?: number;
}

export interface RegistrationBinding {
  contact: string;
  expiresAt: string;
  expiresInSeconds: number;
  userAgent?: string;
  source: string;
}

/** A device with its live registration state (GET /api/v1/registrations and the live stream). */
export interface DeviceView {
  name: string;
  type: DeviceType;
  description?: string;
  lines: string[];
  allowCtiControl: boolean;
  registration: { state: 'registered' | 'unregistered'; bindings: RegistrationBinding[] };
}

export interface CallView {
  id: string;
  state: string;
  startedAt: string;
  answeredAt?: string;
  dialled: string;
  connections: Array<{
    id: string;
    address: string;
    role: 'originating' | 'terminating';
    state: string;
    terminalConnections: Array<{ id: string; terminal: string; state: string }>;
  }>;
}

export interface CtiProviderView {
  providerId: string;
  userId: string;
  userKind: 'end-user' | 'application-user';
  appInfo: string | null;
  source: string;
  openedAt: string;
  connected: boolean;
  terminals: number;
  restrictedTerminals: number;
  addresses: number;
  restrictedAddresses: number;
  observers: number;
  seq: number;
}

export interface CtiSessions {
  sessions: number;
  providers: number;
  items: CtiProviderView[];
}

export type AccessSetting =
  'access-control-group' | 'controlled-device' | 'device-cti-flag' | 'line-cti-flag' | 'extension-mobility-flag';

export interface AccessRule {
  setting: AccessSetting;
  subject: string;
  value: boolean | null;
  effect: 'grants' | 'blocks' | 'required' | 'no-effect';
  sentence: string;
}

export interface AccessExplanation {
  user: { userId: string; kind: 'end-user' | 'application-user' };
  device: string | null;
  line: string | null;
  observe: boolean;
  control: boolean;
  code: string | null;
  summary: string;
  mayOpenProvider: boolean;
  inDomain: boolean;
  restricted: boolean;
  acquirable: boolean;
  source: string | null;
  decidedBy: AccessRule | null;
  rules: AccessRule[];
  appearances?: Array<{
    device: string;
    observe: boolean;
    control: boolean;
    code: string | null;
    decidedBy: AccessRule;
  }>;
}

export interface SettingAssessment {
  setting: AccessSetting;
  subject: string;
  value: boolean;
  status: 'needed' | 'unneeded' | 'blocking' | 'feature';
  sentence: string;
}

/** The explainer's per-user report: which of the user's CTI settings are needed, and which could go. */
export interface UserAccessReport {
  user: { userId: string; kind: 'end-user' | 'application-user' };
  mayOpenProvider: boolean;
  refusal?: { code: string; reason: string };
  reach: { terminals: number; observableTerminals: number; addresses: number; observableAddresses: number };
  settings: SettingAssessment[];
  needed: SettingAssessment[];
  unneeded: SettingAssessment[];
}

export interface CallRecord {
  callId: string;
  callingNumber: string;
  callingDevice?: string;
  dialledNumber: string;
  originalCalledNumber: string;
  finalCalledNumber: string;
  calledDevice?: string;
  startedAt: string;
  answeredAt?: string;
  endedAt: string;
  cause: { reason: string; q850: number; sipStatus: number };
  releasedBy: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: 'create' | 'update' | 'delete';
  resource: string;
  key: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  note: string | null;
}

export interface CallStatistics {
  bucketSeconds: number;
  concurrentCalls: number;
  items: Array<{
    at: string;
    callsStarted: number;
    callsPerSecond: number;
    concurrentCalls: number;
    failedCalls: number;
  }>;
}

export interface ServerStatus {
  version: string;
  startedAt: string;
  uptimeSeconds: number;
  counts: {
    devices: number;
    registeredDevices: number;
    lines: number;
    calls: number;
    ctiSessions: number;
    ctiProviders: number;
  };
  listening: { sip: string; http: string; cti: string };
}

/** One SIP message the server sent or received (GET /api/v1/sip-trace). */
export interface SipTraceItem {
  seq: number;
  at: string;
  direction: 'received' | 'sent';
  transport: 'udp' | 'tcp';
  local: string;
  remote: string;
  device?: string;
  callId?: string;
  sipCallId: string;
  summary: string;
  message: string;
}

export interface ImportJob {
  state: 'validating' | 'applying' | 'done' | 'failed';
  progress: { done: number; total: number };
  problems: Array<{ row: number; column: string; message: string }>;
  summary?: Record<string, unknown>;
}

export interface Me {
  username: string;
  role: 'admin' | 'read-only';
  via: string;
  csrfToken?: string;
}
