import { Type, type Static } from '@sinclair/typebox';
import { ErrorBody } from './errors.js';
import { Event } from './events.js';
import { ProviderId, ProviderSnapshot } from './model.js';

export const RequestId = Type.Integer({
  minimum: 1,
  maximum: 2_147_483_647,
  description: 'Chosen by the client; unique among its pending requests',
});
const Nonce = Type.Integer({ minimum: 0, maximum: 2_147_483_647 });

// Client → server.
export const RequestFrame = Type.Object(
  {
    kind: Type.Literal('request'),
    id: RequestId,
    method: Type.String({ maxLength: 64 }),
    params: Type.Optional(Type.Unknown({ description: 'The method’s params object; {} when absent' })),
  },
  { title: 'RequestFrame' },
);
export type RequestFrame = Static<typeof RequestFrame>;

// Either side.
export const PingFrame = Type.Object({ kind: Type.Literal('ping'), nonce: Nonce }, { title: 'PingFrame' });
export type PingFrame = Static<typeof PingFrame>;
export const PongFrame = Type.Object({ kind: Type.Literal('pong'), nonce: Nonce }, { title: 'PongFrame' });
export type PongFrame = Static<typeof PongFrame>;

/** What a client may send. */
export const ClientFrame = Type.Union([RequestFrame, PingFrame, PongFrame], { title: 'ClientFrame' });
export type ClientFrame = Static<typeof ClientFrame>;

// Server → client.
export const ResultFrame = Type.Object(
  { kind: Type.Literal('response'), id: RequestId, result: Type.Unknown() },
  { title: 'ResultFrame' },
);
export type ResultFrame = Static<typeof ResultFrame>;
export const ErrorResponseFrame = Type.Object(
  { kind: Type.Literal('response'), id: RequestId, error: ErrorBody },
  { title: 'ErrorResponseFrame' },
);
export type ErrorResponseFrame = Static<typeof ErrorResponseFrame>;
export const ResponseFrame = Type.Union([ResultFrame, ErrorResponseFrame], { title: 'ResponseFrame' });
export type ResponseFrame = Static<typeof ResponseFrame>;

/** A refusal of a frame that had no usable request id. */
export const ErrorFrame = Type.Object({ kind: Type.Literal('error'), error: ErrorBody }, { title: 'ErrorFrame' });
export type ErrorFrame = Static<typeof ErrorFrame>;

/** One batch of a provider's events, in sequence order. */
export const EventsFrame = Type.Object(
  { kind: Type.Literal('events'), providerId: ProviderId, events: Type.Array(Event) },
  { title: 'EventsFrame' },
);
export type EventsFrame = Static<typeof EventsFrame>;

/** Events were dropped (slow consumer) or cannot be replayed: here is the whole view instead. */
export const ResyncFrame = Type.Object(
  {
    kind: Type.Literal('resync'),
    providerId: ProviderId,
    reason: Type.Union([Type.Literal('slow-consumer'), Type.Literal('gap')]),
    dropped: Type.Integer({ minimum: 0, description: 'How many events were not delivered' }),
    snapshot: ProviderSnapshot,
  },
  { title: 'ResyncFrame' },
);
export type ResyncFrame = Static<typeof ResyncFrame>;

/** What the server may send. */
export const ServerFrame = Type.Union(
  [ResultFrame, ErrorResponseFrame, ErrorFrame, EventsFrame, ResyncFrame, PingFrame, PongFrame],
  { title: 'ServerFrame' },
);
export type ServerFrame = Static<typeof ServerFrame>;
