/**
 * The protocol as the SDK uses it: the types derived from @strowger/protocol's schemas, and the
 * validation of what arrives, at the edge, with the same schemas the server validates with.
 */
import {
  validators,
  type CallControlConnectionStateName,
  type CallControlTerminalConnectionStateName,
  type CallStateName,
  type ConnectionStateName,
  type EventsFrame,
  type MethodName,
  type ProviderStateName,
  type ResyncFrame,
  type ServerFrame,
  type TerminalConnectionStateName,
  type Terminal as TerminalInfoType,
} from '@strowger/protocol';

export { PROTOCOL_VERSION } from '@strowger/protocol';
export type {
  Address as AddressInfo,
  CallSnapshot,
  Capabilities,
  ErrorBody as WireError,
  Event as WireEvent,
  EventsFrame,
  Excluded,
  HelloResult,
  MethodName,
  MethodParams,
  MethodResult,
  ProviderOpened,
  ProviderSnapshot,
  ResyncFrame,
  Target as ObserverTarget,
  Terminal as TerminalInfo,
  RegistrationMedia as RegistrationMediaInfo,
  Codec,
} from '@strowger/protocol';

export type CallState = CallStateName;
export type ConnectionState = ConnectionStateName;
export type CallControlConnectionState = CallControlConnectionStateName;
export type TerminalConnectionState = TerminalConnectionStateName;
export type CallControlTerminalConnectionState = CallControlTerminalConnectionStateName;
export type ProviderState = ProviderStateName;
export type TerminalType = TerminalInfoType['type'];

/** Frames the server sends on its own: event batches and resyncs. */
export type PushFrame = EventsFrame | ResyncFrame;

export type ParsedFrame = ServerFrame | { kind: 'invalid'; problem: string };

/** Reads one WebSocket message as a server frame, checked against the protocol's schema. */
export function parseServerFrame(data: unknown): ParsedFrame {
  if (typeof data !== 'string') return { kind: 'invalid', problem: 'a binary frame (the protocol sends text)' };
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return { kind: 'invalid', problem: 'not JSON' };
  }
  if (validators.serverFrame.check(value)) return value;
  const problem = validators.serverFrame.problem(value);
  return {
    kind: 'invalid',
    problem: problem === undefined ? 'not a server frame' : `${problem.path}: ${problem.message}`,
  };
}

/** Why `result` is not what `method` answers, or undefined when it is. */
export function resultProblem(method: MethodName, result: unknown): string | undefined {
  const validator = validators.methods[method].result;
  if (validator.check(result)) return undefined;
  const problem = validator.problem(result);
  return problem === undefined ? 'invalid' : `${problem.path}: ${problem.message}`;
}
