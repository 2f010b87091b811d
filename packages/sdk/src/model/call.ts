import { InvalidArgumentError, InvalidStateError } from '../errors.js';
import type { CallState } from '../wire.js';
import type { Address } from './address.js';
import type { Connection } from './connection.js';
import { connectionInternals } from './connection.js';
import type { ControlOptions, ProviderHost } from './host.js';
import type { Terminal } from './terminal.js';
import type { TerminalConnection } from './terminal-connection.js';

export interface CallParties {
  callingAddress?: Address | null | undefined;
  callingTerminal?: Terminal | null | undefined;
  calledAddress?: Address | null | undefined;
  lastRedirectedAddress?: Address | null | undefined;
  currentCallingAddress?: Address | null | undefined;
  currentCalledAddress?: Address | null | undefined;
  callingName?: string | null | undefined;
  currentCallingName?: string | null | undefined;
}

export interface CallInternals {
  create(callId: string, host: ProviderHost): Call;
  setState(call: Call, state: CallState): void;
  setParties(call: Call, parties: CallParties): void;
  /** The connection of `address`, created on first mention. */
  connection(call: Call, address: Address): Connection;
  observedBy(call: Call): Set<string>;
}
export let callInternals: CallInternals;

/**
 * JTAPI's Call, as the provider sees it through its observers. Created only by the Provider (a call
 * is invisible until an observer reports it); it creates its Connections, one per address.
 */
export class Call {
  /** The call id, unique across server restarts (CDRs carry the same id). */
  readonly callId: string;
  #state: CallState = 'IDLE';
  #transferEnable = true;
  #conferenceEnable = true;
  readonly #connections = new Map<string, Connection>();
  #callingAddress: Address | null = null;
  #callingTerminal: Terminal | null = null;
  #calledAddress: Address | null = null;
  #lastRedirectedAddress: Address | null = null;
  #currentCallingAddress: Address | null = null;
  #currentCalledAddress: Address | null = null;
  #callingName: string | null = null;
  #currentCallingName: string | null = null;
  /** Ids of the observers that currently report this call. */
  readonly #observedBy = new Set<string>();
  readonly #host: ProviderHost;

  private constructor(callId: string, host: ProviderHost) {
    this.callId = callId;
    this.#host = host;
  }

  static {
    callInternals = {
      create: (callId, host) => new Call(callId, host),
      setState(call, state) {
        call.#state = state;
      },
      setParties(call, parties) {
        if (parties.callingAddress !== undefined) call.#callingAddress = parties.callingAddress;
        if (parties.callingTerminal !== undefined) call.#callingTerminal = parties.callingTerminal;
        if (parties.calledAddress !== undefined) call.#calledAddress = parties.calledAddress;
        if (parties.lastRedirectedAddress !== undefined) call.#lastRedirectedAddress = parties.lastRedirectedAddress;
        if (parties.currentCallingAddress !== undefined) call.#currentCallingAddress = parties.currentCallingAddress;
        if (parties.currentCalledAddress !== undefined) call.#currentCalledAddress = parties.currentCalledAddress;
        if (parties.callingName !== undefined) call.#callingName = parties.callingName;
        if (parties.currentCallingName !== undefined) call.#currentCallingName = parties.currentCallingName;
      },
      connection(call, address) {
        let connection = call.#connections.get(address.name);
        if (connection === undefined) {
          connection = connectionInternals.create(call, address, call.#host);
          call.#connections.set(address.name, connection);
        }
        return connection;
      },
      observedBy: (call) => call.#observedBy,
    };
  }

  /** IDLE, ACTIVE or INVALID (over: every connection has left). */
  get state(): CallState {
    return this.#state;
  }

  get connections(): Connection[] {
    return [...this.#connections.values()];
  }

  getConnection(addressName: string): Connection | undefined {
    return this.#connections.get(addressName);
  }

  /** Who called (CallCtlCallEv.getCallingAddress). */
  get callingAddress(): Address | null {
    return this.#callingAddress;
  }

  get callingTerminal(): Terminal | null {
    return this.#callingTerminal;
  }

  /** The number that was dialled. */
  get calledAddress(): Address | null {
    return this.#calledAddress;
  }

  /** CiscoCall.getCurrentCallingAddress: after a transfer, the party that stayed. */
  get currentCallingAddress(): Address | null {
    return this.#currentCallingAddress;
  }

  /** CiscoCall.getCurrentCalledAddress: after forwarding, where the call is offered now. */
  get currentCalledAddress(): Address | null {
    return this.#currentCalledAddress;
  }

  /** The address that last forwarded or redirected the call, if any did. */
  get lastRedirectedAddress(): Address | null {
    return this.#lastRedirectedAddress;
  }

  /**
   * CiscoCall.getCallingPartyDisplayName: the caller's name as its signalling gave it (a SIP From
   * display name), or null when it gave none.
   */
  get callingName(): string | null {
    return this.#callingName;
  }

  /** CiscoCall.getCurrentCallingPartyDisplayName: the name of the current calling party, or null. */
  get currentCallingName(): string | null {
    return this.#currentCallingName;
  }

  // ---- call control (domain reference §2.8) -----------------------------------------------------

  /**
   * JTAPI Call.connect: makes this IDLE call (from Provider.createCall) from `terminal` on `address`
   * to `digits`. The server calls the phone first, asking it to answer by itself, then the number.
   * Needs a call observer on the terminal or the address (JTAPI does too). Resolves once the phone is
   * off hook and the number dialled, with the connections known then (originating first); rejects
   * with ResourceUnavailableError when the phone does not take the call, InvalidStateError when the
   * call is not IDLE or nothing observes the terminal or address.
   */
  async connect(
    terminal: Terminal | string,
    address: Address | string,
    digits: string,
    options: ControlOptions = {},
  ): Promise<Connection[]> {
    if (this.#state !== 'IDLE' || this.#connections.size > 0) {
      throw new InvalidStateError(
        `Call ${this.callId} is ${this.#state}; only a new call from createCall can connect.`,
      );
    }
    const terminalName = nameOf(terminal);
    const addressName = nameOf(address);
    this.#host.adoptCall(this);
    await this.#host.request(
      'call.connect',
      {
        terminal: terminalName,
        address: addressName,
        dialled: digits,
        callId: this.callId,
        ...(this.#transferEnable ? {} : { transferEnable: false }),
        ...(this.#conferenceEnable ? {} : { conferenceEnable: false }),
      },
      options,
    );
    return this.#originFirst(addressName);
  }

  /**
   * CallControlCall.setTransferEnable: whether applications may transfer this call; set before
   * connect (InvalidStateError after). Phones' own transfer keys are not affected.
   */
  setTransferEnable(enable: boolean): void {
    this.#assertIdle('setTransferEnable');
    this.#transferEnable = enable;
  }

  /** CallControlCall.setConferenceEnable: whether applications may conference this call; set before connect. */
  setConferenceEnable(enable: boolean): void {
    this.#assertIdle('setConferenceEnable');
    this.#conferenceEnable = enable;
  }

  #assertIdle(method: string): void {
    if (this.#state !== 'IDLE' || this.#connections.size > 0) {
      throw new InvalidStateError(
        `Call ${this.callId} is ${this.#state}; ${method} is for a new call, before connect.`,
      );
    }
  }

  /**
   * CallControlCall.consult: `tc` (TALKING in another call) is held and this IDLE call is made from
   * the same terminal and address to `digits`, as connect does. Resolves with this call's connections.
   */
  async consult(tc: TerminalConnection, digits: string, options: ControlOptions = {}): Promise<Connection[]> {
    if (this.#state !== 'IDLE' || this.#connections.size > 0) {
      throw new InvalidStateError(`Call ${this.callId} is ${this.#state}; consult from a new call (createCall).`);
    }
    const address = tc.connection.address.name;
    this.#host.adoptCall(this);
    await this.#host.request(
      'call.consult',
      {
        callId: tc.connection.call.callId,
        address,
        terminal: tc.terminal.name,
        dialled: digits,
        consultCallId: this.callId,
      },
      options,
    );
    return this.#originFirst(address);
  }

  /**
   * CallControlCall.transfer. With another call (a consult call of the same controller): the party
   * there joins this call and the controller leaves both. With digits: a blind transfer of this call
   * by `controller` (by default this call's TALKING terminal connection of the provider's domain).
   */
  async transfer(to: Call | string, options: ControlOptions & { controller?: TerminalConnection } = {}): Promise<void> {
    const controller = options.controller;
    if (typeof to !== 'string') {
      await this.#host.request(
        'call.transfer',
        {
          callId: this.callId,
          otherCallId: to.callId,
          ...(controller === undefined ? {} : { controller: refOf(controller) }),
        },
        options,
      );
      return;
    }
    const by = controller ?? this.#talkingInDomain();
    await this.#host.request('call.transfer', { callId: this.callId, destination: to, controller: refOf(by) }, options);
  }

  /**
   * CallControlCall.conference: the other call (of the same controller) is merged into this one, and
   * every party talks through the server's conference bridge. Resolves once all are bridged.
   */
  async conference(other: Call, options: ControlOptions & { controller?: TerminalConnection } = {}): Promise<void> {
    const controller = options.controller;
    await this.#host.request(
      'call.conference',
      {
        callId: this.callId,
        otherCallId: other.callId,
        ...(controller === undefined ? {} : { controller: refOf(controller) }),
      },
      options,
    );
  }

  /**
   * CallControlCall.addParty, a single-step conference: `controller` (a TALKING terminal connection of
   * this call) calls `number`; once it answers, it joins this call on the server's conference bridge.
   * Rejects with ResourceUnavailableError when it does not answer; the call then goes on as it was.
   */
  async addParty(number: string, options: ControlOptions & { controller: TerminalConnection }): Promise<void> {
    await this.#host.request(
      'call.addParty',
      { callId: this.callId, controller: refOf(options.controller), dialled: number },
      options,
    );
  }

  /** CallControlCall.drop: ends the call for every party. */
  async drop(options: ControlOptions = {}): Promise<void> {
    await this.#host.request('call.drop', { callId: this.callId }, options);
  }

  /** The connections known now, the originating address's first (JTAPI's Connection[]{orig, dest}). */
  #originFirst(address: string): Connection[] {
    const all = this.connections;
    return [...all.filter((c) => c.address.name === address), ...all.filter((c) => c.address.name !== address)];
  }

  #talkingInDomain(): TerminalConnection {
    for (const connection of this.#connections.values()) {
      for (const tc of connection.terminalConnections) {
        if (tc.callControlState === 'TALKING' && tc.terminal.inDomain) return tc;
      }
    }
    throw new InvalidArgumentError(
      `Call ${this.callId} has no TALKING terminal connection of this provider's domain; name the controller.`,
    );
  }
}

function nameOf(object: { readonly name: string } | string): string {
  return typeof object === 'string' ? object : object.name;
}

function refOf(tc: TerminalConnection): { address: string; terminal: string } {
  return { address: tc.connection.address.name, terminal: tc.terminal.name };
}
