import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';
import { EventId, type EventType } from './jtapi.js';
import {
  Address,
  CallControlConnectionStateName,
  CallControlTerminalConnectionStateName,
  CallId,
  Capabilities,
  ConnectionStateName,
  DeviceName,
  DirectoryNumber,
  ForwardTarget,
  ObserverId,
  Terminal,
  TerminalConnectionStateName,
} from './model.js';
import { Nullable } from './schema-helpers.js';
import { Codec, MediaFormatFields, mediaFields, routeSessionFields } from './cti-devices.js';

const base = {
  seq: Type.Integer({ minimum: 1, description: 'Per provider: starts at 1, never skips, never repeats' }),
  at: Type.Number({ description: 'Engine time, milliseconds since the epoch' }),
  observerId: Type.Optional(
    Type.Union([ObserverId, Type.Null()], {
      description: 'The observer this event is for; absent or null for provider events every provider receives',
    }),
  ),
};

function event<const T extends EventType, P extends TProperties>(type: T, properties: P) {
  return Type.Object(
    {
      ...base,
      id: Type.Literal(EventId[type] as (typeof EventId)[T], { description: "JTAPI's stable numeric event id" }),
      type: Type.Literal(type),
      ...properties,
    },
    { title: type },
  );
}

/** Every call event (CallEv, ConnEv, TermConnEv and their call-control twins) carries these. */
const callFields = {
  callId: CallId,
  cause: Type.Integer({ description: 'Core Ev cause (100–110; 110 = CAUSE_SNAPSHOT)' }),
  callControlCause: Nullable(Type.Integer(), 'CallCtlEv cause (202–214) or null'),
  ciscoCause: Type.Integer({ description: 'CiscoCallEv cause: a Q.850 value or Cisco’s own (0 = no error)' }),
  metaCode: Type.Integer({ description: 'Meta code (128–136; 135 = META_SNAPSHOT)' }),
  featureReason: Type.Integer({
    description: 'CiscoFeatureReason: 12 normal, 2 transfer, 7 blind transfer, 9 conference',
  }),
  callingAddress: Nullable(Type.String()),
  callingTerminal: Nullable(Type.String()),
  calledAddress: Nullable(Type.String()),
  lastRedirectedAddress: Nullable(Type.String()),
  currentCallingAddress: Nullable(
    Type.String(),
    'CiscoCall current calling party: after a transfer, the party that stayed',
  ),
  currentCalledAddress: Nullable(
    Type.String(),
    'CiscoCall current called party: after forwarding, where the call is offered now',
  ),
  callingName: Nullable(
    Type.String(),
    "CiscoCall calling party display name: the caller's name as its signalling gave it (a SIP From display name), or null",
  ),
  currentCallingName: Nullable(Type.String(), 'CiscoCall current calling party display name, or null'),
};

const connectionFields = {
  ...callFields,
  address: Type.String({ description: 'The connection’s address (a directory number or an external party)' }),
  connectionState: ConnectionStateName,
  callControlState: CallControlConnectionStateName,
  reason: Type.Integer({
    description:
      'CiscoConnection reason: 1 direct, 2 transferred, 3 forward no answer, 4 forward busy, 5 forward all, 6 redirect, 99 outbound',
  }),
};

const terminalConnectionFields = {
  ...callFields,
  terminal: DeviceName,
  address: Type.String(),
  terminalConnectionState: TerminalConnectionStateName,
  callControlTerminalConnectionState: CallControlTerminalConnectionStateName,
};

const controllerFields = {
  controllerAddress: Type.String({ description: 'The address of the party that controls the transfer or conference' }),
  controllerTerminal: Type.String({ description: 'Its terminal' }),
};
const transferFields = {
  ...callFields,
  ...controllerFields,
  transferredCallId: CallId,
  finalCallId: Type.String({
    description: 'The call the parties end up in (equal to transferredCallId for a blind transfer)',
  }),
};
const conferenceFields = {
  ...callFields,
  ...controllerFields,
  consultCallId: CallId,
  finalCallId: Type.String({ description: 'The conference call' }),
};

/** JTAPI's media package: a DTMF digit a terminal sent (out of band, as SIP INFO). */
export const MediaTermConnDtmfEv = event('MediaTermConnDtmfEv', {
  ...terminalConnectionFields,
  digit: Type.String({ pattern: '^[0-9*#A-D]$', description: 'MediaTermConnDtmfEv.getDtmfDigit(): 0-9, *, #, A-D' }),
});

// Call events.
export const CallActiveEv = event('CallActiveEv', callFields);
export const CallInvalidEv = event('CallInvalidEv', callFields);
export const CallObservationEndedEv = event('CallObservationEndedEv', callFields);

// Connection events (core, then call control).
export const ConnCreatedEv = event('ConnCreatedEv', connectionFields);
export const ConnInProgressEv = event('ConnInProgressEv', connectionFields);
export const ConnAlertingEv = event('ConnAlertingEv', connectionFields);
export const ConnConnectedEv = event('ConnConnectedEv', connectionFields);
export const ConnDisconnectedEv = event('ConnDisconnectedEv', connectionFields);
export const ConnFailedEv = event('ConnFailedEv', connectionFields);
export const ConnUnknownEv = event('ConnUnknownEv', connectionFields);
export const CallCtlConnOfferedEv = event('CallCtlConnOfferedEv', connectionFields);
export const CallCtlConnQueuedEv = event('CallCtlConnQueuedEv', connectionFields);
export const CallCtlConnAlertingEv = event('CallCtlConnAlertingEv', connectionFields);
export const CallCtlConnInitiatedEv = event('CallCtlConnInitiatedEv', connectionFields);
export const CallCtlConnDialingEv = event('CallCtlConnDialingEv', {
  ...connectionFields,
  digits: Type.String({ description: 'The digits dialled so far' }),
});
export const CallCtlConnNetworkReachedEv = event('CallCtlConnNetworkReachedEv', connectionFields);
export const CallCtlConnNetworkAlertingEv = event('CallCtlConnNetworkAlertingEv', connectionFields);
export const CallCtlConnEstablishedEv = event('CallCtlConnEstablishedEv', connectionFields);
export const CallCtlConnDisconnectedEv = event('CallCtlConnDisconnectedEv', connectionFields);
export const CallCtlConnFailedEv = event('CallCtlConnFailedEv', connectionFields);
export const CallCtlConnUnknownEv = event('CallCtlConnUnknownEv', connectionFields);

// Terminal connection events (core, then call control).
export const TermConnCreatedEv = event('TermConnCreatedEv', terminalConnectionFields);
export const TermConnRingingEv = event('TermConnRingingEv', terminalConnectionFields);
export const TermConnActiveEv = event('TermConnActiveEv', terminalConnectionFields);
export const TermConnPassiveEv = event('TermConnPassiveEv', terminalConnectionFields);
export const TermConnDroppedEv = event('TermConnDroppedEv', terminalConnectionFields);
export const TermConnUnknownEv = event('TermConnUnknownEv', terminalConnectionFields);
export const CallCtlTermConnRingingEv = event('CallCtlTermConnRingingEv', terminalConnectionFields);
export const CallCtlTermConnTalkingEv = event('CallCtlTermConnTalkingEv', terminalConnectionFields);
export const CallCtlTermConnHeldEv = event('CallCtlTermConnHeldEv', terminalConnectionFields);
export const CallCtlTermConnBridgedEv = event('CallCtlTermConnBridgedEv', terminalConnectionFields);
export const CallCtlTermConnInUseEv = event('CallCtlTermConnInUseEv', terminalConnectionFields);
export const CallCtlTermConnDroppedEv = event('CallCtlTermConnDroppedEv', terminalConnectionFields);
export const CallCtlTermConnUnknownEv = event('CallCtlTermConnUnknownEv', terminalConnectionFields);

// Cisco's transfer and conference bracket events.
export const CiscoTransferStartEv = event('CiscoTransferStartEv', transferFields);
export const CiscoTransferEndEv = event('CiscoTransferEndEv', transferFields);
export const CiscoConferenceStartEv = event('CiscoConferenceStartEv', conferenceFields);
export const CiscoConferenceEndEv = event('CiscoConferenceEndEv', conferenceFields);

// Provider events: every provider receives them, no observer needed.
export const ProvInServiceEv = event('ProvInServiceEv', {});
export const ProvOutOfServiceEv = event('ProvOutOfServiceEv', {});
export const ProvShutdownEv = event('ProvShutdownEv', {});
export const ProvObservationEndedEv = event('ProvObservationEndedEv', {});
export const CiscoProviderCapabilityChangedEv = event('CiscoProviderCapabilityChangedEv', {
  capabilities: Capabilities,
});

// Observation ended: the observer is gone (removed, or its object left the domain or became restricted).
export const AddrObservationEndedEv = event('AddrObservationEndedEv', { name: DirectoryNumber });
export const TermObservationEndedEv = event('TermObservationEndedEv', { name: DeviceName });

/** CiscoProvEv.getCiscoCause() on the events that change the domain (ProviderEventCause). */
const domainCause = {
  ciscoCause: Type.Integer({
    description:
      'Why the domain changed: 0 normal (configuration), 1 Extension Mobility login, 2 logout, 3 login brought the phone into the domain, 4 logout took it out',
  }),
};

// Cisco domain and availability events.
export const CiscoTermCreatedEv = event('CiscoTermCreatedEv', { terminal: Terminal, ...domainCause });
export const CiscoTermRemovedEv = event('CiscoTermRemovedEv', { name: DeviceName, ...domainCause });
export const CiscoAddrCreatedEv = event('CiscoAddrCreatedEv', { address: Address, ...domainCause });
export const CiscoAddrRemovedEv = event('CiscoAddrRemovedEv', { name: DirectoryNumber, ...domainCause });
export const CiscoAddrAddedToTerminalEv = event('CiscoAddrAddedToTerminalEv', {
  address: DirectoryNumber,
  terminal: DeviceName,
  ...domainCause,
});
export const CiscoAddrRemovedFromTerminalEv = event('CiscoAddrRemovedFromTerminalEv', {
  address: DirectoryNumber,
  terminal: DeviceName,
  ...domainCause,
});
/** Provider events for a terminal of the domain that (re)registered or unregistered (§1.5). */
const registrationFields = {
  name: DeviceName,
  reason: Type.Integer({
    description: 'TerminalRegistrationReason: 0 unknown, 1 reset, 2 Extension Mobility login, 3 logout',
  }),
  loginUserId: Nullable(
    Type.String(),
    'CiscoTerminal.getEMLoginUsername() after the change: the Extension Mobility user logged in there, or null',
  ),
};
export const CiscoProvTerminalRegisteredEv = event('CiscoProvTerminalRegisteredEv', registrationFields);
export const CiscoProvTerminalUnRegisteredEv = event('CiscoProvTerminalUnRegisteredEv', registrationFields);
export const CiscoTermInServiceEv = event('CiscoTermInServiceEv', { name: DeviceName });
export const CiscoTermOutOfServiceEv = event('CiscoTermOutOfServiceEv', {
  name: DeviceName,
  cause: Type.Integer({ description: 'Why: 0 unregistered, 1008 device restricted, 1009 removed from the domain' }),
});
export const CallCtlAddrForwardEv = event('CallCtlAddrForwardEv', {
  name: DirectoryNumber,
  forwardAll: Nullable(
    ForwardTarget,
    'Forward all as it applies now (set by an application or configured); null when off',
  ),
});
export const CallCtlTermDoNotDisturbEv = event('CallCtlTermDoNotDisturbEv', {
  name: DeviceName,
  on: Type.Boolean({ description: 'CallCtlTermDoNotDisturbEv.getDoNotDisturbState(): do not disturb is on' }),
});
export const CallCtlAddrMessageWaitingEv = event('CallCtlAddrMessageWaitingEv', {
  name: DirectoryNumber,
  waiting: Type.Boolean({ description: 'CallCtlAddrMessageWaitingEv.getMessageWaiting(): the lamp is on' }),
});
export const CiscoAddrInServiceEv = event('CiscoAddrInServiceEv', { name: DirectoryNumber, terminal: DeviceName });
export const CiscoAddrOutOfServiceEv = event('CiscoAddrOutOfServiceEv', {
  name: DirectoryNumber,
  terminal: DeviceName,
});
export const CiscoTermRestrictedEv = event('CiscoTermRestrictedEv', {
  name: DeviceName,
  cause: Type.Integer({ description: 'CiscoRestrictedEv cause (1 = user restricted)' }),
});
export const CiscoTermActivatedEv = event('CiscoTermActivatedEv', { name: DeviceName });
export const CiscoAddrRestrictedEv = event('CiscoAddrRestrictedEv', { name: DirectoryNumber });
export const CiscoAddrActivatedEv = event('CiscoAddrActivatedEv', { name: DirectoryNumber });
export const CiscoAddrRestrictedOnTerminalEv = event('CiscoAddrRestrictedOnTerminalEv', {
  name: DirectoryNumber,
  terminal: DeviceName,
});
export const CiscoAddrActivatedOnTerminalEv = event('CiscoAddrActivatedOnTerminalEv', {
  name: DirectoryNumber,
  terminal: DeviceName,
});

// Route sessions (JTAPI's routing package, §2.9): to the application whose route callback is active.
export const RouteEv = event('RouteEv', {
  ...routeSessionFields,
  callingAddress: Type.String({ description: 'RouteEvent.getCallingAddress()' }),
  callingName: Nullable(Type.String(), 'The caller’s display name, when it sent one'),
  callingTerminal: Nullable(DeviceName, 'RouteEvent.getCallingTerminal(), when the caller is a device of this server'),
  calledAddress: Type.String({ description: 'The number the caller dialled' }),
  originalCalledAddress: Type.String({
    description: 'The number first called, before any forwarding (the mailbox owner for voicemail)',
  }),
  lastRedirectedAddress: Nullable(Type.String(), 'The number that last sent the call on, or null'),
  redirectReason: Nullable(
    Type.String(),
    'Why the call was last sent on: forward-all, forward-busy, forward-no-answer, forward-unregistered, forward-cti-failure, redirect, transfer',
  ),
  routeSelectTimeoutMs: Type.Integer({ description: 'The time left to select a route or end the session' }),
});
export const ReRouteEv = event('ReRouteEv', {
  ...routeSessionFields,
  route: Type.String({ description: 'The destination that could not take the call' }),
  cause: Type.Integer({
    description: 'RouteSession cause: 103 invalid destination, 105 unspecified (busy, out of service)',
  }),
  reason: Type.String({ description: 'Why, for a person' }),
});
export const RouteUsedEv = event('RouteUsedEv', {
  ...routeSessionFields,
  routeUsed: Type.String({ description: 'RouteUsedEvent.getRouteUsed()' }),
  index: Type.Integer({ description: 'CiscoRouteUsedEvent.getRouteSelectedIndex()' }),
});
export const RouteEndEv = event('RouteEndEv', {
  ...routeSessionFields,
  cause: Type.Integer({
    description: 'RouteSession cause: 100 no error, 101 routing timer expired, 104 the call left, 105 unspecified',
  }),
});
export const RouteCallbackEndedEv = event('RouteCallbackEndedEv', {
  routeAddress: DirectoryNumber,
  reason: Type.String({ description: 'Why the callback ended (cancelled, unregistered, removed from the domain)' }),
});
export const RouteCallbackActivatedEv = event('RouteCallbackActivatedEv', {
  routeAddress: DirectoryNumber,
  terminal: DeviceName,
});

// Media of CTI ports and route points registered with media (CiscoMediaTerminal's events, §1.3).
export const CiscoMediaOpenLogicalChannelEv = event('CiscoMediaOpenLogicalChannelEv', {
  ...mediaFields,
  codecs: Type.Array(Codec, { description: 'The codecs the far end offered that the registration allows' }),
  timeoutMs: Type.Integer({ description: 'Answer with terminal.setRtpParams within this time or the call fails' }),
});
export const CiscoRTPInputStartedEv = event('CiscoRTPInputStartedEv', {
  ...mediaFields,
  ...MediaFormatFields,
  address: Type.String({ description: 'The application’s own RTP address, where the far end sends' }),
  port: Type.Integer(),
});
export const CiscoRTPOutputStartedEv = event('CiscoRTPOutputStartedEv', {
  ...mediaFields,
  ...MediaFormatFields,
  remoteAddress: Type.String({ description: 'Where the application sends RTP: the far end' }),
  remotePort: Type.Integer(),
});
export const CiscoRTPInputStoppedEv = event('CiscoRTPInputStoppedEv', mediaFields);
export const CiscoRTPOutputStoppedEv = event('CiscoRTPOutputStoppedEv', mediaFields);

/** Every event schema, by its JTAPI name. */
export const eventSchemas = {
  CallActiveEv,
  CallInvalidEv,
  CallObservationEndedEv,
  ConnCreatedEv,
  ConnInProgressEv,
  ConnAlertingEv,
  ConnConnectedEv,
  ConnDisconnectedEv,
  ConnFailedEv,
  ConnUnknownEv,
  CallCtlConnOfferedEv,
  CallCtlConnQueuedEv,
  CallCtlConnAlertingEv,
  CallCtlConnInitiatedEv,
  CallCtlConnDialingEv,
  CallCtlConnNetworkReachedEv,
  CallCtlConnNetworkAlertingEv,
  CallCtlConnEstablishedEv,
  CallCtlConnDisconnectedEv,
  CallCtlConnFailedEv,
  CallCtlConnUnknownEv,
  TermConnCreatedEv,
  TermConnRingingEv,
  TermConnActiveEv,
  TermConnPassiveEv,
  TermConnDroppedEv,
  TermConnUnknownEv,
  CallCtlTermConnRingingEv,
  CallCtlTermConnTalkingEv,
  CallCtlTermConnHeldEv,
  CallCtlTermConnBridgedEv,
  CallCtlTermConnInUseEv,
  CallCtlTermConnDroppedEv,
  CallCtlTermConnUnknownEv,
  MediaTermConnDtmfEv,
  CiscoTransferStartEv,
  CiscoTransferEndEv,
  CiscoConferenceStartEv,
  CiscoConferenceEndEv,
  ProvInServiceEv,
  ProvOutOfServiceEv,
  ProvShutdownEv,
  ProvObservationEndedEv,
  CiscoProviderCapabilityChangedEv,
  AddrObservationEndedEv,
  TermObservationEndedEv,
  CiscoTermCreatedEv,
  CiscoTermRemovedEv,
  CiscoAddrCreatedEv,
  CiscoAddrRemovedEv,
  CiscoAddrAddedToTerminalEv,
  CiscoAddrRemovedFromTerminalEv,
  CiscoTermInServiceEv,
  CiscoTermOutOfServiceEv,
  CallCtlAddrForwardEv,
  CallCtlAddrMessageWaitingEv,
  CallCtlTermDoNotDisturbEv,
  CiscoAddrInServiceEv,
  CiscoAddrOutOfServiceEv,
  CiscoTermRestrictedEv,
  CiscoTermActivatedEv,
  CiscoAddrRestrictedEv,
  CiscoAddrActivatedEv,
  CiscoAddrRestrictedOnTerminalEv,
  CiscoAddrActivatedOnTerminalEv,
  RouteEv,
  ReRouteEv,
  RouteUsedEv,
  RouteEndEv,
  RouteCallbackEndedEv,
  RouteCallbackActivatedEv,
  CiscoMediaOpenLogicalChannelEv,
  CiscoRTPInputStartedEv,
  CiscoRTPOutputStartedEv,
  CiscoRTPInputStoppedEv,
  CiscoRTPOutputStoppedEv,
  CiscoProvTerminalRegisteredEv,
  CiscoProvTerminalUnRegisteredEv,
} as const satisfies { [K in EventType]: TObject };

/** Any event: a union discriminated on `type` (and `id`). */
export const Event = Type.Union(Object.values(eventSchemas) as Array<(typeof eventSchemas)[EventType]>, {
  title: 'Event',
});
export type Event = Static<typeof Event>;
/** The event whose `type` is T. */
export type EventOf<T extends EventType> = Static<(typeof eventSchemas)[T]>;

/** Events about one call (they carry `callId`, `cause`, `metaCode` and the call's addresses). */
export type CallEvent = Extract<Event, { callId: string; metaCode: number }>;
/** Events about a connection (they carry `connectionState` and `callControlState`). */
export type ConnectionEvent = Extract<Event, { connectionState: string }>;
/** Events about a terminal connection. */
export type TerminalConnectionEvent = Extract<Event, { terminalConnectionState: string }>;
