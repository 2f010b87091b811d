import type { Call } from './call-model.js';

/** A read-only view of a live call, for the API and the command line. */
export interface CallView {
  id: string;
  state: string;
  startedAt: string;
  answeredAt?: string;
  dialled: string;
  connections: Array<{
    id: string;
    address: string;
    role: 'originating' | 'terminating';
    state: string;
    terminalConnections: Array<{ id: string; terminal: string; state: string }>;
  }>;
}

/** The view of a call the API and the command line show. */
export function viewOfCall(call: Call): CallView {
  return {
    id: call.id,
    state: call.state,
    startedAt: new Date(call.startedAt).toISOString(),
    ...(call.answeredAt === undefined ? {} : { answeredAt: new Date(call.answeredAt).toISOString() }),
    dialled: call.dialled,
    connections: call.connections.map((connection) => ({
      id: connection.id,
      address: connection.address,
      role: connection.role,
      state: connection.state,
      terminalConnections: connection.terminalConnections.map((tc) => ({
        id: tc.id,
        terminal: tc.terminal,
        state: tc.state,
      })),
    })),
  };
}
