import { ErrorCode, StrowgerError } from '../core/index.js';
import { progressCauses, type EventCauses } from './causes.js';
import type { CallEvent, CallParties } from './events.js';
import type { LegId, PartyInfo, Redirection } from './ports.js';
import {
  callStateTransitions,
  connectionCoreState,
  connectionTransitions,
  terminalConnectionCoreState,
  terminalConnectionTransitions,
  type CallState,
  type ConnectionReason,
  type ConnectionState,
  type FeatureReason,
  type MetaCode,
  type TerminalConnectionState,
} from './states.js';

/** What a change records: the event's own fields, without what the call stamps on every event. */
type EventBody = CallEvent extends infer E
  ? E extends CallEvent
    ? Omit<
        E,
        | 'callId'
        | 'seq'
        | 'engineSeq'
        | 'at'
        | keyof CallParties
        | 'cause'
        | 'callControlCause'
        | 'ciscoCause'
        | 'metaCode'
        | 'featureReason'
      >
    : never
  : never;

/** What the engine gives each call: its clock, and where stamped events go with the engine's sequence. */
export interface CallSink {
  now(): number;
  /** The next engine-wide sequence number. */
  nextEngineSeq(): number;
  emit(event: CallEvent): void;
}

/**
 * A call: connections (one per address in the call), each with terminal connections (one per
 * terminal of that address). Objects are created only by their parent, and every change is stamped
 * into the call's event stream in the order it happened, with the call's parties and the causes.
 */
export class Call {
  readonly id: string;
  readonly startedAt: number;
  readonly connections: Connection[] = [];
  /** The number the caller dialled: JTAPI's called address. */
  readonly dialled: string;
  /** Who placed the call: JTAPI's calling address and terminal. */
  readonly calling: PartyInfo;
  readonly redirections: Redirection[] = [];
  answeredAt: number | undefined;
  /** Who the called side is told is calling now (the party that stayed, after a transfer). */
  currentCalling: PartyInfo;
  /** The number the call is offered to now, after forwarding. */
  currentCalled: string;
  #state: CallState = 'IDLE';
  #seq = 0;
  #nextChild = 1;
  #meta: MetaCode = 'CALL_PROGRESS';
  #featureReason: FeatureReason = 'NORMAL';
  #depth = 0;
  readonly #sink: CallSink;

  constructor(options: { id: string; dialled: string; calling: PartyInfo; sink: CallSink }) {
    this.id = options.id;
    this.dialled = options.dialled;
    this.calling = options.calling;
    this.currentCalling = options.calling;
    this.currentCalled = options.dialled;
    this.#sink = options.sink;
    this.startedAt = options.sink.now();
  }

  get state(): CallState {
    return this.#state;
  }

  /** The call's parties as its events state them. */
  get parties(): CallParties {
    return {
      callingAddress: this.calling.number,
      callingTerminal: this.calling.device,
      calledAddress: this.dialled,
      currentCallingAddress: this.currentCalling.number,
      currentCalledAddress: this.currentCalled,
      lastRedirectedAddress: this.redirections.at(-1)?.from,
      callingName: this.calling.displayName,
      currentCallingName: this.currentCalling.displayName,
    };
  }

  /** The last sequence number this call's stream used. */
  get seq(): number {
    return this.#seq;
  }

  /**
   * Runs a change whose events belong to one larger happening (JTAPI's meta code) and, where a
   * feature made it, carry that feature's reason. The outermost run names the happening: the
   * parties a transfer removes and adds are still part of the transfer.
   */
  during<T>(meta: MetaCode, run: () => T, featureReason?: FeatureReason): T {
    if (this.#depth > 0) {
      this.#depth += 1;
      try {
        return run();
      } finally {
        this.#depth -= 1;
      }
    }
    this.#meta = meta;
    this.#featureReason = featureReason ?? 'NORMAL';
    this.#depth = 1;
    try {
      return run();
    } finally {
      this.#depth = 0;
      this.#meta = 'CALL_PROGRESS';
      this.#featureReason = 'NORMAL';
    }
  }

  /** @internal Stamps an event with the call's id, its parties, the sequence numbers and the time. */
  record(body: EventBody, causes: EventCauses = progressCauses.normal): void {
    this.#seq += 1;
    this.#sink.emit({
      ...body,
      ...this.parties,
      ...causes,
      metaCode: this.#meta,
      featureReason: this.#featureReason,
      callId: this.id,
      seq: this.#seq,
      engineSeq: this.#sink.nextEngineSeq(),
      at: this.#sink.now(),
    } as CallEvent);
  }

  setState(state: CallState, causes: EventCauses = progressCauses.normal): void {
    if (state === this.#state) return;
    if (!callStateTransitions[this.#state].includes(state))
      throw new StrowgerError(ErrorCode.Internal, `call ${this.id}: ${this.#state} → ${state} is not a legal move`);
    this.#state = state;
    this.record({ type: 'call.state', state }, causes);
  }

  addConnection(address: string, role: 'originating' | 'terminating', reason: ConnectionReason): Connection {
    const connection = new Connection(this, this.nextChildId(), address, role, reason);
    this.connections.push(connection);
    this.record({ type: 'connection.created', connectionId: connection.id, address, reason });
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
  /** Why the connection is in the call: CiscoConnection.getReason(). */
  readonly reason: ConnectionReason;
  readonly terminalConnections: TerminalConnection[] = [];
  #state: ConnectionState = 'IDLE';

  constructor(call: Call, id: string, address: string, role: 'originating' | 'terminating', reason: ConnectionReason) {
    this.call = call;
    this.id = id;
    this.address = address;
    this.role = role;
    this.reason = reason;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  get isLive(): boolean {
    return this.#state !== 'DISCONNECTED' && this.#state !== 'FAILED';
  }

  /** Moves along JTAPI's call-control connection states; an illegal move is a bug and says so. */
  setState(state: ConnectionState, causes: EventCauses = progressCauses.normal): void {
    if (state === this.#state) return;
    if (!connectionTransitions[this.#state].includes(state)) {
      throw new StrowgerError(
        ErrorCode.Internal,
        `connection ${this.id}: ${this.#state} → ${state} is not a legal move`,
      );
    }
    this.#state = state;
    this.call.record(
      {
        type: 'connection.state',
        connectionId: this.id,
        address: this.address,
        reason: this.reason,
        state,
        coreState: connectionCoreState[state],
      },
      causes,
    );
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
      reason: this.reason,
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

  setState(state: TerminalConnectionState, causes: EventCauses = progressCauses.normal): void {
    if (state === this.#state) return;
    if (!terminalConnectionTransitions[this.#state].includes(state)) {
      throw new StrowgerError(
        ErrorCode.Internal,
        `terminal connection ${this.id}: ${this.#state} → ${state} is not a legal move`,
      );
    }
    this.#state = state;
    const connection = this.connection;
    connection.call.record(
      {
        type: 'terminalConnection.state',
        terminalConnectionId: this.id,
        connectionId: connection.id,
        terminal: this.terminal,
        address: connection.address,
        reason: connection.reason,
        state,
        coreState: terminalConnectionCoreState[state],
      },
      causes,
    );
  }
}
