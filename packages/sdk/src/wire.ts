/**
 * The protocol as the SDK uses it. Provisional: replaced by @strowger/protocol's types once it lands.
 */
export const PROTOCOL_VERSION = 1;

export interface WireError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export interface HelloResult {
  protocol: number;
  server: string;
  sessionId: string;
  keepAliveSeconds: number;
  limits: { maxFrameBytes: number; maxPendingRequests: number; requestsPerSecond: number };
}

export type WireEvent = { seq: number; id: number; type: string; at: number; observerId?: string } & Record<string, unknown>;

export interface EventsFrame {
  kind: 'events';
  providerId: string;
  events: WireEvent[];
}
export interface ResyncFrame {
  kind: 'resync';
  providerId: string;
  reason: 'slow-consumer' | 'gap';
  dropped: number;
  snapshot: Record<string, unknown>;
}
export type PushFrame = EventsFrame | ResyncFrame;

export type ServerFrame =
  | { kind: 'response'; id: number; result?: unknown; error?: WireError }
  | { kind: 'error'; error: WireError }
  | { kind: 'ping'; nonce: number }
  | { kind: 'pong'; nonce: number }
  | PushFrame;

export interface Capabilities {
  observeAnyTerminal: boolean;
  modifyCallingParty: boolean;
  monitor: boolean;
  record: boolean;
  monitorParkDns: boolean;
  secureConnection: boolean;
}
export interface Excluded {
  kind: 'terminal' | 'address';
  name: string;
  code: string;
  reason: string;
}
export interface ProviderOpened {
  providerId: string;
  state: ProviderState;
  user: { userId: string; kind: 'application-user' | 'end-user' };
  capabilities: Capabilities;
  terminals: TerminalInfo[];
  addresses: AddressInfo[];
  excluded: Excluded[];
  seq: number;
  resumed: boolean;
}
export interface ProviderSnapshot extends ProviderOpened {
  calls: CallSnapshot[];
}
export interface Methods {
  hello: { params: { protocols: number[]; client: string; keepAliveSeconds: number }; result: HelloResult };
  'provider.open': {
    params: { user: string; password: string; appInfo?: string; resume?: { providerId: string; afterSeq: number } };
    result: ProviderOpened;
  };
  'provider.shutdown': { params: { providerId: string }; result: Record<string, never> };
  'provider.snapshot': { params: { providerId: string }; result: ProviderSnapshot };
  'provider.createTerminal': { params: { providerId: string; name: string }; result: TerminalInfo };
  'provider.deleteTerminal': { params: { providerId: string; name: string }; result: Record<string, never> };
  'observer.add': {
    params: { providerId: string; target: ObserverTarget; callEvents?: boolean };
    result: { observerId: string; seq: number };
  };
  'observer.remove': { params: { providerId: string; observerId: string }; result: Record<string, never> };
}
export type MethodName = keyof Methods;
export type MethodParams<M extends MethodName> = Methods[M]['params'];
export type MethodResult<M extends MethodName> = Methods[M]['result'];

export function parseServerFrame(data: unknown): ServerFrame | { kind: 'invalid'; problem: string } {
  if (typeof data !== 'string') return { kind: 'invalid', problem: 'binary frame' };
  try {
    return JSON.parse(data) as ServerFrame;
  } catch {
    return { kind: 'invalid', problem: 'not JSON' };
  }
}

export type CallState = 'IDLE' | 'ACTIVE' | 'INVALID';
export type ConnectionState = 'IDLE' | 'INPROGRESS' | 'ALERTING' | 'CONNECTED' | 'DISCONNECTED' | 'FAILED' | 'UNKNOWN';
export type CallControlConnectionState =
  | 'IDLE'
  | 'OFFERED'
  | 'QUEUED'
  | 'ALERTING'
  | 'INITIATED'
  | 'DIALING'
  | 'NETWORK_REACHED'
  | 'NETWORK_ALERTING'
  | 'ESTABLISHED'
  | 'DISCONNECTED'
  | 'FAILED'
  | 'UNKNOWN';
export type TerminalConnectionState = 'IDLE' | 'RINGING' | 'PASSIVE' | 'ACTIVE' | 'DROPPED' | 'UNKNOWN';
export type CallControlTerminalConnectionState =
  | 'IDLE'
  | 'RINGING'
  | 'TALKING'
  | 'HELD'
  | 'BRIDGED'
  | 'INUSE'
  | 'DROPPED'
  | 'UNKNOWN';
export type ProviderState = 'IN_SERVICE' | 'OUT_OF_SERVICE' | 'SHUTDOWN';
export type TerminalType = 'sip-phone' | 'cti-route-point' | 'cti-port';
export interface TerminalInfo {
  name: string;
  type: TerminalType;
  restricted: boolean;
  inService: boolean;
  acquired: boolean;
  addresses: string[];
}
export interface AddressInfo {
  name: string;
  restricted: boolean;
  inService: boolean;
  terminals: { terminal: string; restricted: boolean; inService: boolean }[];
}
export type ObserverTarget =
  | { kind: 'provider' }
  | { kind: 'terminal'; name: string }
  | { kind: 'address'; name: string }
  | { kind: 'call'; callId: string };
export interface CallSnapshot {
  callId: string;
  state: CallState;
  callingAddress: string | null;
  callingTerminal: string | null;
  calledAddress: string | null;
  lastRedirectedAddress: string | null;
  connections: {
    address: string;
    state: ConnectionState;
    callControlState: CallControlConnectionState;
    reason: number | null;
    terminalConnections: {
      terminal: string;
      state: TerminalConnectionState;
      callControlState: CallControlTerminalConnectionState;
    }[];
  }[];
}
