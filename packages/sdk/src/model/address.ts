import type { RouteCallback, RouteSession } from './route-session.js';
import type { AddressInfo, MethodResult } from '../wire.js';
import type { Connection } from './connection.js';
import type { CallListener, ControlOptions, ObjectListener, ObserveOptions, ProviderHost } from './host.js';
import type { Terminal } from './terminal.js';

export interface AddressInternals {
  /** A line of the provider's domain. */
  create(host: ProviderHost, info: AddressInfo): Address;
  /** A number outside the domain that takes part in an observed call (the caller, say). */
  createExternal(host: ProviderHost, name: string): Address;
  update(address: Address, change: Partial<AddressInfo>): void;
  /** One appearance's flags changed (CiscoAddrRestrictedOnTerminalEv, CiscoAddrInServiceEv…). */
  updateAppearance(address: Address, terminal: string, change: { restricted?: boolean; inService?: boolean }): void;
}
export let addressInternals: AddressInternals;

interface Appearance {
  terminal: string;
  restricted: boolean;
  inService: boolean;
}

/**
 * JTAPI's Address: a directory number (line), with one appearance per device it is on — a shared
 * line has several. Created only by the Provider.
 */
export class Address {
  readonly name: string;
  readonly #host: ProviderHost;
  #restricted: boolean;
  #inService: boolean;
  #appearances: Appearance[];
  #external: boolean;

  private constructor(host: ProviderHost, info: AddressInfo, external: boolean) {
    this.#host = host;
    this.name = info.name;
    this.#restricted = info.restricted;
    this.#inService = info.inService;
    this.#appearances = info.terminals.map((t) => ({ ...t }));
    this.#external = external;
  }

  static {
    addressInternals = {
      create: (host, info) => new Address(host, info, false),
      createExternal: (host, name) =>
        new Address(host, { name, restricted: false, inService: false, terminals: [] }, true),
      update(address, change) {
        if (change.restricted !== undefined) address.#restricted = change.restricted;
        if (change.inService !== undefined) address.#inService = change.inService;
        if (change.terminals !== undefined) address.#appearances = change.terminals.map((t) => ({ ...t }));
        address.#external = false;
      },
      updateAppearance(address, terminal, change) {
        let appearance = address.#appearances.find((a) => a.terminal === terminal);
        if (appearance === undefined) {
          appearance = { terminal, restricted: false, inService: false };
          address.#appearances.push(appearance);
        }
        if (change.restricted !== undefined) appearance.restricted = change.restricted;
        if (change.inService !== undefined) {
          appearance.inService = change.inService;
          // An address is in service while at least one of its terminals is (protocol §ProviderOpened).
          address.#inService = address.#appearances.some((a) => a.inService);
        }
      },
    };
  }

  /** True when the line's "Allow Control from CTI" is off: listed, but it cannot be observed. */
  get restricted(): boolean {
    return this.#restricted;
  }

  /** True while at least one device with this line is in service (registered). */
  get inService(): boolean {
    return this.#inService;
  }

  /** False for a number outside the provider's domain, seen only as a party to an observed call. */
  get inDomain(): boolean {
    return !this.#external;
  }

  /** The devices this line appears on. */
  get terminals(): Terminal[] {
    return this.#appearances.map((a) => this.#host.terminal(a.terminal));
  }

  /** True when this line is restricted on `terminal` only (CiscoAddress.isRestricted(Terminal)). */
  isRestrictedOn(terminal: Terminal | string): boolean {
    const name = typeof terminal === 'string' ? terminal : terminal.name;
    return this.#appearances.find((a) => a.terminal === name)?.restricted ?? false;
  }

  /** This line's part in the calls the provider currently observes. */
  get connections(): Connection[] {
    const found: Connection[] = [];
    for (const call of this.#host.liveCalls) {
      const connection = call.getConnection(this.name);
      if (connection !== undefined) found.push(connection);
    }
    return found;
  }

  /**
   * JTAPI addCallObserver: `listener` is told every event of every call at this line, starting with a
   * snapshot (cause SNAPSHOT) of the calls already in progress. Rejects with
   * AccessToDeviceDeniedError outside the domain, LineRestrictedError on a restricted line.
   */
  addCallObserver(listener: CallListener, options: ObserveOptions = {}): Promise<void> {
    return this.#host.addObserver({ kind: 'address', name: this.name }, true, listener, options);
  }

  removeCallObserver(listener: CallListener): Promise<void> {
    return this.#host.removeObserver({ kind: 'address', name: this.name }, listener);
  }

  /** JTAPI addObserver: only this line's own events (in/out of service, restricted, activated). */
  addObserver(listener: ObjectListener, options: ObserveOptions = {}): Promise<void> {
    return this.#host.addObserver({ kind: 'address', name: this.name }, false, listener, options);
  }

  removeObserver(listener: ObjectListener): Promise<void> {
    return this.#host.removeObserver({ kind: 'address', name: this.name }, listener);
  }

  /**
   * CallControlAddress.setForwarding, forward all (the one kind Cisco lets JTAPI set): calls to this
   * line go to `destination` from the next call on, until cancelForwarding. Every provider whose
   * domain has the line is told by CallCtlAddrForwardEv.
   */
  async setForwarding(destination: string, options: ControlOptions = {}): Promise<void> {
    await this.#host.request('address.setForwarding', { address: this.name, forwardAll: destination }, options);
  }

  /** CallControlAddress.cancelForwarding: forward all set over CTI is cancelled (the configured one applies again). */
  async cancelForwarding(options: ControlOptions = {}): Promise<void> {
    await this.#host.request('address.cancelForwarding', { address: this.name }, options);
  }

  /**
   * CallControlAddress.setMessageWaiting: the line's message-waiting lamp on or off; its phones get a
   * message-summary NOTIFY (RFC 3842) and every provider with the line CallCtlAddrMessageWaitingEv.
   */
  async setMessageWaiting(waiting: boolean, options: ControlOptions = {}): Promise<void> {
    await this.#host.request('address.setMessageWaiting', { address: this.name, waiting }, options);
  }

  /** CallControlAddress.getMessageWaiting. */
  async getMessageWaiting(options: ControlOptions = {}): Promise<boolean> {
    return (await this.#host.request('address.getMessageWaiting', { address: this.name }, options)).waiting;
  }

  /** CallControlAddress.getForwarding: forward all, busy, no answer and unregistered as they apply now. */
  getForwarding(options: ControlOptions = {}): Promise<MethodResult<'address.getForwarding'>> {
    return this.#host.request('address.getForwarding', { address: this.name }, options);
  }

  /**
   * RouteAddress.registerRouteCallback: every call offered at this route point's line raises a
   * route session, given to `callback.routeEvent`, which selects a route or ends the session within
   * `routeSelectTimeoutMs` (5 s by default; a queue that holds callers waits longer). A second
   * application instance that registers the same address stands by (`active: false`) and takes over
   * — open sessions included — when the active one goes.
   */
  registerRouteCallback(
    callback: RouteCallback,
    options: ControlOptions & { routeSelectTimeoutMs?: number } = {},
  ): Promise<{ active: boolean }> {
    return this.#host.registerRouteCallback(this.name, callback, options);
  }

  /** RouteAddress.cancelRouteCallback. */
  cancelRouteCallback(options: ControlOptions = {}): Promise<void> {
    return this.#host.cancelRouteCallback(this.name, options);
  }

  /** RouteAddress.getActiveRouteSessions: the calls waiting here for this application to route them. */
  get activeRouteSessions(): RouteSession[] {
    return this.#host.routeSessionsAt(this.name);
  }
}
