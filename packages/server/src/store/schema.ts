import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';

/**
 * The configuration model of DESIGN.md, named as CUCM names it. Objects are keyed by their
 * administrative names (device name, directory number, user id), which are what the YAML file, the
 * REST API and the CTI protocol use; links cascade when an object is removed.
 */

/** One row: system-wide settings and the configuration version every committed change bumps. */
export const settings = pgTable(
  'settings',
  {
    id: integer('id').primaryKey().default(1),
    sipRealm: text('sip_realm').notNull().default('strowger'),
    /** The number "forward to voicemail" reaches; null when there is no voicemail. */
    voicemailPilot: text('voicemail_pilot'),
    /** The number phones call to start a conference on the server's bridge; null when there is none. */
    conferenceNumber: text('conference_number'),
    /** Extension Mobility logins end by themselves after this many minutes; null for no limit. */
    emMaxLoginMinutes: integer('em_max_login_minutes'),
    /** The Extension Mobility login and logout feature codes; null for the defaults (*70, *71). */
    emLoginCode: text('em_login_code'),
    emLogoutCode: text('em_logout_code'),
    /** Call park numbers, "first-last" (CUCM's Call Park Number/Range); null when park is off. */
    callParkRange: text('call_park_range'),
    /** A parked call rings its parker again after this many seconds (CUCM's Call Park Reversion Timer). */
    callParkReversionSeconds: integer('call_park_reversion_seconds').notNull().default(60),
    configVersion: bigint('config_version', { mode: 'number' }).notNull().default(0),
  },
  (t) => [check('settings_single_row', sql`${t.id} = 1`)],
);

export const devices = pgTable(
  'devices',
  {
    name: text('name').primaryKey(),
    type: text('type').notNull(),
    description: text('description'),
    allowCtiControl: boolean('allow_cti_control').notNull().default(true),
    /** End users may log in on it with Extension Mobility (CUCM's default: not enabled). */
    extensionMobility: boolean('extension_mobility').notNull().default(false),
    /** How the server asks this phone to answer by itself: both headers, one of them, or not at all. */
    autoAnswer: text('auto_answer').notNull().default('both'),
    sipUsername: text('sip_username').unique(),
    /** HA1 digests (RFC 7616 §3.4.2) and the realm they were made for; never a clear password. */
    sipHa1Realm: text('sip_ha1_realm'),
    sipHa1Md5: text('sip_ha1_md5'),
    sipHa1Sha256: text('sip_ha1_sha256'),
  },
  (t) => [check('devices_type', sql`${t.type} in ('sip-phone', 'cti-route-point', 'cti-port')`)],
);

/** A call-forward target: a number, or the line's voicemail. */
export type ForwardTarget = { destination: string } | { voicemail: true };
export interface LineForwarding {
  all?: ForwardTarget;
  busy?: ForwardTarget;
  noAnswer?: ForwardTarget;
  unregistered?: ForwardTarget;
  /** Forward on CTI failure: CTI route point and port lines only. */
  ctiFailure?: ForwardTarget;
  /** Forward no coverage: where a hunt pilot this line forwarded to sends the call when hunting finds nobody. */
  noCoverage?: ForwardTarget;
}

export const lines = pgTable(
  'lines',
  {
    dn: text('dn').primaryKey(),
    description: text('description'),
    allowCtiControl: boolean('allow_cti_control').notNull().default(true),
    forward: jsonb('forward').$type<LineForwarding>().notNull().default({}),
    noAnswerSeconds: integer('no_answer_seconds').notNull().default(12),
    maxCalls: integer('max_calls').notNull().default(2),
    busyTrigger: integer('busy_trigger').notNull().default(1),
    /** A voicemail profile's name; checked when the configuration is applied. */
    voicemailProfile: text('voicemail_profile'),
    /** CUCM's Call Pickup Group: the lines of one group may pick up each other's ringing calls. */
    pickupGroup: text('pickup_group'),
  },
  (t) => [
    check('lines_no_answer_seconds', sql`${t.noAnswerSeconds} between 1 and 300`),
    check('lines_calls', sql`${t.busyTrigger} between 1 and ${t.maxCalls}`),
  ],
);

export const deviceLines = pgTable(
  'device_lines',
  {
    deviceName: text('device_name')
      .notNull()
      .references(() => devices.name, { onDelete: 'cascade', onUpdate: 'cascade' }),
    dn: text('dn')
      .notNull()
      .references(() => lines.dn, { onDelete: 'cascade', onUpdate: 'cascade' }),
    lineIndex: integer('line_index').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.deviceName, t.lineIndex] }),
    unique('device_lines_device_dn').on(t.deviceName, t.dn),
    check('device_lines_index', sql`${t.lineIndex} >= 1`),
  ],
);

/** Extension Mobility device profiles (domain reference §3.3–3.5). */
export const deviceProfiles = pgTable('device_profiles', {
  name: text('name').primaryKey(),
  description: text('description'),
  allowCtiControl: boolean('allow_cti_control').notNull().default(true),
});

export const deviceProfileLines = pgTable(
  'device_profile_lines',
  {
    profileName: text('profile_name')
      .notNull()
      .references(() => deviceProfiles.name, { onDelete: 'cascade', onUpdate: 'cascade' }),
    dn: text('dn')
      .notNull()
      .references(() => lines.dn, { onDelete: 'cascade', onUpdate: 'cascade' }),
    lineIndex: integer('line_index').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.profileName, t.lineIndex] }),
    unique('device_profile_lines_profile_dn').on(t.profileName, t.dn),
    check('device_profile_lines_index', sql`${t.lineIndex} >= 1`),
  ],
);

export const endUsers = pgTable('end_users', {
  userId: text('user_id').primaryKey(),
  displayName: text('display_name'),
  passwordHash: text('password_hash'),
  pinHash: text('pin_hash'),
  primaryExtension: text('primary_extension').references(() => lines.dn, { onDelete: 'set null', onUpdate: 'cascade' }),
  /** True when the user has an Extension Mobility section at all (a default profile may still be unset). */
  emEnabled: boolean('em_enabled').notNull().default(false),
  emDefaultProfile: text('em_default_profile').references(() => deviceProfiles.name, {
    onDelete: 'set null',
    onUpdate: 'cascade',
  }),
  /** "Allow Control of Device from CTI" in the user's Extension Mobility section. */
  emAllowCtiControl: boolean('em_allow_cti_control').notNull().default(true),
});

/** Which profile lists a user is on: the profiles an end user may log in with, and CTI-controlled ones. */
const userProfileLink = (name: string, users: () => typeof endUsers.userId | typeof applicationUsers.userId) =>
  pgTable(
    name,
    {
      userId: text('user_id').notNull().references(users, { onDelete: 'cascade', onUpdate: 'cascade' }),
      profileName: text('profile_name')
        .notNull()
        .references(() => deviceProfiles.name, { onDelete: 'cascade', onUpdate: 'cascade' }),
    },
    (t) => [primaryKey({ columns: [t.userId, t.profileName] })],
  );

export const endUserProfiles = userProfileLink('end_user_profiles', () => endUsers.userId);
export const endUserCtiProfiles = userProfileLink('end_user_cti_profiles', () => endUsers.userId);

export const applicationUsers = pgTable('application_users', {
  userId: text('user_id').primaryKey(),
  passwordHash: text('password_hash'),
});

export const applicationUserCtiProfiles = userProfileLink(
  'application_user_cti_profiles',
  () => applicationUsers.userId,
);

/**
 * Extension Mobility logins in force, one per device. Kept in the store, as CUCM keeps them in its
 * database, so a restart leaves users logged in where they were; the maximum login time still ends
 * them when it runs out. Not configuration: never exported or applied.
 */
export const extensionMobilityLogins = pgTable('extension_mobility_logins', {
  deviceName: text('device_name')
    .primaryKey()
    .references(() => devices.name, { onDelete: 'cascade', onUpdate: 'cascade' }),
  userId: text('user_id')
    .notNull()
    .references(() => endUsers.userId, { onDelete: 'cascade', onUpdate: 'cascade' }),
  profileName: text('profile_name')
    .notNull()
    .references(() => deviceProfiles.name, { onDelete: 'cascade', onUpdate: 'cascade' }),
  loggedInAt: timestamp('logged_in_at', { withTimezone: true, mode: 'date' }).notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
});

export const accessControlGroups = pgTable('access_control_groups', {
  name: text('name').primaryKey(),
  builtIn: boolean('built_in').notNull().default(false),
  description: text('description').notNull().default(''),
});

export const endUserDevices = pgTable(
  'end_user_devices',
  {
    userId: text('user_id')
      .notNull()
      .references(() => endUsers.userId, { onDelete: 'cascade', onUpdate: 'cascade' }),
    deviceName: text('device_name')
      .notNull()
      .references(() => devices.name, { onDelete: 'cascade', onUpdate: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.deviceName] })],
);

export const applicationUserDevices = pgTable(
  'application_user_devices',
  {
    userId: text('user_id')
      .notNull()
      .references(() => applicationUsers.userId, { onDelete: 'cascade', onUpdate: 'cascade' }),
    deviceName: text('device_name')
      .notNull()
      .references(() => devices.name, { onDelete: 'cascade', onUpdate: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.deviceName] })],
);

export const endUserGroups = pgTable(
  'end_user_groups',
  {
    userId: text('user_id')
      .notNull()
      .references(() => endUsers.userId, { onDelete: 'cascade', onUpdate: 'cascade' }),
    groupName: text('group_name')
      .notNull()
      .references(() => accessControlGroups.name, { onDelete: 'cascade', onUpdate: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.groupName] })],
);

export const applicationUserGroups = pgTable(
  'application_user_groups',
  {
    userId: text('user_id')
      .notNull()
      .references(() => applicationUsers.userId, { onDelete: 'cascade', onUpdate: 'cascade' }),
    groupName: text('group_name')
      .notNull()
      .references(() => accessControlGroups.name, { onDelete: 'cascade', onUpdate: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.groupName] })],
);

/** Voicemail profiles: which voicemail pilot a line's "forward to voicemail" reaches. */
export const voicemailProfiles = pgTable('voicemail_profiles', {
  name: text('name').primaryKey(),
  description: text('description'),
  pilot: text('pilot').notNull(),
});

/** Hunting (domain reference §4): line groups of member lines, hunt lists of line groups, pilots. */
export const lineGroups = pgTable(
  'line_groups',
  {
    name: text('name').primaryKey(),
    description: text('description'),
    algorithm: text('algorithm').notNull().default('longest-idle'),
    rnaTimeoutSeconds: integer('rna_timeout_seconds').notNull().default(10),
    huntNoAnswer: text('hunt_no_answer').notNull().default('try-next-member-then-group'),
    huntBusy: text('hunt_busy').notNull().default('try-next-member-then-group'),
    huntNotAvailable: text('hunt_not_available').notNull().default('try-next-member-then-group'),
  },
  (t) => [
    check('line_groups_algorithm', sql`${t.algorithm} in ('top-down', 'circular', 'longest-idle', 'broadcast')`),
    check('line_groups_rna_timeout', sql`${t.rnaTimeoutSeconds} between 1 and 300`),
    check(
      'line_groups_hunt_options',
      sql`${t.huntNoAnswer} in ('try-next-member-then-group', 'try-next-member', 'skip-to-next-group', 'stop') and ${t.huntBusy} in ('try-next-member-then-group', 'try-next-member', 'skip-to-next-group', 'stop') and ${t.huntNotAvailable} in ('try-next-member-then-group', 'try-next-member', 'skip-to-next-group', 'stop')`,
    ),
  ],
);

export const lineGroupMembers = pgTable(
  'line_group_members',
  {
    lineGroup: text('line_group')
      .notNull()
      .references(() => lineGroups.name, { onDelete: 'cascade', onUpdate: 'cascade' }),
    dn: text('dn')
      .notNull()
      .references(() => lines.dn, { onDelete: 'cascade', onUpdate: 'cascade' }),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.lineGroup, t.position] }), unique('line_group_members_dn').on(t.lineGroup, t.dn)],
);

export const huntLists = pgTable('hunt_lists', {
  name: text('name').primaryKey(),
  description: text('description'),
});

export const huntListGroups = pgTable(
  'hunt_list_groups',
  {
    huntList: text('hunt_list')
      .notNull()
      .references(() => huntLists.name, { onDelete: 'cascade', onUpdate: 'cascade' }),
    lineGroup: text('line_group')
      .notNull()
      .references(() => lineGroups.name, { onDelete: 'cascade', onUpdate: 'cascade' }),
    position: integer('position').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.huntList, t.position] }),
    unique('hunt_list_groups_group').on(t.huntList, t.lineGroup),
  ],
);

export const huntPilots = pgTable(
  'hunt_pilots',
  {
    pattern: text('pattern').primaryKey(),
    description: text('description'),
    /** A pilot without its hunt list would route nowhere: the list cannot be removed under it. */
    huntList: text('hunt_list')
      .notNull()
      .references(() => huntLists.name, { onUpdate: 'cascade' }),
    maxHuntSeconds: integer('max_hunt_seconds').notNull().default(1800),
    forwardNoAnswer: jsonb('forward_no_answer').$type<ForwardTarget>(),
    forwardBusy: jsonb('forward_busy').$type<ForwardTarget>(),
    /** CUCM's "Use Personal Preferences": hunting over, the call goes to the forwarding line's forward no coverage. */
    usePersonalPreferences: boolean('use_personal_preferences').notNull().default(false),
  },
  (t) => [check('hunt_pilots_max_hunt', sql`${t.maxHuntSeconds} between 1 and 3600`)],
);

/**
 * Call detail records: one row per call, written when the call ends. Not configuration: they are
 * appended, never applied or exported with the YAML file.
 */
export const callRecords = pgTable(
  'call_records',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    callId: text('call_id').notNull(),
    callingNumber: text('calling_number').notNull(),
    callingDevice: text('calling_device'),
    dialledNumber: text('dialled_number').notNull(),
    originalCalledNumber: text('original_called_number').notNull(),
    finalCalledNumber: text('final_called_number').notNull(),
    calledDevice: text('called_device'),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true, mode: 'date' }),
    endedAt: timestamp('ended_at', { withTimezone: true, mode: 'date' }).notNull(),
    causeReason: text('cause_reason').notNull(),
    causeQ850: integer('cause_q850').notNull(),
    causeSipStatus: integer('cause_sip_status').notNull(),
    releasedBy: text('released_by').notNull(),
    redirections: jsonb('redirections').$type<Array<{ from: string; to: string; reason: string }>>().notNull(),
  },
  (t) => [index('call_records_ended_at').on(t.endedAt)],
);

/**
 * SIP registration bindings (RFC 3261 §10.3), kept so a restarted server can still reach the phones
 * that registered before it, as Kamailio's usrloc and Asterisk keep theirs. Not configuration: the
 * registrar writes them behind the REGISTERs, and only unexpired ones are read back at start.
 */
export const registrationBindings = pgTable(
  'registration_bindings',
  {
    deviceName: text('device_name').notNull(),
    contact: text('contact').notNull(),
    callId: text('call_id').notNull(),
    cseq: bigint('cseq', { mode: 'number' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    userAgent: text('user_agent'),
    /** Where the REGISTER came from: requests to the phone go back there. */
    sourceProtocol: text('source_protocol').notNull(),
    sourceAddress: text('source_address').notNull(),
    sourcePort: integer('source_port').notNull(),
    /** Our address the REGISTER reached; calls to the phone leave from it (a multi-homed server). */
    localAddress: text('local_address'),
    /** The Contact's q-value, 0–1, when the phone gave one. */
    q: doublePrecision('q'),
  },
  (t) => [
    primaryKey({ columns: [t.deviceName, t.contact] }),
    index('registration_bindings_expires_at').on(t.expiresAt),
  ],
);

/**
 * Administrators of the HTTP API and the web UI: not telephony users (those sign in over CTI), but
 * the people who configure the system, each with a role. Passwords are salted scrypt hashes.
 */
export const adminAccounts = pgTable(
  'admin_accounts',
  {
    username: text('username').primaryKey(),
    passwordHash: text('password_hash').notNull(),
    /** `admin` may change everything; `read-only` may read everything but secrets. */
    role: text('role').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [check('admin_accounts_role', sql`${t.role} in ('admin', 'read-only')`)],
);

/**
 * Bearer tokens for scripts. Only a SHA-256 of each token is kept: a token is 32 random bytes, so a
 * slow hash adds nothing, and a stolen table grants nothing.
 */
export const adminTokens = pgTable('admin_tokens', {
  id: text('id').primaryKey(),
  username: text('username')
    .notNull()
    .references(() => adminAccounts.username, { onDelete: 'cascade', onUpdate: 'cascade' }),
  tokenHash: text('token_hash').notNull().unique(),
  description: text('description').notNull().default(''),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/**
 * Every change to the configuration and to the admin accounts: who made it, when, to what, and the
 * object before and after (secrets left out). Appended in the transaction that makes the change.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    resource: text('resource').notNull(),
    key: text('key').notNull(),
    before: jsonb('before').$type<Record<string, unknown>>(),
    after: jsonb('after').$type<Record<string, unknown>>(),
    /** What the before and after cannot show, e.g. "password changed". */
    note: text('note'),
  },
  (t) => [
    index('audit_log_at').on(t.at),
    check('audit_log_action', sql`${t.action} in ('create', 'update', 'delete')`),
  ],
);
