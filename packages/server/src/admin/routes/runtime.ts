import { Type } from '@sinclair/typebox';
import { problemResponses, type AdminApp } from './config-objects.js';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof logLevels)[number];

const StatusSchema = Type.Object({
  version: Type.String(),
  startedAt: Type.String({ format: 'date-time' }),
  uptimeSeconds: Type.Integer({ minimum: 0 }),
  pid: Type.Integer(),
  logLevel: Type.String(),
  store: Type.Object({
    kind: Type.Union([Type.Literal('embedded'), Type.Literal('server')]),
    configVersion: Type.Integer(),
  }),
  listening: Type.Object({
    sip: Type.String({ description: 'udp ADDRESS:PORT, tcp ADDRESS:PORT' }),
    http: Type.String(),
    cti: Type.String(),
  }),
  counts: Type.Object({
    devices: Type.Integer(),
    registeredDevices: Type.Integer(),
    lines: Type.Integer(),
    calls: Type.Integer(),
    ctiSessions: Type.Integer(),
    ctiProviders: Type.Integer(),
  }),
});

export type ServerStatus = (typeof StatusSchema)['static'];

/** What `strowger status` and `strowger log-level` read and change in the running server. */
export interface RuntimeControl {
  status(): Promise<ServerStatus>;
  logLevel(): string;
  setLogLevel(level: LogLevel): void;
}

export function registerRuntimeRoutes(app: AdminApp, runtime: RuntimeControl): void {
  const tags = ['Server'];
  app.get(
    '/api/v1/status',
    {
      schema: {
        summary: 'What runs: version, uptime, addresses, counts',
        tags,
        response: { 200: StatusSchema, ...problemResponses },
      },
    },
    async () => runtime.status(),
  );
  const LevelSchema = Type.Object(
    { level: Type.Union(logLevels.map((level) => Type.Literal(level))) },
    { additionalProperties: false },
  );
  app.get(
    '/api/v1/log-level',
    {
      schema: {
        summary: "The server log's level",
        tags,
        response: { 200: Type.Object({ level: Type.String() }), ...problemResponses },
      },
    },
    async () => ({ level: runtime.logLevel() }),
  );
  app.put(
    '/api/v1/log-level',
    {
      schema: {
        summary: "Change the server log's level at run time (until the next start)",
        tags,
        body: LevelSchema,
        response: { 200: Type.Object({ level: Type.String() }), ...problemResponses },
      },
    },
    async (request) => {
      runtime.setLogLevel(request.body.level);
      return { level: runtime.logLevel() };
    },
  );
}

const OpenProviderSchema = Type.Object({
  providerId: Type.String(),
  userId: Type.String({ description: 'The end user or application user the provider was opened with' }),
  userKind: Type.Union([Type.Literal('end-user'), Type.Literal('application-user')]),
  appInfo: Type.Union([Type.String(), Type.Null()], { description: 'What the application said it is' }),
  source: Type.String({ description: 'The address the application connected from' }),
  openedAt: Type.String({ format: 'date-time' }),
  connected: Type.Boolean({ description: 'False while the provider waits for its application to resume' }),
  terminals: Type.Integer({ description: 'Terminals (devices) in its domain' }),
  restrictedTerminals: Type.Integer(),
  addresses: Type.Integer({ description: 'Addresses (lines) in its domain' }),
  restrictedAddresses: Type.Integer(),
  observers: Type.Integer(),
  seq: Type.Integer({ description: 'Its last event sequence number' }),
});

const CtiSessionsSchema = Type.Object({
  sessions: Type.Integer({ description: 'Connected CTI sessions (WebSocket connections)' }),
  providers: Type.Integer({ description: 'Open providers' }),
  items: Type.Array(OpenProviderSchema),
});

export type CtiSessionsView = (typeof CtiSessionsSchema)['static'];

/** Connected CTI applications: each open provider with its user, where it came from and its domain size. */
export function registerCtiSessionRoutes(app: AdminApp, sessions: () => CtiSessionsView): void {
  app.get(
    '/api/v1/cti/sessions',
    {
      schema: {
        summary: 'Connected CTI applications: their providers, users and domain sizes',
        tags: ['Live'],
        response: { 200: CtiSessionsSchema, ...problemResponses },
      },
    },
    async () => sessions(),
  );
}
