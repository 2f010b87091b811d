/**
 * JTAPI's states, with the numeric values the JTAPI constants carry (JTAPI 1.2/1.4 `Call`,
 * `CallControlConnection`, `CallControlTerminalConnection`), so the CTI layer maps them out one to
 * one. The engine tracks the call-control refinement; the core state is derived from it and never
 * stored separately.
 */

export type CallState = 'IDLE' | 'ACTIVE' | 'INVALID';
export const callStateValue: Readonly<Record<CallState, number>> = { IDLE: 32, ACTIVE: 33, INVALID: 34 };

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

/** JTAPI `Ev` and `CallCtlEv` causes: why a state changed. */
export type EventCause =
  | 'NORMAL'
  | 'CALL_CANCELLED'
  | 'DEST_NOT_OBTAINABLE'
  | 'RESOURCES_NOT_AVAILABLE'
  | 'NEW_CALL'
  | 'BUSY'
  | 'CALL_NOT_ANSWERED'
  | 'REDIRECTED'
  | 'REORDER_TONE'
  | 'TRANSFER'
  | 'CONFERENCE'
  | 'UNHOLD';

export const eventCauseValue: Readonly<Record<EventCause, number>> = {
  NORMAL: 100,
  CALL_CANCELLED: 102,
  DEST_NOT_OBTAINABLE: 103,
  RESOURCES_NOT_AVAILABLE: 107,
  NEW_CALL: 106,
  BUSY: 203,
  CALL_NOT_ANSWERED: 205,
  REDIRECTED: 210,
  REORDER_TONE: 211,
  TRANSFER: 212,
  CONFERENCE: 207,
  UNHOLD: 214,
};
