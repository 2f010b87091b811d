import type { CallControlTerminalConnectionState, TerminalConnectionState } from '../wire.js';
import type { Connection } from './connection.js';
import type { Terminal } from './terminal.js';

export interface TerminalConnectionInternals {
  create(connection: Connection, terminal: Terminal): TerminalConnection;
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

  private constructor(connection: Connection, terminal: Terminal) {
    this.connection = connection;
    this.terminal = terminal;
  }

  static {
    terminalConnectionInternals = {
      create: (connection, terminal) => new TerminalConnection(connection, terminal),
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
}
