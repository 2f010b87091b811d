import { Type, type Static, type TSchema } from '@sinclair/typebox';
import {
  CallId,
  DeviceName,
  DirectoryNumber,
  ForwardTarget,
  ObserverId,
  ProviderId,
  ProviderOpened,
  ProviderSnapshot,
  Seq,
  Target,
  Terminal,
} from './model.js';
import { Nullable } from './schema-helpers.js';
import {
  EndRouteParams,
  RegisterRouteCallbackParams,
  RouteAddressParams,
  SelectRouteParams,
  SelectRouteResult,
  SetRtpParams,
  TerminalRegisterParams,
  TerminalRegisterResult,
} from './cti-devices.js';

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

/** Digits to dial: a directory number, hunt pilot or other routable number. */
const Digits = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[0-9*#+A-Da-d]+$',
  description: 'The number to dial (digits, *, #, +)',
});

const ClientCallId = Type.String({
  minLength: 8,
  maxLength: 64,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$',
  description:
    'A call id the application chooses (a UUID will do), so it can match the events that arrive before the result; unique among calls in progress',
});

export const ConnectionParams = Type.Object({
  providerId: ProviderId,
  callId: CallId,
  address: DirectoryNumber,
});
export type ConnectionParams = Static<typeof ConnectionParams>;

export const TerminalConnectionParams = Type.Object({
  providerId: ProviderId,
  callId: CallId,
  address: DirectoryNumber,
  terminal: DeviceName,
});
export type TerminalConnectionParams = Static<typeof TerminalConnectionParams>;

export const GenerateDtmfParams = Type.Object({
  providerId: ProviderId,
  callId: CallId,
  address: DirectoryNumber,
  terminal: DeviceName,
  digits: Type.String({ pattern: '^[0-9*#A-D]{1,32}$', description: 'DTMF digits: 0-9, *, #, A-D' }),
});
export type GenerateDtmfParams = Static<typeof GenerateDtmfParams>;

export const RedirectParams = Type.Object({
  providerId: ProviderId,
  callId: CallId,
  address: DirectoryNumber,
  destination: Digits,
  callingNumber: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      description:
        'The calling number the destination is shown; needs "Standard CTI Allow Calling Number Modification"',
    }),
  ),
});
export type RedirectParams = Static<typeof RedirectParams>;

export const CallConnectParams = Type.Object({
  providerId: ProviderId,
  terminal: DeviceName,
  address: DirectoryNumber,
  dialled: Digits,
  callId: Type.Optional(ClientCallId),
  transferEnable: Type.Optional(
    Type.Boolean({
      description: 'CallControlCall.setTransferEnable: false forbids applications to transfer this call (default true)',
    }),
  ),
  conferenceEnable: Type.Optional(
    Type.Boolean({
      description:
        'CallControlCall.setConferenceEnable: false forbids applications to conference this call (default true)',
    }),
  ),
});
export type CallConnectParams = Static<typeof CallConnectParams>;

export const CallConsultParams = Type.Object({
  providerId: ProviderId,
  callId: CallId,
  address: DirectoryNumber,
  terminal: DeviceName,
  dialled: Digits,
  consultCallId: Type.Optional(ClientCallId),
});
export type CallConsultParams = Static<typeof CallConsultParams>;

const Controller = Type.Object(
  { address: DirectoryNumber, terminal: DeviceName },
  {
    description: 'The transfer or conference controller (JTAPI setTransferController); found by the server when absent',
  },
);

export const CallTransferParams = Type.Union([
  Type.Object({
    providerId: ProviderId,
    callId: CallId,
    otherCallId: CallId,
    controller: Type.Optional(Controller),
  }),
  Type.Object({
    providerId: ProviderId,
    callId: CallId,
    destination: Digits,
    controller: Controller,
  }),
]);
export type CallTransferParams = Static<typeof CallTransferParams>;

export const CallAddPartyParams = Type.Object({
  providerId: ProviderId,
  callId: CallId,
  controller: Controller,
  dialled: Digits,
});
export type CallAddPartyParams = Static<typeof CallAddPartyParams>;

export const CallConferenceParams = Type.Object({
  providerId: ProviderId,
  callId: CallId,
  otherCallId: CallId,
  controller: Type.Optional(Controller),
});
export type CallConferenceParams = Static<typeof CallConferenceParams>;

export const CallDropParams = Type.Object({ providerId: ProviderId, callId: CallId });
export type CallDropParams = Static<typeof CallDropParams>;

export const AddressParams = Type.Object({ providerId: ProviderId, address: DirectoryNumber });
export type AddressParams = Static<typeof AddressParams>;

export const SetForwardingParams = Type.Object({
  providerId: ProviderId,
  address: DirectoryNumber,
  forwardAll: Digits,
});
export type SetForwardingParams = Static<typeof SetForwardingParams>;

export const SetMessageWaitingParams = Type.Object({
  providerId: ProviderId,
  address: DirectoryNumber,
  waiting: Type.Boolean({ description: 'Switch the message-waiting lamp on (true) or off' }),
});
export type SetMessageWaitingParams = Static<typeof SetMessageWaitingParams>;

export const SetDoNotDisturbParams = Type.Object({
  providerId: ProviderId,
  name: DeviceName,
  on: Type.Boolean({ description: 'Do not disturb (with call reject) on or off' }),
});
export type SetDoNotDisturbParams = Static<typeof SetDoNotDisturbParams>;

export const PickupParams = Type.Object({
  providerId: ProviderId,
  name: DeviceName,
  address: DirectoryNumber,
  pickupAddress: DirectoryNumber,
});
export type PickupParams = Static<typeof PickupParams>;

export const GroupPickupParams = Type.Object({
  providerId: ProviderId,
  name: DeviceName,
  address: DirectoryNumber,
});
export type GroupPickupParams = Static<typeof GroupPickupParams>;

export const UnparkParams = Type.Object({
  providerId: ProviderId,
  name: DeviceName,
  address: DirectoryNumber,
  parkNumber: DirectoryNumber,
});
export type UnparkParams = Static<typeof UnparkParams>;

export const ParkResult = Type.Object({
  parkNumber: DirectoryNumber,
});
export type ParkResult = Static<typeof ParkResult>;

export const DoNotDisturbResult = Type.Object({ on: Type.Boolean() });
export type DoNotDisturbResult = Static<typeof DoNotDisturbResult>;

export const MessageWaitingResult = Type.Object({ waiting: Type.Boolean() });
export type MessageWaitingResult = Static<typeof MessageWaitingResult>;

export const Forwarding = Type.Object(
  {
    all: Nullable(ForwardTarget),
    busy: Nullable(ForwardTarget),
    noAnswer: Nullable(ForwardTarget),
    unregistered: Nullable(ForwardTarget),
    allSetByApplication: Type.Boolean({ description: 'Forward all was set over CTI (else configured, or off)' }),
  },
  { description: "A line's forwarding as it applies now" },
);
export type Forwarding = Static<typeof Forwarding>;

export const CallMadeResult = Type.Object({ callId: CallId });
export type CallMadeResult = Static<typeof CallMadeResult>;

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
  'terminalConnection.answer': {
    params: TerminalConnectionParams,
    result: Empty,
    summary: 'Answer a RINGING terminal connection (TerminalConnection.answer); resolves once it is TALKING',
  },
  'terminalConnection.hold': {
    params: TerminalConnectionParams,
    result: Empty,
    summary: 'Hold a TALKING terminal connection; the far party hears music on hold; resolves once HELD',
  },
  'terminalConnection.unhold': {
    params: TerminalConnectionParams,
    result: Empty,
    summary: 'Retrieve a HELD terminal connection; resolves once TALKING',
  },
  'terminalConnection.generateDtmf': {
    params: GenerateDtmfParams,
    result: Empty,
    summary:
      'Send DTMF from a TALKING terminal connection to the party it talks to; resolves once every digit was taken',
  },
  'connection.disconnect': {
    params: ConnectionParams,
    result: Empty,
    summary: 'One address leaves the call (Connection.disconnect); a two-party call ends',
  },
  'connection.redirect': {
    params: RedirectParams,
    result: Empty,
    summary: 'Send an OFFERED or ALERTING connection’s call on to another number (CallControlConnection.redirect)',
  },
  'call.connect': {
    params: CallConnectParams,
    result: CallMadeResult,
    summary: 'Make a call from a terminal and address (Call.connect): the phone is called first, then the number',
  },
  'call.consult': {
    params: CallConsultParams,
    result: CallMadeResult,
    summary: 'Hold a TALKING terminal connection and make a consult call from it (CallControlCall.consult)',
  },
  'call.transfer': {
    params: CallTransferParams,
    result: Empty,
    summary: 'Transfer: join another call of the controller (consult), or send the call to a number (blind)',
  },
  'call.conference': {
    params: CallConferenceParams,
    result: Empty,
    summary: 'Merge another call of the controller into this one as a conference on the server’s bridge',
  },
  'call.addParty': {
    params: CallAddPartyParams,
    result: Empty,
    summary:
      'Single-step conference (CallControlCall.addParty): the controller calls a new party and, once it answers, it joins the call on the bridge',
  },
  'address.setForwarding': {
    params: SetForwardingParams,
    result: Empty,
    summary: 'Forward all calls of a line to a number (CallControlAddress.setForwarding), from the next call on',
  },
  'address.cancelForwarding': {
    params: AddressParams,
    result: Empty,
    summary: 'Cancel forward all set over CTI (CallControlAddress.cancelForwarding)',
  },
  'address.getForwarding': {
    params: AddressParams,
    result: Forwarding,
    summary: 'A line’s forwarding as it applies now (CallControlAddress.getForwarding)',
  },
  'address.setMessageWaiting': {
    params: SetMessageWaitingParams,
    result: Empty,
    summary:
      'Switch a line’s message-waiting lamp (CallControlAddress.setMessageWaiting); its phones get a message-summary NOTIFY',
  },
  'address.getMessageWaiting': {
    params: AddressParams,
    result: MessageWaitingResult,
    summary: 'Whether a line’s message-waiting lamp is on',
  },
  'terminal.setDoNotDisturb': {
    params: SetDoNotDisturbParams,
    result: Empty,
    summary: 'Do not disturb on a terminal (CallControlTerminal.setDoNotDisturb): it is offered no new call',
  },
  'terminal.pickup': {
    params: PickupParams,
    result: CallMadeResult,
    summary:
      'Directed pickup (CallControlTerminal.pickup): the call ringing at pickupAddress goes to this terminal, which is asked to answer by itself',
  },
  'terminal.getDoNotDisturb': {
    params: TerminalParams,
    result: DoNotDisturbResult,
    summary: 'Whether a terminal is in do not disturb',
  },
  'call.drop': {
    params: CallDropParams,
    result: Empty,
    summary: 'End the call for every party (CallControlCall.drop)',
  },
  'terminal.pickupFromGroup': {
    params: GroupPickupParams,
    result: CallMadeResult,
    summary:
      'Group pickup (CallControlTerminal.pickupFromGroup): the call ringing longest in the line’s call pickup group goes to this terminal',
  },
  'terminalConnection.park': {
    params: TerminalConnectionParams,
    result: ParkResult,
    summary:
      'Park the call of a TALKING terminal connection (CiscoConnection.park): it leaves, the other party waits on music at a free call park number, returned',
  },
  'terminal.unpark': {
    params: UnparkParams,
    result: CallMadeResult,
    summary:
      'Retrieve a parked call to this terminal and line (CiscoTerminal.unPark): it is offered here, asked to answer by itself',
  },
  'connection.accept': {
    params: ConnectionParams,
    result: Empty,
    summary:
      'Take a call OFFERED at a route point (CallControlConnection.accept): it goes ALERTING, the caller hears ringback, and the line’s forward no answer applies after its time',
  },
  'connection.reject': {
    params: ConnectionParams,
    result: Empty,
    summary: 'Refuse a call OFFERED at a route point (CallControlConnection.reject): the caller is treated as busy',
  },
  'terminal.register': {
    params: TerminalRegisterParams,
    result: TerminalRegisterResult,
    summary:
      'Register a CTI port or route point (CiscoMediaTerminal/CiscoRouteTerminal.register): it comes into service while this provider holds it',
  },
  'terminal.unregister': {
    params: TerminalParams,
    result: Empty,
    summary: 'Give a CTI port or route point up; calls not yet connected there follow forward on CTI failure',
  },
  'terminal.setRtpParams': {
    params: SetRtpParams,
    result: Empty,
    summary: 'Give the RTP address for one call of a dynamically registered device (CiscoMediaTerminal.setRTPParams)',
  },
  'address.registerRouteCallback': {
    params: RegisterRouteCallbackParams,
    result: TerminalRegisterResult,
    summary:
      'Receive a route request for each call offered at a route point’s address (RouteAddress.registerRouteCallback); a second application stands by',
  },
  'address.cancelRouteCallback': {
    params: RouteAddressParams,
    result: Empty,
    summary: 'Stop receiving route requests for an address (RouteAddress.cancelRouteCallback)',
  },
  'routeSession.selectRoute': {
    params: SelectRouteParams,
    result: SelectRouteResult,
    summary:
      'Send the call of a route session to the first destination that takes it (RouteSession.selectRoute); resolves with the route used',
  },
  'routeSession.endRoute': {
    params: EndRouteParams,
    result: Empty,
    summary:
      'End a route session without a route (RouteSession.endRoute): the call keeps ringing at the route point until the application redirects it or forward no answer applies',
  },
} as const satisfies Record<string, { params: TSchema; result: TSchema; summary: string }>;

export type MethodName = keyof typeof methods;
export type MethodParams<M extends MethodName> = Static<(typeof methods)[M]['params']>;
export type MethodResult<M extends MethodName> = Static<(typeof methods)[M]['result']>;
export const methodNames = Object.keys(methods) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}
