import { ErrorCode, StrowgerError } from '../../core/index.js';
import type { CallContext, LegEntry } from '../call-context.js';
import type { Connection, TerminalConnection } from '../call-model.js';
import type { LegId } from '../ports.js';

/**
 * How call-control requests name what they act on, as JTAPI does: a Connection is one address in one
 * call, a TerminalConnection one terminal of that connection.
 */
export interface ConnectionRef {
  readonly callId: string;
  readonly address: string;
}

export interface TerminalConnectionRef extends ConnectionRef {
  readonly terminal: string;
}

/** What finding a call's parts needs of the engine. */
export interface CallLookup {
  readonly calls: ReadonlyMap<string, CallContext>;
  readonly legs: ReadonlyMap<LegId, LegEntry>;
}

/** The call in progress with this id, or NOT_FOUND. */
export function callOf(lookup: CallLookup, callId: string): CallContext {
  const context = lookup.calls.get(callId);
  if (context === undefined || context.ended) {
    throw new StrowgerError(ErrorCode.NotFound, `call ${callId} is not in progress; it may have ended`);
  }
  return context;
}

/**
 * The address's connection in the call: the live one (a party that left and came back by a transfer
 * has an old, disconnected one too), else its last one, so that a state error can name its state.
 */
export function connectionOf(lookup: CallLookup, ref: ConnectionRef): { context: CallContext; connection: Connection } {
  const context = callOf(lookup, ref.callId);
  const all = context.call.connections.filter((connection) => connection.address === ref.address);
  const connection = all.find((candidate) => candidate.isLive) ?? all.at(-1);
  if (connection === undefined) {
    const present = [...new Set(context.call.connections.map((c) => c.address))].join(', ');
    throw new StrowgerError(
      ErrorCode.NotFound,
      `address ${ref.address} has no connection in call ${ref.callId}; its addresses are ${present}`,
    );
  }
  return { context, connection };
}

/** The terminal's part in that connection, with the engine's entry for its leg while it has one. */
export function terminalConnectionOf(
  lookup: CallLookup,
  ref: TerminalConnectionRef,
): { context: CallContext; terminalConnection: TerminalConnection; entry: LegEntry | undefined } {
  const { context, connection } = connectionOf(lookup, ref);
  const all = connection.terminalConnections.filter((tc) => tc.terminal === ref.terminal);
  const terminalConnection = all.find((tc) => tc.state !== 'DROPPED') ?? all.at(-1);
  if (terminalConnection === undefined) {
    throw new StrowgerError(
      ErrorCode.NotFound,
      `terminal ${ref.terminal} has no terminal connection at ${ref.address} in call ${ref.callId}`,
    );
  }
  const entry = lookup.legs.get(terminalConnection.leg);
  return {
    context,
    terminalConnection,
    entry: entry?.terminalConnection === terminalConnection ? entry : undefined,
  };
}

/** A coded INVALID_STATE error naming what the state should have been, with Cisco's code when there is one. */
export function invalidState(message: string, ciscoError?: string): StrowgerError {
  return new StrowgerError(
    ErrorCode.InvalidState,
    message,
    ciscoError === undefined ? undefined : { details: { ciscoError } },
  );
}

/**
 * The legs of the terminal that is in both calls, connected (TALKING or HELD): JTAPI's transfer and
 * conference controller. `controller` names the terminal when more than one would do.
 */
export function controllerLegs(
  lookup: CallLookup,
  callId: string,
  otherCallId: string,
  controller: string | undefined,
  what: string,
): { held: LegId; consult: LegId } {
  const legsIn = (id: string): Map<string, LegId> => {
    const context = lookup.calls.get(id);
    if (context === undefined) throw new StrowgerError(ErrorCode.NotFound, `call ${id} is not in progress`);
    const found = new Map<string, LegId>();
    for (const connection of context.call.connections)
      for (const tc of connection.terminalConnections)
        if ((tc.state === 'TALKING' || tc.state === 'HELD') && lookup.legs.get(tc.leg)?.terminalConnection === tc)
          found.set(tc.terminal, tc.leg);
    return found;
  };
  if (callId === otherCallId) {
    throw new StrowgerError(ErrorCode.InvalidArgument, `a call cannot be ${what} with itself; name the other call`);
  }
  const first = legsIn(callId);
  const second = legsIn(otherCallId);
  const common = [...first.keys()].filter((terminal) => second.has(terminal) && (controller ?? terminal) === terminal);
  const terminal = common[0];
  if (terminal === undefined) {
    throw new StrowgerError(
      ErrorCode.InvalidState,
      `no terminal${controller === undefined ? '' : ` named ${controller}`} is connected in both call ${callId} and call ${otherCallId}, so they cannot be ${what} together`,
      { details: { ciscoError: what === 'transferred' ? 'TRANSFERFAILED' : 'CONFERENCE_FAILED' } },
    );
  }
  return { held: first.get(terminal) as LegId, consult: second.get(terminal) as LegId };
}
