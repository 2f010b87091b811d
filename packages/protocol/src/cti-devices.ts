import { Type, type Static } from '@sinclair/typebox';
import { CallId, DeviceName, DirectoryNumber, ProviderId } from './model.js';

/**
 * CTI route points and CTI ports (domain reference §1.2, §1.3, §2.9): how an application registers
 * them, routes the calls offered to a route point, and terminates a port's media.
 */

/** The audio codecs a CTI port or route point may terminate; telephone-event (RFC 4733) is always offered beside them. */
export const Codec = Type.Union([Type.Literal('PCMU'), Type.Literal('PCMA')], {
  description: 'G.711 µ-law (PCMU) or A-law (PCMA)',
});
export type Codec = Static<typeof Codec>;

const Codecs = Type.Array(Codec, {
  minItems: 1,
  maxItems: 2,
  uniqueItems: true,
  description: 'In order of preference; both G.711 laws when absent',
});

const RtpAddress = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'An IPv4 or IPv6 address where the application receives RTP',
});
const RtpPort = Type.Integer({ minimum: 1, maximum: 65535, description: 'An even UDP port (RTCP uses the next one)' });

/**
 * How the application terminates media on the device (CiscoBaseMediaTerminal's registration types):
 * none (a route point that only routes), static (one RTP address for every call: a port), or
 * dynamic (the application gives an address per call, answering CiscoMediaOpenLogicalChannelEv).
 */
export const RegistrationMedia = Type.Union(
  [
    Type.Object({ kind: Type.Literal('none') }, { description: 'NO_MEDIA_REGISTRATION: routing only (route points)' }),
    Type.Object(
      { kind: Type.Literal('static'), address: RtpAddress, port: RtpPort, codecs: Type.Optional(Codecs) },
      { description: 'STATIC_MEDIA_REGISTRATION: the same RTP address for every call (ports)' },
    ),
    Type.Object(
      { kind: Type.Literal('dynamic'), codecs: Type.Optional(Codecs) },
      { description: 'DYNAMIC_MEDIA_REGISTRATION: an RTP address per call, given with terminal.setRtpParams' },
    ),
  ],
  { description: 'How the application terminates the device’s media' },
);
export type RegistrationMedia = Static<typeof RegistrationMedia>;

export const TerminalRegisterParams = Type.Object({
  providerId: ProviderId,
  name: DeviceName,
  media: RegistrationMedia,
});
export type TerminalRegisterParams = Static<typeof TerminalRegisterParams>;

export const TerminalRegisterResult = Type.Object({
  active: Type.Boolean({
    description:
      'True when this application now controls the device; false when another instance does and this one stands by (route points), taking over when that one goes',
  }),
});
export type TerminalRegisterResult = Static<typeof TerminalRegisterResult>;

export const SetRtpParams = Type.Object({
  providerId: ProviderId,
  name: DeviceName,
  callId: CallId,
  address: RtpAddress,
  port: RtpPort,
});
export type SetRtpParams = Static<typeof SetRtpParams>;

export const RegisterRouteCallbackParams = Type.Object({
  providerId: ProviderId,
  address: DirectoryNumber,
  routeSelectTimeoutMs: Type.Optional(
    Type.Integer({
      minimum: 500,
      maximum: 3_600_000,
      description:
        'How long a route request waits for selectRoute or endRoute before the line’s forward no answer applies (jtapi.ini RouteSelectTimeout); 5000 when absent',
    }),
  ),
});
export type RegisterRouteCallbackParams = Static<typeof RegisterRouteCallbackParams>;

export const RouteAddressParams = Type.Object({ providerId: ProviderId, address: DirectoryNumber });
export type RouteAddressParams = Static<typeof RouteAddressParams>;

export const RouteSessionId = Type.String({ minLength: 1, maxLength: 128, description: 'One route session' });

export const SelectRouteParams = Type.Object({
  providerId: ProviderId,
  sessionId: RouteSessionId,
  routes: Type.Array(DirectoryNumber, {
    minItems: 1,
    maxItems: 10,
    description: 'Destinations, tried in order until one takes the call; each failure is reported as ReRouteEv',
  }),
  callingNumber: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'Present a different calling number to the destination (needs the modify-calling-number role)',
    }),
  ),
});
export type SelectRouteParams = Static<typeof SelectRouteParams>;

export const SelectRouteResult = Type.Object({
  routeUsed: DirectoryNumber,
  index: Type.Integer({
    minimum: 0,
    description: 'CiscoRouteUsedEvent.getRouteSelectedIndex(): which route took the call',
  }),
});
export type SelectRouteResult = Static<typeof SelectRouteResult>;

export const EndRouteParams = Type.Object({
  providerId: ProviderId,
  sessionId: RouteSessionId,
  error: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 7,
      description:
        'RouteSession.endRoute error: 1 unknown, 2 resource busy, 3 resource out of service, 4 none (Cisco ERROR_NONE, the default)',
    }),
  ),
});
export type EndRouteParams = Static<typeof EndRouteParams>;

/** RouteSession causes (JTAPI RouteSession.getCause()). */
export const RouteCause = {
  NO_ERROR: 100,
  ROUTING_TIMER_EXPIRED: 101,
  PARAMETER_NOT_SUPPORTED: 102,
  INVALID_DESTINATION: 103,
  STATE_INCOMPATIBLE: 104,
  UNSPECIFIED_ERROR: 105,
} as const;

/** What every route session event carries. */
export const routeSessionFields = {
  sessionId: RouteSessionId,
  routeAddress: DirectoryNumber,
  callId: CallId,
};

/** What every media event of a port or route point call carries. */
export const mediaFields = {
  terminal: DeviceName,
  callId: CallId,
};

export const MediaFormatFields = {
  codec: Codec,
  payloadType: Type.Integer({ minimum: 0, maximum: 127, description: 'The RTP payload type of the codec' }),
  packetMs: Type.Integer({ description: 'Packetisation time in milliseconds (20)' }),
  telephoneEventPayloadType: Type.Union([Type.Integer({ minimum: 96, maximum: 127 }), Type.Null()], {
    description: 'RFC 4733 telephone-event payload type both sides agreed, or null when the far end has none',
  }),
};
