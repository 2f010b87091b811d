import type {
  CallState,
  ConnectionCoreState,
  ConnectionState,
  EventCause,
  TerminalConnectionCoreState,
  TerminalConnectionState,
} from './states.js';

/**
 * The one ordered stream of typed events per call. `seq` starts at 1 for each call and never skips,
 * so an observer can tell it missed nothing; the CTI layer maps each event to JTAPI's core and
 * call-control events one to one (a connection state event is ConnXxxEv plus CallCtlConnXxxEv).
 */
interface CallEventBase {
  readonly callId: string;
  readonly seq: number;
  readonly at: number;
}

export type CallEvent = CallEventBase &
  (
    | { readonly type: 'call.state'; readonly state: CallState; readonly cause: EventCause }
    | {
        readonly type: 'connection.created';
        readonly connectionId: string;
        readonly address: string;
      }
    | {
        readonly type: 'connection.state';
        readonly connectionId: string;
        readonly address: string;
        readonly state: ConnectionState;
        readonly coreState: ConnectionCoreState;
        readonly cause: EventCause;
      }
    | {
        readonly type: 'terminalConnection.created';
        readonly terminalConnectionId: string;
        readonly connectionId: string;
        readonly terminal: string;
        readonly address: string;
      }
    | {
        readonly type: 'terminalConnection.state';
        readonly terminalConnectionId: string;
        readonly connectionId: string;
        readonly terminal: string;
        readonly address: string;
        readonly state: TerminalConnectionState;
        readonly coreState: TerminalConnectionCoreState;
        readonly cause: EventCause;
      }
  );

export interface SwitchEvents extends Record<string, unknown> {
  call: CallEvent;
}
