import type { CtiEvent } from '../events.js';
import type { AddressInfo, ProviderState, TerminalInfo, WireEvent } from '../wire.js';
import type { Address } from './address.js';
import { addressInternals } from './address.js';
import type { Call } from './call.js';
import { callInternals } from './call.js';
import type { ProviderHost } from './host.js';
import type { Terminal } from './terminal.js';
import { terminalInternals } from './terminal.js';
import { connectionInternals } from './connection.js';
import { terminalConnectionInternals } from './terminal-connection.js';

/** How many ended calls are remembered, so a late event about one (a second observer's copy) finds it. */
const ENDED_CALLS_KEPT = 256;

/**
 * The provider's object model: its terminals and addresses, the parties outside the domain seen in
 * observed calls, and the live calls. Events are applied here before any listener runs, so every
 * listener sees objects that already agree with the event it is told.
 */
export class Domain {
  readonly #host: ProviderHost;
  readonly #terminals = new Map<string, Terminal>();
  readonly #addresses = new Map<string, Address>();
  readonly #externalTerminals = new Map<string, Terminal>();
  readonly #externalAddresses = new Map<string, Address>();
  readonly #calls = new Map<string, Call>();
  readonly #ended = new Map<string, Call>();
  state: ProviderState = 'OUT_OF_SERVICE';

  constructor(host: ProviderHost) {
    this.#host = host;
  }

  get terminals(): Terminal[] {
    return [...this.#terminals.values()];
  }

  get addresses(): Address[] {
    return [...this.#addresses.values()];
  }

  get calls(): Iterable<Call> {
    return this.#calls.values();
  }

  findTerminal(name: string): Terminal | undefined {
    return this.#terminals.get(name);
  }

  findAddress(name: string): Address | undefined {
    return this.#addresses.get(name);
  }

  findCall(callId: string): Call | undefined {
    return this.#calls.get(callId);
  }

  /** A terminal by name: the domain's, else one standing for a device outside it. */
  terminal(name: string): Terminal {
    const known = this.#terminals.get(name) ?? this.#externalTerminals.get(name);
    if (known !== undefined) return known;
    const external = terminalInternals.createExternal(this.#host, name);
    this.#externalTerminals.set(name, external);
    return external;
  }

  /** An address by name: the domain's, else one standing for a number outside it. */
  address(name: string): Address {
    const known = this.#addresses.get(name) ?? this.#externalAddresses.get(name);
    if (known !== undefined) return known;
    const external = addressInternals.createExternal(this.#host, name);
    this.#externalAddresses.set(name, external);
    return external;
  }

  /**
   * Replaces the terminals and addresses with a fresh domain (provider open, snapshot). Objects the
   * application holds stay valid where the name is still there; the others leave the maps.
   */
  setDomain(terminals: readonly TerminalInfo[], addresses: readonly AddressInfo[]): void {
    const keepT = new Set(terminals.map((t) => t.name));
    for (const name of this.#terminals.keys()) if (!keepT.has(name)) this.#terminals.delete(name);
    for (const info of terminals) this.putTerminal(info);
    const keepA = new Set(addresses.map((a) => a.name));
    for (const name of this.#addresses.keys()) if (!keepA.has(name)) this.#addresses.delete(name);
    for (const info of addresses) this.putAddress(info);
  }

  putTerminal(info: TerminalInfo): Terminal {
    let terminal = this.#terminals.get(info.name) ?? this.#externalTerminals.get(info.name);
    if (terminal === undefined) {
      terminal = terminalInternals.create(this.#host, info);
    } else {
      terminalInternals.update(terminal, info);
      this.#externalTerminals.delete(info.name);
    }
    this.#terminals.set(info.name, terminal);
    return terminal;
  }

  putAddress(info: AddressInfo): Address {
    let address = this.#addresses.get(info.name) ?? this.#externalAddresses.get(info.name);
    if (address === undefined) {
      address = addressInternals.create(this.#host, info);
    } else {
      addressInternals.update(address, info);
      this.#externalAddresses.delete(info.name);
    }
    this.#addresses.set(info.name, address);
    return address;
  }

  /** Forgets every call (the provider was opened anew; snapshots will announce those still up). */
  clearCalls(): void {
    this.#calls.clear();
  }

  /** A live call for a snapshot: the one the application may already hold, else a new one. */
  restoreCall(callId: string): Call {
    this.#ended.delete(callId);
    const call = this.#calls.get(callId) ?? callInternals.create(callId, this.#host);
    this.#calls.set(callId, call);
    return call;
  }

  /** A call the application created, connecting now: its events will find it. */
  adoptCall(call: Call): void {
    this.#calls.set(call.callId, call);
  }

  /** A new IDLE call with an id of the application's own (Provider.createCall). */
  createCall(): Call {
    return callInternals.create(newCallId(), this.#host);
  }

  /** The call of `callId`: live, recently ended, or new (and then live). */
  #call(callId: string): Call {
    const known = this.#calls.get(callId) ?? this.#ended.get(callId);
    if (known !== undefined) return known;
    const call = callInternals.create(callId, this.#host);
    this.#calls.set(callId, call);
    return call;
  }

  #end(call: Call): void {
    this.#calls.delete(call.callId);
    this.#ended.set(call.callId, call);
    if (this.#ended.size > ENDED_CALLS_KEPT) {
      const oldest = this.#ended.keys().next().value;
      if (oldest !== undefined) this.#ended.delete(oldest);
    }
  }

  #optionalAddress(name: unknown): Address | null | undefined {
    if (name === undefined) return undefined;
    if (name === null || typeof name !== 'string' || name === '') return null;
    return this.address(name);
  }

  #optionalTerminal(name: unknown): Terminal | null | undefined {
    if (name === undefined) return undefined;
    if (name === null || typeof name !== 'string' || name === '') return null;
    return this.terminal(name);
  }

  /**
   * Updates the model from one event and returns the event with its objects attached. The wire
   * event is the session's own (freshly parsed, seen by nobody else), so the objects are attached to
   * it and it is frozen in place: a copy per event is what an application watching many lines pays
   * for most after the parse itself.
   */
  apply(event: WireEvent): CtiEvent {
    const e = event as WireEvent & Record<string, unknown>;
    if (typeof e.callId === 'string') return this.#applyCallEvent(e, e.callId);
    this.#applyProviderEvent(e);
    return Object.freeze(e) as unknown as CtiEvent;
  }

  #applyCallEvent(e: WireEvent & Record<string, unknown>, callId: string): CtiEvent {
    const call = this.#call(callId);
    const observers = callInternals.observedBy(call);
    if (typeof e.observerId === 'string') observers.add(e.observerId);
    callInternals.setParties(call, {
      callingAddress: this.#optionalAddress(e.callingAddress),
      callingTerminal: this.#optionalTerminal(e.callingTerminal),
      calledAddress: this.#optionalAddress(e.calledAddress),
      lastRedirectedAddress: this.#optionalAddress(e.lastRedirectedAddress),
      currentCallingAddress: this.#optionalAddress(e.currentCallingAddress),
      currentCalledAddress: this.#optionalAddress(e.currentCalledAddress),
      callingName: optionalName(e.callingName),
      currentCallingName: optionalName(e.currentCallingName),
    });
    if (call.state === 'IDLE' && e.type !== 'CallInvalidEv') callInternals.setState(call, 'ACTIVE');
    e.call = call;
    if (typeof e.address === 'string' && typeof e.connectionState === 'string') {
      const connection = callInternals.connection(call, this.address(e.address));
      connectionInternals.setState(
        connection,
        e.connectionState as never,
        (e.callControlState ?? connection.callControlState) as never,
        typeof e.reason === 'number' ? e.reason : undefined,
      );
      e.connection = connection;
    }
    if (
      typeof e.address === 'string' &&
      typeof e.terminal === 'string' &&
      typeof e.terminalConnectionState === 'string'
    ) {
      const connection = callInternals.connection(call, this.address(e.address));
      const tc = connectionInternals.terminalConnection(connection, this.terminal(e.terminal));
      terminalConnectionInternals.setState(
        tc,
        e.terminalConnectionState as never,
        (e.callControlTerminalConnectionState ?? tc.callControlState) as never,
      );
      e.connection = connection;
      e.terminalConnection = tc;
    }
    switch (e.type) {
      case 'CallActiveEv':
        callInternals.setState(call, 'ACTIVE');
        break;
      case 'CallInvalidEv':
        callInternals.setState(call, 'INVALID');
        this.#end(call);
        break;
      case 'CallObservationEndedEv':
        if (typeof e.observerId === 'string') observers.delete(e.observerId);
        // A call is visible only while some observer reports it (JTAPI §Provider.getCalls).
        if (observers.size === 0) {
          if (call.state === 'INVALID') this.#end(call);
          else this.#calls.delete(call.callId);
        }
        break;
    }
    return Object.freeze(e) as unknown as CtiEvent;
  }

  #applyProviderEvent(e: WireEvent & Record<string, unknown>): void {
    const name = typeof e.name === 'string' ? e.name : undefined;
    const terminalName = typeof e.terminal === 'string' ? e.terminal : undefined;
    switch (e.type) {
      case 'ProvInServiceEv':
        this.state = 'IN_SERVICE';
        return;
      case 'ProvOutOfServiceEv':
        this.state = 'OUT_OF_SERVICE';
        return;
      case 'ProvShutdownEv':
        this.state = 'SHUTDOWN';
        return;
      case 'CiscoTermCreatedEv':
        if (typeof e.terminal === 'object' && e.terminal !== null) this.putTerminal(e.terminal as TerminalInfo);
        return;
      case 'CiscoAddrCreatedEv':
        if (typeof e.address === 'object' && e.address !== null) this.putAddress(e.address as AddressInfo);
        return;
      case 'CiscoTermRemovedEv':
        if (name !== undefined) this.#terminals.delete(name);
        return;
      case 'CiscoAddrRemovedEv':
        if (name !== undefined) this.#addresses.delete(name);
        return;
      case 'CiscoAddrAddedToTerminalEv':
      case 'CiscoAddrRemovedFromTerminalEv': {
        const addressName = typeof e.address === 'string' ? e.address : undefined;
        if (addressName === undefined || terminalName === undefined) return;
        const added = e.type === 'CiscoAddrAddedToTerminalEv';
        const terminal = this.#terminals.get(terminalName);
        if (terminal !== undefined) {
          const names = terminal.addresses.map((a) => a.name).filter((n) => n !== addressName);
          terminalInternals.update(terminal, { addresses: added ? [...names, addressName] : names });
        }
        const address = this.#addresses.get(addressName);
        if (address !== undefined && added) addressInternals.updateAppearance(address, terminalName, {});
        if (address !== undefined && !added) {
          addressInternals.update(address, {
            terminals: address.terminals
              .filter((t) => t.name !== terminalName)
              .map((t) => ({ terminal: t.name, restricted: address.isRestrictedOn(t), inService: t.inService })),
          });
        }
        return;
      }
      case 'CiscoTermInServiceEv':
      case 'CiscoTermOutOfServiceEv':
        this.#updateTerminal(name, { inService: e.type === 'CiscoTermInServiceEv' });
        return;
      case 'CiscoTermRestrictedEv':
      case 'CiscoTermActivatedEv':
        this.#updateTerminal(name, { restricted: e.type === 'CiscoTermRestrictedEv' });
        return;
      case 'CiscoAddrInServiceEv':
      case 'CiscoAddrOutOfServiceEv': {
        const address = name === undefined ? undefined : this.#addresses.get(name);
        if (address === undefined) return;
        const inService = e.type === 'CiscoAddrInServiceEv';
        if (terminalName !== undefined) addressInternals.updateAppearance(address, terminalName, { inService });
        else addressInternals.update(address, { inService });
        return;
      }
      case 'CiscoAddrRestrictedEv':
      case 'CiscoAddrActivatedEv': {
        const address = name === undefined ? undefined : this.#addresses.get(name);
        if (address !== undefined) addressInternals.update(address, { restricted: e.type === 'CiscoAddrRestrictedEv' });
        return;
      }
      case 'CiscoAddrRestrictedOnTerminalEv':
      case 'CiscoAddrActivatedOnTerminalEv': {
        const address = name === undefined ? undefined : this.#addresses.get(name);
        if (address !== undefined && terminalName !== undefined)
          addressInternals.updateAppearance(address, terminalName, {
            restricted: e.type === 'CiscoAddrRestrictedOnTerminalEv',
          });
        return;
      }
    }
  }

  #updateTerminal(name: string | undefined, change: Partial<TerminalInfo>): void {
    const terminal = name === undefined ? undefined : this.#terminals.get(name);
    if (terminal !== undefined) terminalInternals.update(terminal, change);
  }
}

/** A call id the application chooses for a call it makes: a UUID, unique without asking the server. */
function newCallId(): string {
  return globalThis.crypto.randomUUID();
}

/** A name field of an event: null when absent or empty (older servers send none). */
function optionalName(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
