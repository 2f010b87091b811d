import { EventId, type Event } from '@strowger/protocol';
import {
  callControlCauseValue,
  connectionReasonValue,
  coreCauseValue,
  featureReasonValue,
  metaCodeValue,
  type CallEvent,
  type CallParties,
  type CallSnapshot,
  type CallState,
  type ConnectionCoreState,
  type ConnectionState,
  type TerminalConnectionCoreState,
  type TerminalConnectionState,
} from '../../switch/index.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event before its provider stamps it with `seq` and the observer it is for. */
export type EventBody = DistributiveOmit<Event, 'seq' | 'observerId'>;
export type CallEventBody = Extract<EventBody, { callId: string; metaCode: number }>;

const coreConnectionEvent = {
  INPROGRESS: 'ConnInProgressEv',
  ALERTING: 'ConnAlertingEv',
  CONNECTED: 'ConnConnectedEv',
  DISCONNECTED: 'ConnDisconnectedEv',
  FAILED: 'ConnFailedEv',
  UNKNOWN: 'ConnUnknownEv',
} as const satisfies Partial<Record<ConnectionCoreState, EventBody['type']>>;

const callControlConnectionEvent = {
  OFFERED: 'CallCtlConnOfferedEv',
  QUEUED: 'CallCtlConnQueuedEv',
  ALERTING: 'CallCtlConnAlertingEv',
  INITIATED: 'CallCtlConnInitiatedEv',
  DIALING: 'CallCtlConnDialingEv',
  NETWORK_REACHED: 'CallCtlConnNetworkReachedEv',
  NETWORK_ALERTING: 'CallCtlConnNetworkAlertingEv',
  ESTABLISHED: 'CallCtlConnEstablishedEv',
  DISCONNECTED: 'CallCtlConnDisconnectedEv',
  FAILED: 'CallCtlConnFailedEv',
  UNKNOWN: 'CallCtlConnUnknownEv',
} as const satisfies Partial<Record<ConnectionState, EventBody['type']>>;

const coreTerminalConnectionEvent = {
  RINGING: 'TermConnRingingEv',
  PASSIVE: 'TermConnPassiveEv',
  ACTIVE: 'TermConnActiveEv',
  DROPPED: 'TermConnDroppedEv',
  UNKNOWN: 'TermConnUnknownEv',
} as const satisfies Partial<Record<TerminalConnectionCoreState, EventBody['type']>>;

const callControlTerminalConnectionEvent = {
  RINGING: 'CallCtlTermConnRingingEv',
  TALKING: 'CallCtlTermConnTalkingEv',
  HELD: 'CallCtlTermConnHeldEv',
  BRIDGED: 'CallCtlTermConnBridgedEv',
  INUSE: 'CallCtlTermConnInUseEv',
  DROPPED: 'CallCtlTermConnDroppedEv',
  UNKNOWN: 'CallCtlTermConnUnknownEv',
} as const satisfies Partial<Record<TerminalConnectionState, EventBody['type']>>;

/**
 * Builds one event body. The event's numeric id comes from its type, so the two can never disagree;
 * TypeScript cannot follow a type chosen at run time into the union, hence the one cast here.
 */
function make(type: CallEventBody['type'], fields: object): CallEventBody {
  return { ...fields, id: EventId[type], type } as CallEventBody;
}

/** The causes and meta code of one event, as numbers. */
export interface EventCauses {
  cause: number;
  callControlCause: number | null;
  ciscoCause: number;
  metaCode: number;
  featureReason: number;
}

/** The call-level fields every call event carries. */
function callFields(callId: string, parties: CallParties, causes: EventCauses, at: number) {
  return {
    at,
    callId,
    ...causes,
    callingAddress: parties.callingAddress,
    callingTerminal: parties.callingTerminal ?? null,
    calledAddress: parties.calledAddress,
    lastRedirectedAddress: parties.lastRedirectedAddress ?? null,
    currentCallingAddress: parties.currentCallingAddress,
    currentCalledAddress: parties.currentCalledAddress,
    callingName: parties.callingName ?? null,
    currentCallingName: parties.currentCallingName ?? null,
  };
}

function causesOf(event: CallEvent): EventCauses {
  return {
    cause: coreCauseValue[event.cause],
    callControlCause: event.callControlCause === undefined ? null : callControlCauseValue[event.callControlCause],
    ciscoCause: event.ciscoCause,
    metaCode: metaCodeValue[event.metaCode],
    featureReason: featureReasonValue[event.featureReason],
  };
}

/** What the mapper needs to know about the state before the event: the previous core states. */
export interface PreviousStates {
  connectionCore: ConnectionCoreState | undefined;
  terminalConnectionCore: TerminalConnectionCoreState | undefined;
}

/**
 * One engine call event as JTAPI's events (domain reference §2.4–2.6): a state change is the core
 * event when the core state changed, then the call-control event, in that order (JTAPI delivers
 * both for one change).
 */
export function jtapiEventsOf(event: CallEvent, previous: PreviousStates): CallEventBody[] {
  const base = callFields(event.callId, event, causesOf(event), event.at);
  switch (event.type) {
    case 'call.state':
      return event.state === 'ACTIVE'
        ? [make('CallActiveEv', base)]
        : event.state === 'INVALID'
          ? [make('CallInvalidEv', base)]
          : [];
    case 'connection.created':
      return [
        make('ConnCreatedEv', {
          ...base,
          ...connectionFields(event.address, 'IDLE', 'IDLE', connectionReasonValue[event.reason]),
        }),
      ];
    case 'connection.state':
      return connectionStateEvents(
        base,
        connectionFields(event.address, event.coreState, event.state, connectionReasonValue[event.reason]),
        previous.connectionCore,
      );
    case 'terminalConnection.created':
      return [
        make('TermConnCreatedEv', {
          ...base,
          ...terminalConnectionFields(event.terminal, event.address, 'IDLE', 'IDLE'),
        }),
      ];
    case 'terminalConnection.state':
      return terminalConnectionStateEvents(
        base,
        terminalConnectionFields(event.terminal, event.address, event.coreState, event.state),
        previous.terminalConnectionCore,
      );
    case 'terminalConnection.dtmf':
      return [
        make('MediaTermConnDtmfEv', {
          ...base,
          ...terminalConnectionFields(event.terminal, event.address, event.coreState, event.state),
          digit: event.digit,
        }),
      ];
    case 'call.transferStart':
    case 'call.transferEnd': {
      const type = event.type === 'call.transferStart' ? 'CiscoTransferStartEv' : 'CiscoTransferEndEv';
      return [
        make(type, {
          ...base,
          transferredCallId: event.transferredCallId,
          finalCallId: event.finalCallId,
          controllerAddress: event.controllerAddress,
          controllerTerminal: event.controllerTerminal,
        }),
      ];
    }
    case 'call.conferenceStart':
    case 'call.conferenceEnd': {
      const type = event.type === 'call.conferenceStart' ? 'CiscoConferenceStartEv' : 'CiscoConferenceEndEv';
      return [
        make(type, {
          ...base,
          consultCallId: event.consultCallId,
          finalCallId: event.finalCallId,
          controllerAddress: event.controllerAddress,
          controllerTerminal: event.controllerTerminal,
        }),
      ];
    }
  }
}

function connectionFields(address: string, core: ConnectionCoreState, state: ConnectionState, reason: number) {
  return { address, connectionState: core, callControlState: state, reason };
}

function terminalConnectionFields(
  terminal: string,
  address: string,
  core: TerminalConnectionCoreState,
  state: TerminalConnectionState,
) {
  return { terminal, address, terminalConnectionState: core, callControlTerminalConnectionState: state };
}

function connectionStateEvents(
  base: ReturnType<typeof callFields>,
  fields: ReturnType<typeof connectionFields>,
  previousCore: ConnectionCoreState | undefined,
): CallEventBody[] {
  const events: CallEventBody[] = [];
  const core = fields.connectionState;
  if (core !== previousCore && core !== 'IDLE') {
    const type = coreConnectionEvent[core];
    events.push(make(type, { ...base, ...fields }));
  }
  const state = fields.callControlState;
  if (state !== 'IDLE') {
    const type = callControlConnectionEvent[state];
    // NOTE: the engine dials en bloc (digit analysis on the whole number), so DIALING carries the
    // number dialled, which is the called address.
    events.push(
      type === 'CallCtlConnDialingEv'
        ? make(type, { ...base, ...fields, digits: base.calledAddress })
        : make(type, { ...base, ...fields }),
    );
  }
  return events;
}

function terminalConnectionStateEvents(
  base: ReturnType<typeof callFields>,
  fields: ReturnType<typeof terminalConnectionFields>,
  previousCore: TerminalConnectionCoreState | undefined,
): CallEventBody[] {
  const events: CallEventBody[] = [];
  const core = fields.terminalConnectionState;
  if (core !== previousCore && core !== 'IDLE') {
    const type = coreTerminalConnectionEvent[core];
    events.push(make(type, { ...base, ...fields }));
  }
  const state = fields.callControlTerminalConnectionState;
  if (state !== 'IDLE') {
    const type = callControlTerminalConnectionEvent[state];
    events.push(make(type, { ...base, ...fields }));
  }
  return events;
}

/**
 * The events that recreate a call as it is now (JTAPI's snapshot of a call already in progress,
 * §2.1): CallActiveEv, then per connection ConnCreatedEv and its current state, then per terminal
 * connection TermConnCreatedEv and its current state, all with the given causes (CAUSE_SNAPSHOT and
 * META_SNAPSHOT for a snapshot on observer.add). Connections and terminal connections that are
 * already gone are left out: they are no part of the call any more.
 */
export function eventsRecreating(call: CallSnapshot, causes: EventCauses, at: number): CallEventBody[] {
  const base = callFields(call.callId, call, causes, at);
  const events: CallEventBody[] = [];
  if (call.state !== ('ACTIVE' satisfies CallState)) return events;
  events.push(make('CallActiveEv', base));
  for (const connection of call.connections) {
    if (connection.coreState === 'DISCONNECTED' || connection.coreState === 'FAILED') continue;
    const fields = connectionFields(
      connection.address,
      connection.coreState,
      connection.state,
      connectionReasonValue[connection.reason],
    );
    events.push(make('ConnCreatedEv', { ...base, ...fields }));
    events.push(...connectionStateEvents(base, fields, undefined));
    for (const tc of connection.terminalConnections) {
      if (tc.coreState === 'DROPPED') continue;
      const tcFields = terminalConnectionFields(tc.terminal, connection.address, tc.coreState, tc.state);
      events.push(make('TermConnCreatedEv', { ...base, ...tcFields }));
      events.push(...terminalConnectionStateEvents(base, tcFields, undefined));
    }
  }
  return events;
}

/** CallObservationEndedEv for one call: the observer sees nothing more of it. */
export function observationEnded(call: { callId: string } & CallParties, at: number): CallEventBody {
  return make(
    'CallObservationEndedEv',
    callFields(
      call.callId,
      call,
      {
        cause: coreCauseValue.NORMAL,
        callControlCause: null,
        ciscoCause: 0,
        metaCode: metaCodeValue.CALL_ENDING,
        featureReason: featureReasonValue.NORMAL,
      },
      at,
    ),
  );
}
