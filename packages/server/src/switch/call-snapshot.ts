import type { Call } from './call-model.js';
import type { SwitchDeviceType } from './config.js';
import type { CallParties } from './events.js';
import {
  connectionCoreState,
  terminalConnectionCoreState,
  type CallState,
  type ConnectionCoreState,
  type ConnectionReason,
  type ConnectionState,
  type TerminalConnectionCoreState,
  type TerminalConnectionState,
} from './states.js';

/**
 * Snapshots: the JTAPI objects of a call, a device or a line as they are now, each naming the
 * engine sequence number (`engineSeq`) of the last event it includes. A CTI session that takes a
 * snapshot and then applies every event with a higher `engineSeq` misses nothing and sees nothing
 * twice; that is how it resumes after a gap (and how JTAPI's CAUSE_SNAPSHOT events are made).
 */

export interface TerminalConnectionSnapshot {
  readonly id: string;
  readonly terminal: string;
  readonly state: TerminalConnectionState;
  readonly coreState: TerminalConnectionCoreState;
}

export interface ConnectionSnapshot {
  readonly id: string;
  readonly address: string;
  readonly reason: ConnectionReason;
  readonly state: ConnectionState;
  readonly coreState: ConnectionCoreState;
  readonly terminalConnections: readonly TerminalConnectionSnapshot[];
}

export interface CallSnapshot extends CallParties {
  readonly callId: string;
  readonly state: CallState;
  /** The call's own sequence number of the last event included: the next event of the call has `seq + 1`. */
  readonly seq: number;
  /** Every connection the call has had, the disconnected ones too (JTAPI keeps them). */
  readonly connections: readonly ConnectionSnapshot[];
}

export interface TerminalSnapshot {
  readonly engineSeq: number;
  readonly name: string;
  readonly type: SwitchDeviceType;
  readonly inService: boolean;
  /** "Allow control of device from CTI" is off: CiscoTerminal.isRestricted(). */
  readonly restricted: boolean;
  readonly lines: readonly string[];
  /** The calls the device has a terminal connection in. */
  readonly calls: readonly CallSnapshot[];
}

export interface AddressSnapshot {
  readonly engineSeq: number;
  readonly dn: string;
  /** "Allow control from CTI" is off on the line. */
  readonly restricted: boolean;
  /** The devices the line appears on, each with whether it is in service (CiscoAddress.getInServiceAddrTerminals()). */
  readonly terminals: ReadonlyArray<{ readonly name: string; readonly inService: boolean }>;
  /** The calls the line has a connection in. */
  readonly calls: readonly CallSnapshot[];
}

export function snapshotOfCall(call: Call): CallSnapshot {
  return {
    callId: call.id,
    state: call.state,
    seq: call.seq,
    ...call.parties,
    connections: call.connections.map((connection) => ({
      id: connection.id,
      address: connection.address,
      reason: connection.reason,
      state: connection.state,
      coreState: connectionCoreState[connection.state],
      terminalConnections: connection.terminalConnections.map((tc) => ({
        id: tc.id,
        terminal: tc.terminal,
        state: tc.state,
        coreState: terminalConnectionCoreState[tc.state],
      })),
    })),
  };
}
