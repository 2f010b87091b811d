/**
 * JTAPI's states, with the numeric values the JTAPI constants carry (JTAPI 1.2/1.4 `Call`,
 * `CallControlConnection`, `CallControlTerminalConnection`), so the CTI layer maps them out one to
 * one. The engine tracks the call-control refinement; the core state is derived from it and never
 * stored separately.
 */

export type CallState = 'IDLE' | 'ACTIVE' | 'INVALID';
export const callStateValue: Readonly<Record<CallState, number>> = { IDLE: 32, ACTIVE: 33, INVALID: 34 };

/** Legal call moves (§2.3): IDLE → ACTIVE → INVALID, or IDLE → INVALID; INVALID is final. */
export const callStateTransitions: Readonly<Record<CallState, readonly CallState[]>> = {
  IDLE: ['ACTIVE', 'INVALID'],
  ACTIVE: ['INVALID'],
  INVALID: [],
};

/** Core `Connection` states. */
export type ConnectionCoreState =
  'IDLE' | 'INPROGRESS' | 'ALERTING' | 'CONNECTED' | 'DISCONNECTED' | 'FAILED' | 'UNKNOWN';
export const connectionCoreValue: Readonly<Record<ConnectionCoreState, number>> = {
  IDLE: 48,
  INPROGRESS: 49,
  ALERTING: 50,
  CONNECTED: 51,
  DISCONNECTED: 52,
  FAILED: 53,
  UNKNOWN: 54,
};

/** `CallControlConnection` states. */
export type ConnectionState =
  | 'IDLE'
  | 'OFFERED'
  | 'QUEUED'
  | 'ALERTING'
  | 'INITIATED'
  | 'DIALING'
  | 'NETWORK_REACHED'
  | 'NETWORK_ALERTING'
  | 'ESTABLISHED'
  | 'DISCONNECTED'
  | 'FAILED'
  | 'UNKNOWN';

export const connectionStateValue: Readonly<Record<ConnectionState, number>> = {
  IDLE: 80,
  OFFERED: 81,
  QUEUED: 82,
  ALERTING: 83,
  INITIATED: 84,
  DIALING: 85,
  NETWORK_REACHED: 86,
  NETWORK_ALERTING: 87,
  ESTABLISHED: 88,
  DISCONNECTED: 89,
  FAILED: 90,
  UNKNOWN: 91,
};

/** The fixed core equivalent of each call-control connection state (JTAPI CallControlConnection). */
export const connectionCoreState: Readonly<Record<ConnectionState, ConnectionCoreState>> = {
  IDLE: 'IDLE',
  OFFERED: 'INPROGRESS',
  QUEUED: 'INPROGRESS',
  ALERTING: 'ALERTING',
  INITIATED: 'CONNECTED',
  DIALING: 'CONNECTED',
  NETWORK_REACHED: 'CONNECTED',
  NETWORK_ALERTING: 'CONNECTED',
  ESTABLISHED: 'CONNECTED',
  DISCONNECTED: 'DISCONNECTED',
  FAILED: 'FAILED',
  UNKNOWN: 'UNKNOWN',
};

/**
 * Legal call-control connection moves. The originating side walks INITIATED → DIALING →
 * ESTABLISHED; the destination side IDLE → OFFERED/QUEUED → ALERTING → ESTABLISHED. Any live state
 * may fail or disconnect; FAILED still ends in DISCONNECTED when the leg is cleared.
 */
export const connectionTransitions: Readonly<Record<ConnectionState, readonly ConnectionState[]>> = {
  IDLE: [
    'OFFERED',
    'QUEUED',
    'ALERTING',
    'INITIATED',
    'DIALING',
    'ESTABLISHED',
    'NETWORK_REACHED',
    'FAILED',
    'DISCONNECTED',
  ],
  OFFERED: ['ALERTING', 'QUEUED', 'ESTABLISHED', 'FAILED', 'DISCONNECTED'],
  QUEUED: ['OFFERED', 'ALERTING', 'ESTABLISHED', 'FAILED', 'DISCONNECTED'],
  ALERTING: ['ESTABLISHED', 'FAILED', 'DISCONNECTED'],
  INITIATED: ['DIALING', 'ESTABLISHED', 'FAILED', 'DISCONNECTED'],
  DIALING: ['ESTABLISHED', 'NETWORK_REACHED', 'FAILED', 'DISCONNECTED'],
  NETWORK_REACHED: ['NETWORK_ALERTING', 'ESTABLISHED', 'FAILED', 'DISCONNECTED'],
  NETWORK_ALERTING: ['ESTABLISHED', 'FAILED', 'DISCONNECTED'],
  ESTABLISHED: ['FAILED', 'DISCONNECTED'],
  FAILED: ['DISCONNECTED'],
  DISCONNECTED: [],
  UNKNOWN: ['OFFERED', 'QUEUED', 'ALERTING', 'ESTABLISHED', 'FAILED', 'DISCONNECTED'],
};

/** Core `TerminalConnection` states. */
export type TerminalConnectionCoreState = 'IDLE' | 'RINGING' | 'PASSIVE' | 'ACTIVE' | 'DROPPED' | 'UNKNOWN';
export const terminalConnectionCoreValue: Readonly<Record<TerminalConnectionCoreState, number>> = {
  IDLE: 64,
  RINGING: 65,
  PASSIVE: 66,
  ACTIVE: 67,
  DROPPED: 68,
  UNKNOWN: 69,
};

/** `CallControlTerminalConnection` states. */
export type TerminalConnectionState =
  'IDLE' | 'RINGING' | 'TALKING' | 'HELD' | 'BRIDGED' | 'INUSE' | 'DROPPED' | 'UNKNOWN';
export const terminalConnectionStateValue: Readonly<Record<TerminalConnectionState, number>> = {
  IDLE: 96,
  RINGING: 97,
  TALKING: 98,
  HELD: 99,
  BRIDGED: 100,
  INUSE: 101,
  DROPPED: 102,
  UNKNOWN: 103,
};

export const terminalConnectionCoreState: Readonly<Record<TerminalConnectionState, TerminalConnectionCoreState>> = {
  IDLE: 'IDLE',
  RINGING: 'RINGING',
  TALKING: 'ACTIVE',
  HELD: 'ACTIVE',
  BRIDGED: 'PASSIVE',
  INUSE: 'PASSIVE',
  DROPPED: 'DROPPED',
  UNKNOWN: 'UNKNOWN',
};

export const terminalConnectionTransitions: Readonly<
  Record<TerminalConnectionState, readonly TerminalConnectionState[]>
> = {
  IDLE: ['RINGING', 'TALKING', 'BRIDGED', 'INUSE', 'DROPPED'],
  RINGING: ['TALKING', 'BRIDGED', 'INUSE', 'DROPPED'],
  TALKING: ['HELD', 'BRIDGED', 'INUSE', 'DROPPED'],
  HELD: ['TALKING', 'BRIDGED', 'INUSE', 'DROPPED'],
  BRIDGED: ['TALKING', 'INUSE', 'DROPPED'],
  INUSE: ['TALKING', 'BRIDGED', 'DROPPED'],
  DROPPED: [],
  UNKNOWN: ['RINGING', 'TALKING', 'HELD', 'BRIDGED', 'INUSE', 'DROPPED'],
};

/**
 * JTAPI's core cause, `Ev.getCause()`: why a state changed, in the terms every JTAPI observer
 * understands (`Ev.CAUSE_NORMAL` 100 … `CAUSE_SNAPSHOT` 110).
 */
export type CoreCause =
  | 'NORMAL'
  | 'UNKNOWN'
  | 'CALL_CANCELLED'
  | 'DEST_NOT_OBTAINABLE'
  | 'INCOMPATIBLE_DESTINATION'
  | 'LOCKOUT'
  | 'NEW_CALL'
  | 'RESOURCES_NOT_AVAILABLE'
  | 'NETWORK_CONGESTION'
  | 'NETWORK_NOT_OBTAINABLE'
  | 'SNAPSHOT';

export const coreCauseValue: Readonly<Record<CoreCause, number>> = {
  NORMAL: 100,
  UNKNOWN: 101,
  CALL_CANCELLED: 102,
  DEST_NOT_OBTAINABLE: 103,
  INCOMPATIBLE_DESTINATION: 104,
  LOCKOUT: 105,
  NEW_CALL: 106,
  RESOURCES_NOT_AVAILABLE: 107,
  NETWORK_CONGESTION: 108,
  NETWORK_NOT_OBTAINABLE: 109,
  SNAPSHOT: 110,
};

/** JTAPI's call-control cause, `CallCtlEv.getCallControlCause()` (`CAUSE_ALTERNATE` 202 … `CAUSE_UNHOLD` 214). */
export type CallControlCause =
  | 'ALTERNATE'
  | 'BUSY'
  | 'CALL_BACK'
  | 'CALL_NOT_ANSWERED'
  | 'CALL_PICKUP'
  | 'CONFERENCE'
  | 'DO_NOT_DISTURB'
  | 'PARK'
  | 'REDIRECTED'
  | 'REORDER_TONE'
  | 'TRANSFER'
  | 'TRUNKS_BUSY'
  | 'UNHOLD';

export const callControlCauseValue: Readonly<Record<CallControlCause, number>> = {
  ALTERNATE: 202,
  BUSY: 203,
  CALL_BACK: 204,
  CALL_NOT_ANSWERED: 205,
  CALL_PICKUP: 206,
  CONFERENCE: 207,
  DO_NOT_DISTURB: 208,
  PARK: 209,
  REDIRECTED: 210,
  REORDER_TONE: 211,
  TRANSFER: 212,
  TRUNKS_BUSY: 213,
  UNHOLD: 214,
};

/**
 * Cisco's cause, `CiscoCallEv.getCiscoCause()`: Q.850 cause values (ITU-T Q.850 Table 1) and Cisco's
 * own above 200. The engine fills it from the Q.850 cause of a release (`ReleaseCause.q850`), so a
 * SIP response's cause reaches the event as RFC 3398 maps it.
 */
export const ciscoCause = {
  NOERROR: 0,
  UNALLOCATEDNUMBER: 1,
  NORMALCALLCLEARING: 16,
  USERBUSY: 17,
  NOUSERRESPONDING: 18,
  NOANSWERFROMUSER: 19,
  SUBSCRIBERABSENT: 20,
  CALLREJECTED: 21,
  NONSELECTEDUSERCLEARING: 26,
  DESTINATIONOUTOFORDER: 27,
  NOCIRCUIT: 34,
  TEMPORARYFAILURE: 41,
  REDIRECTED: 200,
  OUTBOUNDTRANSFER: 501,
  OUTBOUNDCONFERENCE: 502,
  INBOUNDTRANSFER: 503,
  INBOUNDCONFERENCE: 504,
  INBOUNDBLINDTRANSFER: 505,
} as const;

/**
 * Why a connection is in its call, `CiscoConnection.getReason()`: called directly, reached by a
 * transfer, by one of the three forwards, or by a redirect; `OUTBOUND` is for connections that
 * leave the system through a gateway (none yet).
 */
export type ConnectionReason =
  'DIRECTCALL' | 'TRANSFERREDCALL' | 'FORWARDNOANSWER' | 'FORWARDBUSY' | 'FORWARDALL' | 'REDIRECT' | 'OUTBOUND';

export const connectionReasonValue: Readonly<Record<ConnectionReason, number>> = {
  DIRECTCALL: 1,
  TRANSFERREDCALL: 2,
  FORWARDNOANSWER: 3,
  FORWARDBUSY: 4,
  FORWARDALL: 5,
  REDIRECT: 6,
  OUTBOUND: 99,
};

/**
 * The finer feature reason, `CiscoFeatureReason` (via `CiscoCallEv.getCiscoFeatureReason()`): which
 * feature made the change — a consult or blind transfer, a conference, or nothing special.
 */
export type FeatureReason = 'NORMAL' | 'TRANSFER' | 'BLINDTRANSFER' | 'CONFERENCE' | 'CALLPICKUP' | 'PARK' | 'UNPARK';

export const featureReasonValue: Readonly<Record<FeatureReason, number>> = {
  NORMAL: 12,
  TRANSFER: 2,
  BLINDTRANSFER: 7,
  CONFERENCE: 9,
  CALLPICKUP: 11,
  PARK: 10,
  UNPARK: 16,
};

/**
 * JTAPI's meta codes, `CallEv.getMetaCode()`: what larger happening an event is part of (a call
 * starting, a party added or removed, a transfer…), so an observer can group a batch.
 */
export type MetaCode =
  | 'CALL_STARTING'
  | 'CALL_PROGRESS'
  | 'CALL_ADDITIONAL_PARTY'
  | 'CALL_REMOVING_PARTY'
  | 'CALL_ENDING'
  | 'CALL_MERGING'
  | 'CALL_TRANSFERRING'
  | 'SNAPSHOT'
  | 'UNKNOWN';

export const metaCodeValue: Readonly<Record<MetaCode, number>> = {
  CALL_STARTING: 128,
  CALL_PROGRESS: 129,
  CALL_ADDITIONAL_PARTY: 130,
  CALL_REMOVING_PARTY: 131,
  CALL_ENDING: 132,
  CALL_MERGING: 133,
  CALL_TRANSFERRING: 134,
  SNAPSHOT: 135,
  UNKNOWN: 136,
};
