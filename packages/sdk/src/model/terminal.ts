import type { RegistrationMediaInfo, TerminalInfo, TerminalType } from '../wire.js';
import type { Address } from './address.js';
import type { CallListener, ControlOptions, ObjectListener, ObserveOptions, ProviderHost } from './host.js';
import type { TerminalConnection } from './terminal-connection.js';

export interface TerminalInternals {
  /** A terminal of the provider's domain. */
  create(host: ProviderHost, info: TerminalInfo): Terminal;
  /** A device outside the domain that takes part in an observed call (the far end's phone). */
  createExternal(host: ProviderHost, name: string): Terminal;
  update(terminal: Terminal, change: Partial<TerminalInfo>): void;
}
export let terminalInternals: TerminalInternals;

/**
 * JTAPI's Terminal: a device (SIP phone, CTI route point, CTI port). Created only by the Provider,
 * from the domain it was opened with or a device acquired with createTerminal.
 */
export class Terminal {
  readonly name: string;
  readonly #host: ProviderHost;
  #type: TerminalType | 'external';
  #restricted: boolean;
  #inService: boolean;
  #acquired: boolean;
  #addresses: string[];
  #external: boolean;

  private constructor(host: ProviderHost, info: TerminalInfo, external: boolean) {
    this.#host = host;
    this.name = info.name;
    this.#type = external ? 'external' : info.type;
    this.#restricted = info.restricted;
    this.#inService = info.inService;
    this.#acquired = info.acquired;
    this.#addresses = [...info.addresses];
    this.#external = external;
  }

  static {
    terminalInternals = {
      create: (host, info) => new Terminal(host, info, false),
      createExternal: (host, name) =>
        new Terminal(
          host,
          { name, type: 'sip-phone', restricted: false, inService: false, acquired: false, addresses: [] },
          true,
        ),
      update(terminal, change) {
        if (change.type !== undefined) terminal.#type = change.type;
        if (change.restricted !== undefined) terminal.#restricted = change.restricted;
        if (change.inService !== undefined) terminal.#inService = change.inService;
        if (change.acquired !== undefined) terminal.#acquired = change.acquired;
        if (change.addresses !== undefined) terminal.#addresses = [...change.addresses];
        terminal.#external = false;
      },
    };
  }

  /** sip-phone, cti-route-point or cti-port; `external` for a device outside the provider's domain. */
  get type(): TerminalType | 'external' {
    return this.#type;
  }

  /** True when "Allow Control of Device from CTI" is off: listed, but it cannot be observed. */
  get restricted(): boolean {
    return this.#restricted;
  }

  /** For a SIP phone: registered. */
  get inService(): boolean {
    return this.#inService;
  }

  /** True when acquired with provider.createTerminal rather than listed in the domain. */
  get acquired(): boolean {
    return this.#acquired;
  }

  /** False for a device outside the provider's domain, seen only as a party to an observed call. */
  get inDomain(): boolean {
    return !this.#external;
  }

  /** The lines (addresses) of this device. */
  get addresses(): Address[] {
    return this.#addresses.map((name) => this.#host.address(name));
  }

  /** This device's part in the calls the provider currently observes. */
  get terminalConnections(): TerminalConnection[] {
    const found: TerminalConnection[] = [];
    for (const call of this.#host.liveCalls)
      for (const connection of call.connections) {
        const tc = connection.getTerminalConnection(this.name);
        if (tc !== undefined) found.push(tc);
      }
    return found;
  }

  /**
   * JTAPI addCallObserver: `listener` is told every event of every call at this device, starting with
   * a snapshot (cause SNAPSHOT) of the calls already in progress. Rejects with
   * AccessToDeviceDeniedError outside the domain, DeviceRestrictedError on a restricted device.
   */
  addCallObserver(listener: CallListener, options: ObserveOptions = {}): Promise<void> {
    return this.#host.addObserver({ kind: 'terminal', name: this.name }, true, listener, options);
  }

  removeCallObserver(listener: CallListener): Promise<void> {
    return this.#host.removeObserver({ kind: 'terminal', name: this.name }, listener);
  }

  /** JTAPI addObserver: only this device's own events (in/out of service, restricted, device state). */
  addObserver(listener: ObjectListener, options: ObserveOptions = {}): Promise<void> {
    return this.#host.addObserver({ kind: 'terminal', name: this.name }, false, listener, options);
  }

  removeObserver(listener: ObjectListener): Promise<void> {
    return this.#host.removeObserver({ kind: 'terminal', name: this.name }, listener);
  }

  /**
   * CallControlTerminal.setDoNotDisturb (Cisco's do not disturb with call reject): the terminal is
   * offered no new call until switched off; a line whose every phone is in do not disturb is busy to
   * callers. Every provider with the terminal is told by CallCtlTermDoNotDisturbEv.
   */
  async setDoNotDisturb(on: boolean, options: ControlOptions = {}): Promise<void> {
    await this.#host.request('terminal.setDoNotDisturb', { name: this.name, on }, options);
  }

  /** CallControlTerminal.getDoNotDisturb. */
  async getDoNotDisturb(options: ControlOptions = {}): Promise<boolean> {
    return (await this.#host.request('terminal.getDoNotDisturb', { name: this.name }, options)).on;
  }

  /**
   * CallControlTerminal.pickup(pickupAddress, terminalAddress), directed pickup: the call ringing at
   * `pickupAddress` (a line of the domain) is taken by this terminal on `address` — the phones
   * ringing there stop (call-control cause CALL_PICKUP) and this phone is called, asked to answer by
   * itself. Resolves with the call's id once it is offered here; InvalidStateError when nothing rings.
   */
  async pickup(
    pickupAddress: Address | string,
    address: Address | string,
    options: ControlOptions = {},
  ): Promise<string> {
    const result = await this.#host.request(
      'terminal.pickup',
      {
        name: this.name,
        address: typeof address === 'string' ? address : address.name,
        pickupAddress: typeof pickupAddress === 'string' ? pickupAddress : pickupAddress.name,
      },
      options,
    );
    return result.callId;
  }

  /**
   * CallControlTerminal.pickupFromGroup (CUCM's group pickup): the call that has rung longest at another
   * line of `address`'s call pickup group is taken by this terminal on `address`, asked to answer by
   * itself. Resolves with the call's id; InvalidStateError when nothing rings in the group.
   */
  async pickupFromGroup(address: Address | string, options: ControlOptions = {}): Promise<string> {
    const result = await this.#host.request(
      'terminal.pickupFromGroup',
      { name: this.name, address: typeof address === 'string' ? address : address.name },
      options,
    );
    return result.callId;
  }

  /**
   * CiscoTerminal.unPark: the call parked at `parkNumber` is offered to this terminal on `address`,
   * asked to answer by itself; resolves with the call's id. InvalidStateError when nothing is parked there.
   */
  async unpark(address: Address | string, parkNumber: string, options: ControlOptions = {}): Promise<string> {
    const result = await this.#host.request(
      'terminal.unpark',
      { name: this.name, address: typeof address === 'string' ? address : address.name, parkNumber },
      options,
    );
    return result.callId;
  }

  /**
   * Registers this CTI port or route point (CiscoMediaTerminal/CiscoRouteTerminal.register): it is in
   * service while this application holds it, and calls reach it. A port takes static media (one RTP
   * address for every call) or dynamic (an address per call, given with setRtpParams); a route point
   * none (it only routes) or dynamic. Resolves with `active: false` when another instance holds the
   * route point and this one stands by. The provider registers it again after a reconnect.
   */
  register(media: RegistrationMediaInfo, options: ControlOptions = {}): Promise<{ active: boolean }> {
    return this.#host.registerDevice(this.name, media, options);
  }

  /** Gives the device up; calls not yet connected there follow the line's forward on CTI failure. */
  unregister(options: ControlOptions = {}): Promise<void> {
    return this.#host.unregisterDevice(this.name, options);
  }

  /**
   * CiscoMediaTerminal.setRTPParams: the RTP address for one call of a dynamically registered device,
   * the answer to CiscoMediaOpenLogicalChannelEv.
   */
  async setRtpParams(callId: string, address: string, port: number, options: ControlOptions = {}): Promise<void> {
    await this.#host.request('terminal.setRtpParams', { name: this.name, callId, address, port }, options);
  }
}
