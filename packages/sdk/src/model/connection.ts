import type { CallControlConnectionState, ConnectionState } from '../wire.js';
import type { Address } from './address.js';
import type { Call } from './call.js';
import type { ControlOptions, ProviderHost } from './host.js';
import type { Terminal } from './terminal.js';
import type { TerminalConnection } from './terminal-connection.js';
import { terminalConnectionInternals } from './terminal-connection.js';

export interface ConnectionInternals {
  create(call: Call, address: Address, host: ProviderHost): Connection;
  setState(
    connection: Connection,
    state: ConnectionState,
    callControlState: CallControlConnectionState,
    reason: number | null | undefined,
  ): void;
  /** The terminal connection of `terminal`, created on first mention. */
  terminalConnection(connection: Connection, terminal: Terminal): TerminalConnection;
}
export let connectionInternals: ConnectionInternals;

/**
 * JTAPI's Connection: one address's part in one call. Created only by its Call; it creates its
 * TerminalConnections (one per terminal of the address that takes part). `state` is the core state,
 * `callControlState` the finer one (the originating side is CONNECTED while DIALING, §2.4).
 */
export class Connection {
  readonly call: Call;
  readonly address: Address;
  #state: ConnectionState = 'IDLE';
  #callControlState: CallControlConnectionState = 'IDLE';
  #reason: number | null = null;
  readonly #terminalConnections = new Map<string, TerminalConnection>();
  readonly #host: ProviderHost;

  private constructor(call: Call, address: Address, host: ProviderHost) {
    this.call = call;
    this.address = address;
    this.#host = host;
  }

  static {
    connectionInternals = {
      create: (call, address, host) => new Connection(call, address, host),
      setState(connection, state, callControlState, reason) {
        connection.#state = state;
        connection.#callControlState = callControlState;
        if (reason !== undefined) connection.#reason = reason;
      },
      terminalConnection(connection, terminal) {
        let tc = connection.#terminalConnections.get(terminal.name);
        if (tc === undefined) {
          tc = terminalConnectionInternals.create(connection, terminal, connection.#host);
          connection.#terminalConnections.set(terminal.name, tc);
        }
        return tc;
      },
    };
  }

  /** The core state: IDLE, INPROGRESS, ALERTING, CONNECTED, DISCONNECTED, FAILED or UNKNOWN. */
  get state(): ConnectionState {
    return this.#state;
  }

  /** The call-control state: OFFERED, ALERTING, INITIATED, DIALING, ESTABLISHED, … */
  get callControlState(): CallControlConnectionState {
    return this.#callControlState;
  }

  /**
   * Why this connection is in the call (CiscoConnection.getReason): 1 direct, 2 transferred,
   * 3 forward no answer, 4 forward busy, 5 forward all, 6 redirect, 99 outbound; null until told.
   */
  get reason(): number | null {
    return this.#reason;
  }

  get terminalConnections(): TerminalConnection[] {
    return [...this.#terminalConnections.values()];
  }

  getTerminalConnection(terminalName: string): TerminalConnection | undefined {
    return this.#terminalConnections.get(terminalName);
  }

  /**
   * Connection.disconnect: this address leaves the call — its phones get a BYE (or CANCEL while
   * ringing). In a conference the others stay; a two-party call ends.
   */
  async disconnect(options: ControlOptions = {}): Promise<void> {
    await this.#host.request(
      'connection.disconnect',
      { callId: this.call.callId, address: this.address.name },
      options,
    );
  }

  /**
   * CallControlConnection.redirect: an OFFERED or ALERTING connection's call goes on to
   * `destination`. A destination that is busy, unknown or out of service fails the request
   * (ResourceUnavailableError, InvalidArgumentError) and the call stays where it was. `callingNumber`
   * changes the number the destination is shown, with "Standard CTI Allow Calling Number Modification".
   */
  async redirect(destination: string, options: ControlOptions & { callingNumber?: string } = {}): Promise<void> {
    await this.#host.request(
      'connection.redirect',
      {
        callId: this.call.callId,
        address: this.address.name,
        destination,
        ...(options.callingNumber === undefined ? {} : { callingNumber: options.callingNumber }),
      },
      options,
    );
  }

  /**
   * CallControlConnection.accept: a call OFFERED at a route point goes ALERTING — the caller hears
   * ringback — and the line's forward no answer applies after its no-answer time.
   */
  async accept(options: ControlOptions = {}): Promise<void> {
    await this.#host.request('connection.accept', { callId: this.call.callId, address: this.address.name }, options);
  }

  /** CallControlConnection.reject: a call OFFERED at a route point is refused; the caller is treated as busy. */
  async reject(options: ControlOptions = {}): Promise<void> {
    await this.#host.request('connection.reject', { callId: this.call.callId, address: this.address.name }, options);
  }
}
