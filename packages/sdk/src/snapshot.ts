import { callInternals } from './model/call.js';
import { connectionInternals } from './model/connection.js';
import type { Domain } from './model/domain.js';
import { terminalConnectionInternals } from './model/terminal-connection.js';
import type { CallSnapshot } from './wire.js';

/** Recreates the calls of a provider snapshot (a resync frame or provider.snapshot) in the model. */
export function applySnapshotCalls(domain: Domain, calls: readonly CallSnapshot[]): void {
  for (const snapshot of calls) {
    const call = domain.restoreCall(snapshot.callId);
    callInternals.setState(call, snapshot.state);
    callInternals.setParties(call, {
      callingAddress: snapshot.callingAddress === null ? null : domain.address(snapshot.callingAddress),
      calledAddress: snapshot.calledAddress === null ? null : domain.address(snapshot.calledAddress),
      lastRedirectedAddress:
        snapshot.lastRedirectedAddress === null ? null : domain.address(snapshot.lastRedirectedAddress),
      currentCallingAddress:
        snapshot.currentCallingAddress === null ? null : domain.address(snapshot.currentCallingAddress),
      currentCalledAddress:
        snapshot.currentCalledAddress === null ? null : domain.address(snapshot.currentCalledAddress),
      callingName: snapshot.callingName,
      currentCallingName: snapshot.currentCallingName,
    });
    for (const c of snapshot.connections) {
      const connection = callInternals.connection(call, domain.address(c.address));
      connectionInternals.setState(connection, c.connectionState, c.callControlState, c.reason);
      for (const t of c.terminalConnections) {
        const tc = connectionInternals.terminalConnection(connection, domain.terminal(t.terminal));
        terminalConnectionInternals.setState(tc, t.terminalConnectionState, t.callControlTerminalConnectionState);
      }
    }
  }
}
