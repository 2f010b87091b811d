import { ErrorCode, StrowgerError } from '../core/index.js';
import type { CallEvent } from './events.js';
import type { LegId, PartyInfo, Redirection } from './ports.js';
import {
  connectionCoreState,
  connectionTransitions,
  terminalConnectionCoreState,
  terminalConnectionTransitions,
  type CallState,
  type ConnectionState,
  type EventCause,
  type TerminalConnectionState,
} from './states.js';

type EventBody = CallEvent extends infer E ? (E extends CallEvent ? Omit<E, 'callId' | 'seq' | 'at'> : never) : never;

/**
 * A call: connections (one per address in the call), each with terminal connections (one per
 * terminal of that address). Objects are created only by their parent, and every change is stamped
 * into the call's event stream in the order it happened.
 */
export class Call {
  readonly id: string;
  readonly startedAt: number;
  readonly connections: Connection[] = [];
  readonly dialled: string;
  readonly calling: PartyInfo;
  readonly redirections: Redirection[] = [];
  answeredAt: number | undefined;
  #state: CallState = 'IDLE';
  #seq = 0;
  #nextChild = 1;
  readonly #now: () => number;
  readonly #emit: (event: CallEvent) => void;

  constructor(options: {
    id: string;
    dialled: string;
    calling: PartyInfo;
    now: () => number;
    emit: (event: CallEvent) => void;
  }) {
    this.id = options.id;
    this.dialled = options.dialled;
    this.calling = options.calling;
    this.#now = options.now;
    this.#emit = options.emit;
    this.startedAt = options.now();
  }

  get state(): CallState {
    return this.#state;
  }

  /** @internal Stamps an event with the call's id, the next sequence number and the time. */
  record(body: EventBody): void {
    this.#seq += 1;
    this.#emit({ ...body, callId: this.id, seq: this.#seq, at: this.#now() } as CallEvent);
  }

  setState(state: CallState, cause: EventCause): void {
    if (state === this.#state) return;
    const legal = (this.#state === 'IDLE' && state !== 'IDLE') || (this.#state === 'ACTIVE' && state === 'INVALID');
    if (!legal)
      throw new StrowgerError(ErrorCode.Internal, `call ${this.id}: ${this.#state} → ${state} is not a legal move`);
    this.#state = state;
    this.record({ type: 'call.state', state, cause });
  }

  addConnection(address: string, role: 'originating' | 'terminating'): Connection {
    const connection = new Connection(this, `${this.id}.${this.#nextChild++}`, address, role);
    this.connections.push(connection);
    this.record({ type: 'connection.created', connectionId: connection.id, address });
    return connection;
  }

  /** @internal */
  nextChildId(): string {
    return `${this.id}.${this.#nextChild++}`;
  }

  get liveConnections(): Connection[] {
    return this.connections.filter((connection) => connection.isLive);
  }
}

export class Connection {
  readonly call: Call;
  readonly id: string;
  readonly address: string;
  readonly role: 'originating' | 'terminating';
  readonly terminalConnections: TerminalConnection[] = [];
  #state: ConnectionState = 'IDLE';

  constructor(call: Call, id: string, address: string, role: 'originating' | 'terminating') {
    this.call = call;
    this.id = id;
    this.address = address;
    this.role = role;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  get isLive(): boolean {
    return this.#state !== 'DISCONNECTED' && this.#state !== 'FAILED';
  }

  /** Moves along JTAPI's call-control connection states; an illegal move is a bug and says so. */
  setState(state: ConnectionState, cause: EventCause = 'NORMAL'): void {
    if (state === this.#state) return;
    if (!connectionTransitions[this.#state].includes(state)) {
      throw new StrowgerError(
        ErrorCode.Internal,
        `connection ${this.id}: ${this.#state} → ${state} is not a legal move`,
      );
    }
    this.#state = state;
    this.call.record({
      type: 'connection.state',
      connectionId: this.id,
      address: this.address,
      state,
      coreState: connectionCoreState[state],
      cause,
    });
  }

  /**
   * A terminal joins the connection. `leg` names the device's part of the call for its driver; a
   * terminal moved here from another call (a transfer) keeps the leg it had there.
   */
  addTerminalConnection(terminal: string, leg?: LegId): TerminalConnection {
    const id = this.call.nextChildId();
    const terminalConnection = new TerminalConnection(this, id, terminal, leg ?? id);
    this.terminalConnections.push(terminalConnection);
    this.call.record({
      type: 'terminalConnection.created',
      terminalConnectionId: terminalConnection.id,
      connectionId: this.id,
      terminal,
      address: this.address,
    });
    return terminalConnection;
  }

  get liveTerminalConnections(): TerminalConnection[] {
    return this.terminalConnections.filter((tc) => tc.state !== 'DROPPED');
  }
}

export class TerminalConnection {
  readonly connection: Connection;
  readonly id: string;
  /** The device's part of the call as its driver knows it; the terminal connection's own id unless moved here. */
  readonly leg: LegId;
  readonly terminal: string;
  #state: TerminalConnectionState = 'IDLE';

  constructor(connection: Connection, id: string, terminal: string, leg: LegId) {
    this.connection = connection;
    this.id = id;
    this.terminal = terminal;
    this.leg = leg;
  }

  get state(): TerminalConnectionState {
    return this.#state;
  }

  setState(state: TerminalConnectionState, cause: EventCause = 'NORMAL'): void {
    if (state === this.#state) return;
    if (!terminalConnectionTransitions[this.#state].includes(state)) {
      throw new StrowgerError(
        ErrorCode.Internal,
        `terminal connection ${this.id}: ${this.#state} → ${state} is not a legal move`,
      );
    }
    this.#state = state;
    this.connection.call.record({
      type: 'terminalConnection.state',
      terminalConnectionId: this.id,
      connectionId: this.connection.id,
      terminal: this.terminal,
      address: this.connection.address,
      state,
      coreState: terminalConnectionCoreState[state],
      cause,
    });
  }
}
