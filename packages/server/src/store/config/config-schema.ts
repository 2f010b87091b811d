import { Type, type Static } from '@sinclair/typebox';

/**
 * The declarative configuration file's shape — the one schema that validates YAML files and, later,
 * the REST API's bodies. Unknown keys are errors, so a typo never passes silently.
 */
const strict = { additionalProperties: false } as const;

export const DeviceName = Type.String({
  pattern: '^[A-Za-z0-9_.-]{1,50}$',
  description: 'Letters, digits, "_", "-" and "." — at most 50 characters (CUCM device names).',
});
export const DirectoryNumber = Type.String({
  // Digits and *#+, X for any digit, [1-5] or [147] for a set, and ! (one or more digits) only last.
  pattern: '^(?=.{1,32}$)(?:[0-9*#+X]|\\[(?:[0-9](?:-[0-9])?)+\\])*!?$',
  description:
    'Digits, "*", "#", "+"; a pattern may use X (any digit), [1-5] or [147] (one digit of a set) and a final ! (one or more digits).',
});
export const ObjectName = Type.String({
  pattern: '^[A-Za-z0-9_. -]{1,50}$',
  description: 'Letters, digits, space, "_", "-" and "." — at most 50 characters.',
});
export const UserId = Type.String({
  pattern: '^[A-Za-z0-9_.@-]{1,64}$',
  description: 'A user id: letters, digits, "_", ".", "@", "-".',
});
const Password = Type.String({ minLength: 1, maxLength: 256 });
// Every string has a bound, so no value in a file can be larger than its purpose needs.
const PasswordHash = Type.String({ minLength: 1, maxLength: 512 });
const GroupName = Type.String({ minLength: 1, maxLength: 100 });
const Hex = (length: number) => Type.String({ pattern: `^[0-9a-f]{${length}}$` });

export const ForwardTargetSchema = Type.Union(
  [Type.Object({ destination: DirectoryNumber }, strict), Type.Object({ voicemail: Type.Literal(true) }, strict)],
  // The parser recognises a forward target by this description (TypeBox copies schemas it nests).
  { description: 'A forward target: { destination: "<number>" } or { voicemail: true }.' },
);

export const LineSchema = Type.Object(
  {
    dn: DirectoryNumber,
    description: Type.Optional(Type.String({ maxLength: 200 })),
    allowCtiControl: Type.Optional(Type.Boolean()),
    forward: Type.Optional(
      Type.Object(
        {
          all: Type.Optional(ForwardTargetSchema),
          busy: Type.Optional(ForwardTargetSchema),
          noAnswer: Type.Optional(ForwardTargetSchema),
          unregistered: Type.Optional(ForwardTargetSchema),
          // Forward on CTI failure (CUCM CFOF): CTI route point and CTI port lines only.
          ctiFailure: Type.Optional(ForwardTargetSchema),
          // Forward no coverage (CUCM CFNC): used by hunt pilots set to "use personal preferences".
          noCoverage: Type.Optional(ForwardTargetSchema),
          noAnswerSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 300 })),
        },
        strict,
      ),
    ),
    maxCalls: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 10_000,
        description:
          'Calls the line may hold at once: up to 200 on a phone or CTI port (default 2), up to 10,000 on a CTI route point (default 5,000)',
      }),
    ),
    busyTrigger: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 10_000,
        description: 'Calls at which the next incoming call is busy: default 1, on a CTI route point 4,500',
      }),
    ),
    voicemailProfile: Type.Optional(ObjectName),
    pickupGroup: Type.Optional(
      Type.String({
        pattern: ObjectName.pattern,
        description:
          'CUCM’s Call Pickup Group: a name; the lines with the same one may pick up each other’s ringing calls',
      }),
    ),
  },
  strict,
);

export const VoicemailProfileSchema = Type.Object(
  {
    name: ObjectName,
    description: Type.Optional(Type.String({ maxLength: 200 })),
    pilot: DirectoryNumber,
  },
  strict,
);

export const SipCredentialsSchema = Type.Object(
  {
    username: Type.String({ pattern: "^[A-Za-z0-9_.!~*'()&=+$,;?/-]{1,64}$" }),
    password: Type.Optional(Password),
    ha1: Type.Optional(
      Type.Object({ realm: Type.String({ minLength: 1, maxLength: 100 }), md5: Hex(32), sha256: Hex(64) }, strict),
    ),
  },
  strict,
);

export const DeviceSchema = Type.Object(
  {
    name: DeviceName,
    type: Type.Union([Type.Literal('sip-phone'), Type.Literal('cti-route-point'), Type.Literal('cti-port')]),
    description: Type.Optional(Type.String({ maxLength: 200 })),
    allowCtiControl: Type.Optional(Type.Boolean()),
    /** Whether end users may log in on this phone with Extension Mobility (off when absent, as in CUCM). */
    extensionMobility: Type.Optional(Type.Boolean()),
    autoAnswer: Type.Optional(
      Type.Union([Type.Literal('both'), Type.Literal('answer-mode'), Type.Literal('call-info'), Type.Literal('off')], {
        description:
          'How the server asks this phone to answer by itself (click-to-dial, pickup, unpark): both RFC 5373 Answer-Mode: Auto and Call-Info answer-after=0 (default), one of them, or off (it rings)',
      }),
    ),
    lines: Type.Optional(Type.Array(DirectoryNumber, { maxItems: 64 })),
    sip: Type.Optional(SipCredentialsSchema),
  },
  strict,
);

export const ProfileName = Type.String({
  pattern: '^[A-Za-z0-9_.-]{1,50}$',
  description: 'A device profile name: letters, digits, "_", "-" and "." — at most 50 characters.',
});

/**
 * An Extension Mobility device profile (domain reference §3.3–3.5): the lines a phone takes on while
 * an end user is logged in on it with this profile, and the profile's "Allow Control of Device from
 * CTI", which stands in for the phone's own flag during the login.
 */
export const DeviceProfileSchema = Type.Object(
  {
    name: ProfileName,
    description: Type.Optional(Type.String({ maxLength: 200 })),
    allowCtiControl: Type.Optional(Type.Boolean()),
    lines: Type.Array(DirectoryNumber, { minItems: 1, maxItems: 64, uniqueItems: true }),
  },
  strict,
);

/** An end user's Extension Mobility section: the profiles they may log in with, and its CTI flag. */
export const EndUserMobilitySchema = Type.Object(
  {
    defaultProfile: Type.Optional(ProfileName),
    /** Further profiles the user may choose at login (CUCM's "Controlled Profiles"); the default is always allowed. */
    profiles: Type.Optional(Type.Array(ProfileName, { maxItems: 100, uniqueItems: true })),
    /** "Allow Control of Device from CTI" in the end user's Extension Mobility section; on when absent. */
    allowCtiControl: Type.Optional(Type.Boolean()),
  },
  strict,
);

const HuntOptionSchema = Type.Union(
  [
    Type.Literal('try-next-member-then-group'),
    Type.Literal('try-next-member'),
    Type.Literal('skip-to-next-group'),
    Type.Literal('stop'),
  ],
  { description: 'What hunting does when a member fails this way (default try-next-member-then-group).' },
);

export const LineGroupSchema = Type.Object(
  {
    name: ObjectName,
    description: Type.Optional(Type.String({ maxLength: 200 })),
    algorithm: Type.Optional(
      Type.Union(
        [Type.Literal('top-down'), Type.Literal('circular'), Type.Literal('longest-idle'), Type.Literal('broadcast')],
        { description: 'How members are chosen (default longest-idle).' },
      ),
    ),
    rnaTimeoutSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 300 })),
    huntOptions: Type.Optional(
      Type.Object(
        {
          noAnswer: Type.Optional(HuntOptionSchema),
          busy: Type.Optional(HuntOptionSchema),
          notAvailable: Type.Optional(HuntOptionSchema),
        },
        strict,
      ),
    ),
    members: Type.Array(DirectoryNumber, { maxItems: 200, uniqueItems: true }),
  },
  strict,
);

export const HuntListSchema = Type.Object(
  {
    name: ObjectName,
    description: Type.Optional(Type.String({ maxLength: 200 })),
    lineGroups: Type.Array(ObjectName, { maxItems: 50, uniqueItems: true }),
  },
  strict,
);

export const HuntPilotSchema = Type.Object(
  {
    pattern: DirectoryNumber,
    description: Type.Optional(Type.String({ maxLength: 200 })),
    huntList: ObjectName,
    maxHuntSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
    forwardNoAnswer: Type.Optional(ForwardTargetSchema),
    forwardBusy: Type.Optional(ForwardTargetSchema),
    usePersonalPreferences: Type.Optional(
      Type.Boolean({
        description:
          'CUCM’s "Use Personal Preferences": when hunting finds nobody, the call goes to the forward no coverage of the line that forwarded it to the pilot (before forwardNoAnswer/forwardBusy)',
      }),
    ),
  },
  strict,
);

export const EndUserSchema = Type.Object(
  {
    userId: UserId,
    displayName: Type.Optional(Type.String({ maxLength: 200 })),
    password: Type.Optional(Password),
    passwordHash: Type.Optional(PasswordHash),
    pin: Type.Optional(Type.String({ pattern: '^[0-9]{4,20}$' })),
    pinHash: Type.Optional(PasswordHash),
    devices: Type.Optional(Type.Array(DeviceName, { maxItems: 10000 })),
    primaryExtension: Type.Optional(DirectoryNumber),
    groups: Type.Optional(Type.Array(GroupName, { maxItems: 50 })),
    extensionMobility: Type.Optional(EndUserMobilitySchema),
    ctiControlledProfiles: Type.Optional(Type.Array(ProfileName, { maxItems: 10000, uniqueItems: true })),
  },
  strict,
);

export const ApplicationUserSchema = Type.Object(
  {
    userId: UserId,
    password: Type.Optional(Password),
    passwordHash: Type.Optional(PasswordHash),
    devices: Type.Optional(Type.Array(DeviceName, { maxItems: 10000 })),
    groups: Type.Optional(Type.Array(GroupName, { maxItems: 50 })),
    ctiControlledProfiles: Type.Optional(Type.Array(ProfileName, { maxItems: 10000, uniqueItems: true })),
  },
  strict,
);

/** A feature code: what a phone dials to reach a service of the server, keys only (`*70`). */
export const FeatureCode = Type.String({
  pattern: '^[0-9*#]{2,16}$',
  description: 'Keys a phone dials: 2 to 16 of 0-9, * and #',
});

export const SettingsSchema = Type.Object(
  {
    sipRealm: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,100}$' })),
    voicemailPilot: Type.Optional(DirectoryNumber),
    conferenceNumber: Type.Optional(DirectoryNumber),
    /** Extension Mobility logins end by themselves after this many minutes; no limit when absent. */
    extensionMobilityMaxLoginMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 10080 })),
    /** What a phone dials to log in with Extension Mobility (default `*70`). */
    extensionMobilityLoginCode: Type.Optional(FeatureCode),
    /** What a phone dials to log out (default `*71`). */
    extensionMobilityLogoutCode: Type.Optional(FeatureCode),
    callParkRange: Type.Optional(
      Type.String({
        pattern: '^[0-9]{1,20}(-[0-9]{1,20})?$',
        description:
          'Call park numbers (CUCM’s Call Park Number/Range): "7900-7919", or one number; at most 1000, all of one length',
      }),
    ),
    callParkReversionSeconds: Type.Optional(
      Type.Integer({
        minimum: 10,
        maximum: 3600,
        description: 'A parked call rings its parker again after this long (default 60)',
      }),
    ),
  },
  strict,
);

export const ConfigDocumentSchema = Type.Object(
  {
    settings: Type.Optional(SettingsSchema),
    devices: Type.Optional(Type.Array(DeviceSchema)),
    lines: Type.Optional(Type.Array(LineSchema)),
    voicemailProfiles: Type.Optional(Type.Array(VoicemailProfileSchema)),
    lineGroups: Type.Optional(Type.Array(LineGroupSchema)),
    huntLists: Type.Optional(Type.Array(HuntListSchema)),
    huntPilots: Type.Optional(Type.Array(HuntPilotSchema)),
    deviceProfiles: Type.Optional(Type.Array(DeviceProfileSchema)),
    endUsers: Type.Optional(Type.Array(EndUserSchema)),
    applicationUsers: Type.Optional(Type.Array(ApplicationUserSchema)),
  },
  strict,
);

export type ConfigDocument = Static<typeof ConfigDocumentSchema>;
export type SettingsDocument = Static<typeof SettingsSchema>;
export type VoicemailProfileDocument = Static<typeof VoicemailProfileSchema>;
export type DeviceDocument = Static<typeof DeviceSchema>;
export type LineDocument = Static<typeof LineSchema>;
export type LineGroupDocument = Static<typeof LineGroupSchema>;
export type HuntListDocument = Static<typeof HuntListSchema>;
export type HuntPilotDocument = Static<typeof HuntPilotSchema>;
export type EndUserDocument = Static<typeof EndUserSchema>;
export type ApplicationUserDocument = Static<typeof ApplicationUserSchema>;
export type DeviceProfileDocument = Static<typeof DeviceProfileSchema>;
