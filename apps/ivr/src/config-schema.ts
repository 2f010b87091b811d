import { Type, type Static } from '@sinclair/typebox';

/**
 * The IVR's YAML configuration, as TypeBox schemas: `loadConfig` validates a file against them and
 * names the key of every problem. docs/ivr.md documents each key.
 */
const strict = { additionalProperties: false } as const;

const Number_ = Type.String({ pattern: '^[0-9*#+]{1,32}$', description: 'a directory number, quoted' });
const Name = Type.String({ pattern: '^[A-Za-z0-9_.-]{1,50}$' });
const Seconds = (defaultValue: number, maximum: number) => Type.Integer({ minimum: 1, maximum, default: defaultValue });

/** What a prompt says: a recorded WAV file, or text spoken by espeak-ng when the IVR starts. */
export const SpokenSchema = Type.Union([
  Type.Object({ text: Type.String({ minLength: 1, maxLength: 2000 }) }, strict),
  Type.Object({ file: Type.String({ minLength: 1 }) }, strict),
]);

/** What one key of a menu does. */
export const MenuActionSchema = Type.Union([
  Type.Object({ menu: Name }, strict),
  Type.Object({ transfer: Number_ }, strict),
  Type.Object({ dialByExtension: Type.Literal(true) }, strict),
  Type.Object({ operator: Type.Literal(true) }, strict),
  Type.Object({ voicemail: Type.Literal(true) }, strict),
  Type.Object({ checkMessages: Type.Literal(true) }, strict),
  Type.Object({ repeat: Type.Literal(true) }, strict),
  Type.Object({ goodbye: Type.Literal(true) }, strict),
]);

export const MenuSchema = Type.Object(
  {
    greeting: SpokenSchema,
    /** Keys 0–9, * and #, each to an action. */
    options: Type.Record(Type.String({ pattern: '^[0-9*#]$' }), MenuActionSchema),
    timeoutSeconds: Seconds(5, 60),
    /** Times the menu is offered again after no key or a wrong one. */
    retries: Type.Integer({ minimum: 0, maximum: 10, default: 2 }),
    /** What happens when the retries are used up: the operator (when one is set) or goodbye. */
    onFailure: Type.Union([Type.Literal('operator'), Type.Literal('goodbye')], { default: 'operator' }),
  },
  strict,
);

const TimeRange = Type.String({
  pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-4]):[0-5][0-9]$',
  description: 'HH:MM-HH:MM',
});
const Day = Type.Array(TimeRange, { maxItems: 8 });

export const BusinessHoursSchema = Type.Object(
  {
    /** An IANA time zone, e.g. Europe/Berlin (default the machine's). */
    timeZone: Type.Optional(Type.String({ minLength: 1 })),
    weekly: Type.Object(
      {
        mon: Type.Optional(Day),
        tue: Type.Optional(Day),
        wed: Type.Optional(Day),
        thu: Type.Optional(Day),
        fri: Type.Optional(Day),
        sat: Type.Optional(Day),
        sun: Type.Optional(Day),
      },
      strict,
    ),
    /** Dates (YYYY-MM-DD) the business is closed all day. */
    holidays: Type.Array(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }), { default: [] }),
  },
  strict,
);

export const AutoAttendantSchema = Type.Object(
  {
    /** The menu callers reach in business hours (or always, without `businessHours`). */
    menu: Name,
    afterHoursMenu: Type.Optional(Name),
    /** The menu on holidays (default the after-hours menu). */
    holidayMenu: Type.Optional(Name),
    businessHours: Type.Optional(BusinessHoursSchema),
  },
  strict,
);

export const RoutePointSchema = Type.Object(
  {
    /** The route point's device name (a `cti-route-point` device). */
    name: Name,
    /** Its pilot number: what callers dial. */
    number: Number_,
    application: Type.Union([Type.Literal('voicemail'), Type.Object({ autoAttendant: Name }, strict)]),
  },
  strict,
);

export const PortSchema = Type.Object({ name: Name, dn: Number_ }, strict);

export const IvrConfigSchema = Type.Object(
  {
    cti: Type.Object(
      {
        /** CTI servers in order of preference, e.g. ws://pbx:2748. */
        servers: Type.Array(Type.String({ pattern: '^wss?://' }), { minItems: 1 }),
        /** The application user that controls the route points and ports. */
        user: Type.String({ minLength: 1 }),
        /** Its password (better: the STROWGER_IVR_CTI_PASSWORD environment variable). */
        password: Type.Optional(Type.String({ minLength: 1 })),
      },
      strict,
    ),
    admin: Type.Object(
      {
        /** The server's admin API, e.g. http://pbx:8080. */
        url: Type.String({ pattern: '^https?://' }),
        user: Type.String({ minLength: 1 }),
        /** Its password (better: the STROWGER_IVR_ADMIN_PASSWORD environment variable). */
        password: Type.Optional(Type.String({ minLength: 1 })),
        /** How often the mailbox directory is fetched again. */
        refreshMinutes: Seconds(15, 1440),
      },
      strict,
    ),
    dataDirectory: Type.String({ minLength: 1 }),
    /** Where the generated prompts are (default the package's own prompts folder). */
    promptDirectory: Type.Optional(Type.String({ minLength: 1 })),
    /** The espeak-ng voice for prompts written as `text` in this file. */
    voice: Type.String({ minLength: 1, default: 'en-us' }),
    routePoints: Type.Array(RoutePointSchema, { minItems: 1 }),
    ports: Type.Array(PortSchema, { minItems: 1 }),
    media: Type.Object(
      {
        /** The address the ports' RTP is received on, as callers' phones reach it (bound and put in the SDP). */
        address: Type.String({ minLength: 1, default: '127.0.0.1' }),
      },
      { ...strict, default: {} },
    ),
    queue: Type.Object(
      {
        /** Seconds a caller may wait at a route point for a port; then the route point line's forward no answer applies. */
        maxWaitSeconds: Seconds(60, 3600),
        /** Seconds a port stays held for a routed call that has not arrived yet. */
        arrivalSeconds: Seconds(10, 120),
        /** How often the queue's state is logged while calls wait. */
        logSeconds: Seconds(10, 3600),
      },
      { ...strict, default: {} },
    ),
    /** The operator's number (a phone or a hunt pilot). */
    operator: Type.Optional(Number_),
    voicemail: Type.Object(
      {
        /** The voicemail pilot: callers dialling it check their messages. */
        pilot: Number_,
        /** The PIN every mailbox starts with; its owner must change it at the first login. */
        initialPin: Type.String({ pattern: '^[0-9]{4,20}$' }),
        minPinLength: Type.Integer({ minimum: 4, maximum: 20, default: 4 }),
        maxMessageSeconds: Seconds(120, 3600),
        silenceSeconds: Seconds(3, 30),
        /** PIN attempts per call before goodbye. */
        pinAttempts: Type.Integer({ minimum: 1, maximum: 10, default: 3 }),
        /** Failed PINs in a row (over any number of calls) that lock a mailbox. */
        lockoutAfter: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
        lockoutMinutes: Seconds(30, 10080),
        /** Messages a mailbox holds at most; a full mailbox takes no more. */
        maxMessages: Type.Integer({ minimum: 1, maximum: 10000, default: 100 }),
      },
      strict,
    ),
    autoAttendants: Type.Record(Name, AutoAttendantSchema, { default: {} }),
    menus: Type.Record(Name, MenuSchema, { default: {} }),
    /** Extensions a caller may dial by extension: a regular expression (default: mailbox owners' extensions only). */
    dialByExtensionPattern: Type.Optional(Type.String({ minLength: 1 })),
  },
  strict,
);

export type IvrConfig = Static<typeof IvrConfigSchema>;
export type MenuConfig = Static<typeof MenuSchema>;
export type MenuAction = Static<typeof MenuActionSchema>;
export type Spoken = Static<typeof SpokenSchema>;
export type BusinessHours = Static<typeof BusinessHoursSchema>;
export type AutoAttendantConfig = Static<typeof AutoAttendantSchema>;
export type RoutePointConfig = Static<typeof RoutePointSchema>;
export type VoicemailConfig = IvrConfig['voicemail'];
