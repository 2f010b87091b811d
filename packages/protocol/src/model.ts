import { Type, type Static } from '@sinclair/typebox';
import {
  CallControlConnectionState,
  CallControlTerminalConnectionState,
  CallState,
  ConnectionState,
  ProviderState,
  TerminalConnectionState,
} from './jtapi.js';
import { namesOf, Nullable } from './schema-helpers.js';

export const DeviceName = Type.String({
  minLength: 1,
  maxLength: 128,
  description: 'A device (terminal) name, e.g. SEP001122334455',
});
export const DirectoryNumber = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'A directory number (address), e.g. 1001',
});
export const ProviderId = Type.String({
  minLength: 1,
  maxLength: 128,
  description: 'Names one open provider; unique across server restarts',
});
export const ObserverId = Type.String({
  minLength: 1,
  maxLength: 128,
  description: 'Names one observer within its provider',
});
export const CallId = Type.String({
  minLength: 1,
  maxLength: 128,
  description: "The engine's call id, unique across restarts",
});
/** Where calls are forwarded: a number, or the line's voicemail. */
export const ForwardTarget = Type.Union(
  [
    Type.Object({ destination: Type.String({ minLength: 1, maxLength: 64 }) }),
    Type.Object({ voicemail: Type.Literal(true) }),
  ],
  { description: 'A forward target: { destination } or { voicemail: true }' },
);
export type ForwardTarget = Static<typeof ForwardTarget>;

export const Seq = Type.Integer({ minimum: 0, description: 'A provider sequence number (0 = before the first event)' });

export const ProviderStateName = namesOf(
  ProviderState,
  'Provider state (IN_SERVICE 16, OUT_OF_SERVICE 17, SHUTDOWN 18)',
);
export const CallStateName = namesOf(CallState, 'Call state (IDLE 32, ACTIVE 33, INVALID 34)');
export const ConnectionStateName = namesOf(ConnectionState, 'Core Connection state (48–54)');
export const CallControlConnectionStateName = namesOf(
  CallControlConnectionState,
  'CallControlConnection state (80–91)',
);
export const TerminalConnectionStateName = namesOf(TerminalConnectionState, 'Core TerminalConnection state (64–69)');
export const CallControlTerminalConnectionStateName = namesOf(
  CallControlTerminalConnectionState,
  'CallControlTerminalConnection state (96–103)',
);

export type ProviderStateName = Static<typeof ProviderStateName>;
export type CallStateName = Static<typeof CallStateName>;
export type ConnectionStateName = Static<typeof ConnectionStateName>;
export type CallControlConnectionStateName = Static<typeof CallControlConnectionStateName>;
export type TerminalConnectionStateName = Static<typeof TerminalConnectionStateName>;
export type CallControlTerminalConnectionStateName = Static<typeof CallControlTerminalConnectionStateName>;

export const TerminalType = Type.Union(
  [Type.Literal('sip-phone'), Type.Literal('cti-route-point'), Type.Literal('cti-port')],
  { description: 'The device type' },
);

/** A device in the provider's domain (JTAPI Terminal / CiscoTerminal). */
export const Terminal = Type.Object(
  {
    name: DeviceName,
    type: TerminalType,
    restricted: Type.Boolean({
      description: 'Its "Allow Control of Device from CTI" is off: listed, but it cannot be observed',
    }),
    inService: Type.Boolean({ description: 'A SIP phone is in service while registered' }),
    acquired: Type.Boolean({
      description: 'Reached through provider.createTerminal (all-devices role), not the controlled devices',
    }),
    addresses: Type.Array(DirectoryNumber, { description: 'Its lines in line-index order' }),
  },
  { description: 'A terminal (device) of the provider' },
);
export type Terminal = Static<typeof Terminal>;

export const AddressTerminal = Type.Object({
  terminal: DeviceName,
  restricted: Type.Boolean({ description: 'This appearance is restricted (the line or that device is restricted)' }),
  inService: Type.Boolean(),
});
export type AddressTerminal = Static<typeof AddressTerminal>;

/** A line in the provider's domain (JTAPI Address / CiscoAddress), with its appearances. */
export const Address = Type.Object(
  {
    name: DirectoryNumber,
    restricted: Type.Boolean({ description: 'Every appearance is restricted: it cannot be observed' }),
    inService: Type.Boolean({ description: 'At least one of its unrestricted terminals is in service' }),
    terminals: Type.Array(AddressTerminal),
  },
  { description: 'An address (line) of the provider' },
);
export type Address = Static<typeof Address>;

/** A configured device or line the provider does not include, and the evaluator's reason. */
export const Excluded = Type.Object({
  kind: Type.Union([Type.Literal('terminal'), Type.Literal('address')]),
  name: Type.String(),
  code: Type.String({ description: 'The error code observing it would give, e.g. ACCESS_TO_DEVICE_DENIED' }),
  reason: Type.String({ description: 'A sentence a person reads' }),
});
export type Excluded = Static<typeof Excluded>;

/** CiscoProviderCapabilities: what the user's roles allow beyond observing the domain. */
export const Capabilities = Type.Object({
  observeAnyTerminal: Type.Boolean({ description: 'Standard CTI Allow Control of All Devices (superprovider)' }),
  modifyCallingParty: Type.Boolean({ description: 'Standard CTI Allow Calling Number Modification' }),
  monitor: Type.Boolean({ description: 'Standard CTI Allow Call Monitoring' }),
  record: Type.Boolean({ description: 'Standard CTI Allow Call Recording' }),
  monitorParkDns: Type.Boolean({ description: 'Standard CTI Allow Call Park Monitoring' }),
  secureConnection: Type.Boolean({ description: 'Standard CTI Secure Connection' }),
});
export type Capabilities = Static<typeof Capabilities>;

export const UserKind = Type.Union([Type.Literal('end-user'), Type.Literal('application-user')]);
export type UserKind = Static<typeof UserKind>;

export const ProviderUser = Type.Object({ userId: Type.String(), kind: UserKind });

/** One terminal connection of a call in a snapshot. */
export const TerminalConnectionSnapshot = Type.Object({
  terminal: DeviceName,
  terminalConnectionState: TerminalConnectionStateName,
  callControlTerminalConnectionState: CallControlTerminalConnectionStateName,
});

/** One connection of a call in a snapshot. */
export const ConnectionSnapshot = Type.Object({
  address: Type.String(),
  connectionState: ConnectionStateName,
  callControlState: CallControlConnectionStateName,
  reason: Type.Integer({ description: 'CiscoConnection reason (1 direct … 99 outbound)' }),
  terminalConnections: Type.Array(TerminalConnectionSnapshot),
});

/** A call in progress as it is now. */
export const CallSnapshot = Type.Object({
  callId: CallId,
  state: CallStateName,
  callingAddress: Nullable(Type.String()),
  calledAddress: Nullable(Type.String()),
  lastRedirectedAddress: Nullable(Type.String()),
  currentCallingAddress: Nullable(Type.String()),
  currentCalledAddress: Nullable(Type.String()),
  callingName: Nullable(Type.String()),
  currentCallingName: Nullable(Type.String()),
  connections: Type.Array(ConnectionSnapshot),
});
export type CallSnapshot = Static<typeof CallSnapshot>;

const providerFields = {
  providerId: ProviderId,
  state: ProviderStateName,
  stateId: Type.Integer({ description: 'The numeric JTAPI provider state' }),
  user: ProviderUser,
  capabilities: Capabilities,
  terminals: Type.Array(Terminal),
  addresses: Type.Array(Address),
  excluded: Type.Array(Excluded),
  seq: Seq,
};

/** The result of provider.open: the domain, what is excluded and why, and where the sequence stands. */
export const ProviderOpened = Type.Object(
  {
    ...providerFields,
    resumed: Type.Boolean({ description: 'true when a resume filled the gap: the missed events follow' }),
  },
  { description: 'An open provider' },
);
export type ProviderOpened = Static<typeof ProviderOpened>;

/** The whole provider view, consistent with `seq`: provider.snapshot's result and a resync frame's content. */
export const ProviderSnapshot = Type.Object(
  {
    ...providerFields,
    calls: Type.Array(CallSnapshot, { description: 'Calls in progress at observed terminals and addresses' }),
  },
  { description: 'A provider snapshot' },
);
export type ProviderSnapshot = Static<typeof ProviderSnapshot>;

/** What an observer watches. */
export const Target = Type.Union(
  [
    Type.Object({ kind: Type.Literal('provider') }),
    Type.Object({ kind: Type.Literal('terminal'), name: DeviceName }),
    Type.Object({ kind: Type.Literal('address'), name: DirectoryNumber }),
    Type.Object({ kind: Type.Literal('call'), callId: CallId }),
  ],
  { description: 'The object an observer watches' },
);
export type Target = Static<typeof Target>;
