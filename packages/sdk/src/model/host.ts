import type { Address } from './address.js';
import type { Call } from './call.js';
import type { Terminal } from './terminal.js';
import type { CallEvent, CtiEvent } from '../events.js';
import type { ObserverTarget } from '../wire.js';

/** A call observer: told every call event of the calls at its terminal or address. */
export type CallListener = (event: CallEvent) => void | Promise<void>;
/** A terminal or address observer: told that object's own events (in service, restricted, …). */
export type ObjectListener = (event: CtiEvent) => void | Promise<void>;

export interface ObserveOptions {
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
}
