import type { Address } from './address.js';
import type { Call } from './call.js';
import type { Terminal } from './terminal.js';
import type { CallEvent, CtiEvent } from '../events.js';
import type { MethodName, MethodParams, MethodResult, ObserverTarget, RegistrationMediaInfo } from '../wire.js';
import type { RouteCallback, RouteSession } from './route-session.js';

/** A call observer: told every call event of the calls at its terminal or address. */
export type CallListener = (event: CallEvent) => void | Promise<void>;
/** A terminal or address observer: told that object's own events (in service, restricted, …). */
export type ObjectListener = (event: CtiEvent) => void | Promise<void>;

export interface ObserveOptions {
  readonly signal?: AbortSignal | undefined;
}

/** A request's params without the provider id, which the provider adds (each member of a union alike). */
export type WithoutProvider<T> = T extends unknown ? Omit<T, 'providerId'> : never;

/** Options of every call-control request. */
export interface ControlOptions {
  /** Cancels waiting for the result (the server may still carry the request out). */
  readonly signal?: AbortSignal | undefined;
}

/** What terminals and addresses ask of their provider. Internal to the SDK. */
export interface ProviderHost {
  addObserver(
    target: ObserverTarget,
    callEvents: boolean,
    listener: CallListener | ObjectListener,
    options: ObserveOptions,
  ): Promise<void>;
  removeObserver(target: ObserverTarget, listener: CallListener | ObjectListener): Promise<void>;
  /** An address or terminal by name: one of the domain's, else an external one (another party). */
  address(name: string): Address;
  terminal(name: string): Terminal;
  readonly liveCalls: Iterable<Call>;
  /** Sends a call-control request for this provider; resolves with its result once it took effect. */
  request<M extends MethodName>(
    method: M,
    params: WithoutProvider<MethodParams<M>>,
    options: ControlOptions,
  ): Promise<MethodResult<M>>;
  /** Makes a call the application created (Provider.createCall) known, so its events find it. */
  adoptCall(call: Call): void;
  /** CTI route points and ports: registered again by the provider after a reconnect. */
  registerDevice(name: string, media: RegistrationMediaInfo, options: ControlOptions): Promise<{ active: boolean }>;
  unregisterDevice(name: string, options: ControlOptions): Promise<void>;
  registerRouteCallback(
    address: string,
    callback: RouteCallback,
    options: ControlOptions & { routeSelectTimeoutMs?: number },
  ): Promise<{ active: boolean }>;
  cancelRouteCallback(address: string, options: ControlOptions): Promise<void>;
  routeSessionsAt(address: string): RouteSession[];
}
