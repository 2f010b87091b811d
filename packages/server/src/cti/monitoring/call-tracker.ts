import type {
  CallEvent,
  CallParties,
  CallSnapshot,
  CallState,
  ConnectionCoreState,
  ConnectionReason,
  ConnectionState,
  TerminalConnectionCoreState,
  TerminalConnectionState,
} from '../../switch/index.js';
import type { PreviousStates } from './jtapi-event-mapper.js';

interface TrackedTerminalConnection {
  id: string;
  terminal: string;
  state: TerminalConnectionState;
  coreState: TerminalConnectionCoreState;
}

interface TrackedConnection {
  id: string;
  address: string;
  reason: ConnectionReason;
  state: ConnectionState;
  coreState: ConnectionCoreState;
  terminalConnections: Map<string, TrackedTerminalConnection>;
}

interface TrackedCall {
  callId: string;
  state: CallState;
  seq: number;
  parties: CallParties;
  connections: Map<string, TrackedConnection>;
  /** A transfer or conference started on this call and has not ended yet. */
  merging: boolean;
}

/**
 * The calls in progress as the engine's event stream describes them, kept by the CTI layer so it can
 * tell which addresses and terminals a call touches (who may see it), what the state was before an
 * event (JTAPI sends the core event only when the core state changed), and recreate a call for an
 * observer that starts seeing it midway. Built from the events alone, so it is consistent with them.
 */
export class CallTracker {
  readonly #calls = new Map<string, TrackedCall>();

  get size(): number {
    return this.#calls.size;
  }

  /** The addresses and terminals the call touches (live or not), before the event is applied. */
  parties(callId: string): { addresses: ReadonlySet<string>; terminals: ReadonlySet<string> } {
    const addresses = new Set<string>();
    const terminals = new Set<string>();
    const call = this.#calls.get(callId);
    if (call !== undefined) {
      for (const connection of call.connections.values()) {
        addresses.add(connection.address);
        for (const tc of connection.terminalConnections.values()) terminals.add(tc.terminal);
      }
    }
    return { addresses, terminals };
  }

  /** The call as it is now, in the engine's snapshot shape; undefined when it is not known. */
  snapshot(callId: string): CallSnapshot | undefined {
    const call = this.#calls.get(callId);
    if (call === undefined) return undefined;
    return {
      callId: call.callId,
      state: call.state,
      seq: call.seq,
      ...call.parties,
      connections: [...call.connections.values()].map((connection) => ({
        id: connection.id,
        address: connection.address,
        reason: connection.reason,
        state: connection.state,
        coreState: connection.coreState,
        terminalConnections: [...connection.terminalConnections.values()].map((tc) => ({ ...tc })),
      })),
    };
  }

  /**
   * Whether this event is the call's last for its observers, asked before it is applied. That is its
   * CallInvalidEv — unless a transfer or conference is still open on the call: the engine ends a
   * merged consult call before the merge's end event, and JTAPI delivers nothing to a call observer
   * after CallObservationEndedEv, so observation ends with the merge's end event instead.
   */
  endsObservation(event: CallEvent): boolean {
    const call = this.#calls.get(event.callId);
    if (event.type === 'call.state' && event.state === 'INVALID') return call?.merging !== true;
    if (event.type === 'call.transferEnd' || event.type === 'call.conferenceEnd') return call?.state === 'INVALID';
    return false;
  }

  /** Applies one event; returns the core states before it, which the mapper needs. */
  apply(event: CallEvent): PreviousStates {
    let call = this.#calls.get(event.callId);
    if (call === undefined) {
      call = { callId: event.callId, state: 'IDLE', seq: 0, parties: event, connections: new Map(), merging: false };
      this.#calls.set(event.callId, call);
    }
    call.seq = event.seq;
    call.parties = {
      callingAddress: event.callingAddress,
      callingTerminal: event.callingTerminal,
      calledAddress: event.calledAddress,
      currentCallingAddress: event.currentCallingAddress,
      currentCalledAddress: event.currentCalledAddress,
      lastRedirectedAddress: event.lastRedirectedAddress,
      callingName: event.callingName,
      currentCallingName: event.currentCallingName,
    };
    const previous: PreviousStates = { connectionCore: undefined, terminalConnectionCore: undefined };
    switch (event.type) {
      case 'call.state':
        call.state = event.state;
        if (event.state === 'INVALID' && !call.merging) this.#calls.delete(event.callId);
        break;
      case 'call.transferStart':
      case 'call.conferenceStart':
        call.merging = true;
        break;
      case 'call.transferEnd':
      case 'call.conferenceEnd':
        call.merging = false;
        if (call.state === 'INVALID') this.#calls.delete(event.callId);
        break;
      case 'connection.created':
        call.connections.set(event.connectionId, {
          id: event.connectionId,
          address: event.address,
          reason: event.reason,
          state: 'IDLE',
          coreState: 'IDLE',
          terminalConnections: new Map(),
        });
        break;
      case 'connection.state': {
        const connection = call.connections.get(event.connectionId);
        if (connection !== undefined) {
          previous.connectionCore = connection.coreState;
          connection.state = event.state;
          connection.coreState = event.coreState;
          connection.reason = event.reason;
        }
        break;
      }
      case 'terminalConnection.created':
        call.connections.get(event.connectionId)?.terminalConnections.set(event.terminalConnectionId, {
          id: event.terminalConnectionId,
          terminal: event.terminal,
          state: 'IDLE',
          coreState: 'IDLE',
        });
        break;
      case 'terminalConnection.state': {
        const tc = call.connections.get(event.connectionId)?.terminalConnections.get(event.terminalConnectionId);
        if (tc !== undefined) {
          previous.terminalConnectionCore = tc.coreState;
          tc.state = event.state;
          tc.coreState = event.coreState;
        }
        break;
      }
      default:
        break;
    }
    return previous;
  }
}
