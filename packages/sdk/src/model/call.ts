import type { CallState } from '../wire.js';
import type { Address } from './address.js';
import type { Connection } from './connection.js';
import { connectionInternals } from './connection.js';
import type { Terminal } from './terminal.js';

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
  create(callId: string): Call;
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

  private constructor(callId: string) {
    this.callId = callId;
  }

  static {
    callInternals = {
      create: (callId) => new Call(callId),
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
          connection = connectionInternals.create(call, address);
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
}
