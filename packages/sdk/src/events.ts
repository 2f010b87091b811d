import type { Call } from './model/call.js';
import type { Connection } from './model/connection.js';
import type { TerminalConnection } from './model/terminal-connection.js';
import type { WireEvent } from './wire.js';

/**
 * An event as the application sees it: the wire event (JTAPI name in `type`, numeric id in `id`,
 * `seq`, causes, addresses by name) plus the SDK objects it is about, already updated to match it.
 */
type Enrich<E> = E extends { type: DeviceEventType }
  ? E
  : E extends { terminalConnectionState: unknown }
    ? E & { readonly call: Call; readonly connection: Connection; readonly terminalConnection: TerminalConnection }
    : E extends { connectionState: unknown }
      ? E & { readonly call: Call; readonly connection: Connection }
      : E extends { callId: string }
        ? E & { readonly call: Call }
        : E;

/**
 * Route session and CTI device media events: they name a call but are not call events (no
 * observer receives them; they go to the application that registered the route point or port).
 */
export type DeviceEventType =
  | 'RouteEv'
  | 'ReRouteEv'
  | 'RouteUsedEv'
  | 'RouteEndEv'
  | 'RouteCallbackEndedEv'
  | 'RouteCallbackActivatedEv'
  | 'CiscoMediaOpenLogicalChannelEv'
  | 'CiscoRTPInputStartedEv'
  | 'CiscoRTPOutputStartedEv'
  | 'CiscoRTPInputStoppedEv'
  | 'CiscoRTPOutputStoppedEv';

/** Every event: a discriminated union on `type` (the JTAPI event name). */
export type CtiEvent = Enrich<WireEvent>;
/** The events about a call (JTAPI CallEv and its subclasses): they carry `call`. */
export type CallEvent = Extract<Exclude<CtiEvent, { type: DeviceEventType }>, { callId: string }>;
/** Provider, terminal and address events (JTAPI ProvEv, TermEv, AddrEv and Cisco's), and route and media events. */
export type ProviderEvent = Exclude<CtiEvent, CallEvent>;
/** A route session or CTI device media event. */
export type DeviceEvent = Extract<CtiEvent, { type: DeviceEventType }>;

/** Told when the SDK rebuilt its model from a snapshot instead of receiving every event. */
export interface ResyncEvent {
  /**
   * slow-consumer: the server dropped events this client did not read fast enough; gap: events were
   * missing; reopened: after a reconnect the server could not resume, so the provider was opened anew
   * and its observers added again.
   */
  readonly reason: 'slow-consumer' | 'gap' | 'reopened';
  /** How many events were dropped, when the server said. */
  readonly dropped: number | undefined;
  /** The provider sequence the rebuilt model is consistent with. */
  readonly seq: number;
}
