import { Type, type Static, type TSchema } from '@sinclair/typebox';
import {
  DeviceName,
  ObserverId,
  ProviderId,
  ProviderOpened,
  ProviderSnapshot,
  Seq,
  Target,
  Terminal,
} from './model.js';

const Empty = Type.Object({}, { description: 'No content' });

export const HelloParams = Type.Object({
  protocols: Type.Array(Type.Integer({ minimum: 1 }), {
    minItems: 1,
    maxItems: 16,
    description: 'The major protocol versions the client speaks',
  }),
  client: Type.Optional(Type.String({ maxLength: 200, description: 'The client’s name and version, for logs' })),
  keepAliveSeconds: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 3600,
      description: 'Wished keep-alive interval; the server clamps it to 5..120',
    }),
  ),
});
export type HelloParams = Static<typeof HelloParams>;

export const Limits = Type.Object({
  maxFrameBytes: Type.Integer({ description: 'Larger frames are refused with FRAME_TOO_LARGE' }),
  maxPendingRequests: Type.Integer({
    description: 'More unanswered requests at once are refused with TOO_MANY_REQUESTS',
  }),
  requestsPerSecond: Type.Integer({ description: 'Sustained request rate; bursts of twice that; more → RATE_LIMITED' }),
});
export type Limits = Static<typeof Limits>;

export const HelloResult = Type.Object({
  protocol: Type.Integer({ description: 'The version agreed for this session' }),
  server: Type.String(),
  sessionId: Type.String(),
  keepAliveSeconds: Type.Integer({ description: 'The interval both sides use' }),
  limits: Limits,
});
export type HelloResult = Static<typeof HelloResult>;

export const ProviderOpenParams = Type.Object({
  user: Type.String({ minLength: 1, maxLength: 128, description: 'An end user’s or application user’s user id' }),
  password: Type.String({ maxLength: 1024 }),
  appInfo: Type.Optional(Type.String({ maxLength: 200, description: 'Free text naming the application, for logs' })),
  resume: Type.Optional(
    Type.Object(
      {
        providerId: ProviderId,
        afterSeq: Seq,
      },
      { description: 'Resume this provider after this sequence number' },
    ),
  ),
});
export type ProviderOpenParams = Static<typeof ProviderOpenParams>;

export const ProviderParams = Type.Object({ providerId: ProviderId });
export type ProviderParams = Static<typeof ProviderParams>;

export const TerminalParams = Type.Object({ providerId: ProviderId, name: DeviceName });
export type TerminalParams = Static<typeof TerminalParams>;

export const ObserverAddParams = Type.Object({
  providerId: ProviderId,
  target: Target,
  callEvents: Type.Optional(
    Type.Boolean({
      description: 'Also the call events of every call there (JTAPI addCallObserver); default true',
    }),
  ),
});
export type ObserverAddParams = Static<typeof ObserverAddParams>;

export const ObserverAddResult = Type.Object({
  observerId: ObserverId,
  seq: Seq,
});
export type ObserverAddResult = Static<typeof ObserverAddResult>;

export const ObserverRemoveParams = Type.Object({ providerId: ProviderId, observerId: ObserverId });
export type ObserverRemoveParams = Static<typeof ObserverRemoveParams>;

/** Every method of this protocol version: its params and its result. */
export const methods = {
  hello: { params: HelloParams, result: HelloResult, summary: 'Agree the protocol version and keep-alive' },
  'provider.open': {
    params: ProviderOpenParams,
    result: ProviderOpened,
    summary: 'Open (or resume) a provider with a user’s credentials',
  },
  'provider.shutdown': { params: ProviderParams, result: Empty, summary: 'Shut a provider down' },
  'provider.snapshot': { params: ProviderParams, result: ProviderSnapshot, summary: 'The whole provider view now' },
  'provider.createTerminal': {
    params: TerminalParams,
    result: Terminal,
    summary: 'Acquire a device outside the controlled devices (Standard CTI Allow Control of All Devices)',
  },
  'provider.deleteTerminal': { params: TerminalParams, result: Empty, summary: 'Release an acquired device' },
  'observer.add': {
    params: ObserverAddParams,
    result: ObserverAddResult,
    summary: 'Observe the provider, a terminal, an address or a call',
  },
  'observer.remove': { params: ObserverRemoveParams, result: Empty, summary: 'Stop an observer' },
} as const satisfies Record<string, { params: TSchema; result: TSchema; summary: string }>;

export type MethodName = keyof typeof methods;
export type MethodParams<M extends MethodName> = Static<(typeof methods)[M]['params']>;
export type MethodResult<M extends MethodName> = Static<(typeof methods)[M]['result']>;
export const methodNames = Object.keys(methods) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}
