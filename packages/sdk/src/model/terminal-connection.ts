import type { CallControlTerminalConnectionState, TerminalConnectionState } from '../wire.js';
import type { Connection } from './connection.js';
import type { ControlOptions, ProviderHost } from './host.js';
import type { Terminal } from './terminal.js';

export interface TerminalConnectionInternals {
  create(connection: Connection, terminal: Terminal, host: ProviderHost): TerminalConnection;
  setState(
    tc: TerminalConnection,
    state: TerminalConnectionState,
    callControlState: CallControlTerminalConnectionState,
  ): void;
}
export let terminalConnectionInternals: TerminalConnectionInternals;

/**
 * JTAPI's TerminalConnection: one terminal's (device's) part in one Connection — ringing, talking,
 * held, bridged. Created only by its Connection; it keeps its connection and terminal for ever, even
 * once dropped (JTAPI 1.2 §TerminalConnection).
 */
export class TerminalConnection {
  readonly connection: Connection;
  readonly terminal: Terminal;
  #state: TerminalConnectionState = 'IDLE';
  #callControlState: CallControlTerminalConnectionState = 'IDLE';

  readonly #host: ProviderHost;

  private constructor(connection: Connection, terminal: Terminal, host: ProviderHost) {
    this.connection = connection;
    this.terminal = terminal;
    this.#host = host;
  }

  static {
    terminalConnectionInternals = {
      create: (connection, terminal, host) => new TerminalConnection(connection, terminal, host),
      setState(tc, state, callControlState) {
        tc.#state = state;
        tc.#callControlState = callControlState;
      },
    };
  }

  /** The core state: IDLE, RINGING, PASSIVE, ACTIVE, DROPPED or UNKNOWN. */
  get state(): TerminalConnectionState {
    return this.#state;
  }

  /** The call-control state: RINGING, TALKING, HELD, BRIDGED, INUSE, DROPPED… */
  get callControlState(): CallControlTerminalConnectionState {
    return this.#callControlState;
  }

  /**
   * TerminalConnection.answer: a RINGING terminal connection answers. Resolves once it is TALKING;
   * UnsupportedError when the phone cannot be answered remotely (docs/phones.md).
   */
  answer(options: ControlOptions = {}): Promise<void> {
    return this.#control('terminalConnection.answer', options);
  }

  /** CallControlTerminalConnection.hold: the far party hears music on hold. Resolves once HELD. */
  hold(options: ControlOptions = {}): Promise<void> {
    return this.#control('terminalConnection.hold', options);
  }

  /**
   * CiscoConnection.park: this terminal leaves the call and the other party waits on music on hold at
   * a call park number, which it resolves with; any terminal retrieves it with Terminal.unpark, and
   * nobody doing so rings this line again after the park reversion time.
   */
  async park(options: ControlOptions = {}): Promise<string> {
    const result = await this.#host.request(
      'terminalConnection.park',
      { callId: this.connection.call.callId, address: this.connection.address.name, terminal: this.terminal.name },
      options,
    );
    return result.parkNumber;
  }

  /** CallControlTerminalConnection.unhold: resolves once TALKING again. */
  unhold(options: ControlOptions = {}): Promise<void> {
    return this.#control('terminalConnection.unhold', options);
  }

  /**
   * MediaTerminalConnection.generateDtmf: `digits` (0-9, *, #, A-D) go to the party this terminal
   * talks to, as if its keys were pressed. Resolves once every digit was taken; InvalidStateError
   * unless TALKING, or while an earlier generation is still under way.
   */
  async generateDtmf(digits: string, options: ControlOptions = {}): Promise<void> {
    const connection = this.connection;
    await this.#host.request(
      'terminalConnection.generateDtmf',
      { callId: connection.call.callId, address: connection.address.name, terminal: this.terminal.name, digits },
      options,
    );
  }

  async #control(
    method: 'terminalConnection.answer' | 'terminalConnection.hold' | 'terminalConnection.unhold',
    options: ControlOptions,
  ): Promise<void> {
    const connection = this.connection;
    await this.#host.request(
      method,
      { callId: connection.call.callId, address: connection.address.name, terminal: this.terminal.name },
      options,
    );
  }
}
