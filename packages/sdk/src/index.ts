/**
 * @strowger/sdk — JTAPI's object model over Strowger's CTI protocol, for Node.js and browsers.
 *
 *   const provider = await openProvider({ servers: ['ws://pbx:2748'], user, password });
 *   await provider.getAddress('1001').addCallObserver((ev) => { … });
 */
export { openProvider, type OpenProviderOptions } from './open-provider.js';
export { Provider, type ProviderEvents } from './provider.js';
export { Terminal } from './model/terminal.js';
export { Address } from './model/address.js';
export { Call } from './model/call.js';
export { Connection } from './model/connection.js';
export { TerminalConnection } from './model/terminal-connection.js';
export {
  RouteSession,
  type RouteCallback,
  type RouteSessionState,
  type RouteEvent,
  type ReRouteEvent,
  type RouteUsedEvent,
  type RouteEndEvent,
  type RouteCallbackEndedEvent,
  type RouteCallbackActivatedEvent,
} from './model/route-session.js';
export type { RegistrationMediaInfo as RegistrationMedia, Codec } from './wire.js';
export type { CallListener, ObjectListener, ObserveOptions } from './model/host.js';
export type { CtiEvent, CallEvent, ProviderEvent, DeviceEvent, ResyncEvent } from './events.js';
export type { Clock, TimerHandle } from '@strowger/core';
export type { Backoff } from './fail-over.js';
export type { WebSocketConstructor, WebSocketLike } from './transport.js';
export * from './errors.js';
// What applications need from the shared core, so that they depend on the SDK alone.
export { StrowgerError, ErrorCode, isStrowgerError, silentLogger, type Logger } from '@strowger/core';
