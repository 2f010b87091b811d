import type { MethodName, MethodParams, MethodResult } from '@strowger/protocol';
import { ErrorCode, StrowgerError, isStrowgerError } from '../../core/index.js';
import type { CallSnapshot, ForwardTarget } from '../../switch/index.js';
import { CtiRole } from '../permissions/roles.js';
import { addressRefusal, terminalRefusal, type DomainView } from './domain-view.js';
import type { CtiProvider } from './provider.js';

/** A terminal connection or connection as the engine's call-control operations name it. */
interface PartyRef {
  readonly callId: string;
  readonly address: string;
  readonly terminal: string;
}

/** The engine's call-control operations (domain reference §2.8), as the CTI layer calls them. */
export interface CallControlEngine {
  answer(ref: PartyRef): Promise<void>;
  accept(ref: { callId: string; address: string }): void;
  reject(ref: { callId: string; address: string }): void;
  hold(ref: PartyRef): Promise<void>;
  unhold(ref: PartyRef): Promise<void>;
  generateDtmf(ref: PartyRef, digits: string): Promise<void>;
  disconnect(ref: { callId: string; address: string }): void;
  redirect(callId: string, destination: string, options?: { callingNumber?: string }): void;
  makeCall(request: {
    device: string;
    line?: string;
    dialled: string;
    callId?: string;
    allowed?: { transfer?: boolean; conference?: boolean };
  }): Promise<string>;
  consult(ref: PartyRef, dialled: string, callId?: string): Promise<string>;
  transferTo(ref: PartyRef, destination: string): void;
  transferCall(callId: string, otherCallId: string, controller?: string): void;
  conferenceCalls(callId: string, otherCallId: string, controller?: string): Promise<void>;
  addParty(ref: PartyRef, dialled: string): Promise<void>;
  drop(callId: string): void;
  setForwardAll(dn: string, destination: string | undefined): void;
  setMessageWaiting(dn: string, waiting: boolean): void;
  setDoNotDisturb(device: string, on: boolean): void;
  doNotDisturbOf(device: string): boolean;
  pickup(request: { device: string; line: string; pickupAddress: string }): string;
  pickupFromGroup(request: { device: string; line: string }): string;
  park(ref: PartyRef): Promise<string>;
  unpark(request: { device: string; line: string; parkNumber: string }): string;
  messageWaitingOf(dn: string): boolean;
  forwardingOf(dn: string): {
    all: ForwardTarget | undefined;
    busy: ForwardTarget | undefined;
    noAnswer: ForwardTarget | undefined;
    unregistered: ForwardTarget | undefined;
    allSetByApplication: boolean;
  };
  snapshotCall(callId: string): { readonly call: CallSnapshot } | undefined;
}

/** The methods that control calls: exactly what the explainer's "control" verdict allows. */
export const callControlMethods = [
  'terminalConnection.answer',
  'terminalConnection.hold',
  'terminalConnection.unhold',
  'terminalConnection.generateDtmf',
  'connection.disconnect',
  'connection.redirect',
  'call.connect',
  'call.consult',
  'call.transfer',
  'call.conference',
  'call.addParty',
  'call.drop',
  'connection.accept',
  'connection.reject',
  'address.setForwarding',
  'address.cancelForwarding',
  'address.getForwarding',
  'address.setMessageWaiting',
  'address.getMessageWaiting',
  'terminal.setDoNotDisturb',
  'terminal.getDoNotDisturb',
  'terminal.pickup',
  'terminal.pickupFromGroup',
  'terminalConnection.park',
  'terminal.unpark',
] as const satisfies readonly MethodName[];

export type CallControlMethod = (typeof callControlMethods)[number];

export function isCallControlMethod(method: MethodName): method is CallControlMethod {
  return (callControlMethods as readonly string[]).includes(method);
}

/**
 * Call-control requests of one provider: every request is checked against the provider's domain as
 * the permission evaluator built it (domain reference §3.8) — the terminal and the line appearance
 * it acts on must be in the domain and unrestricted, the role a variant needs must be held (§3.2) —
 * and only then handed to the engine, whose own precondition errors (§2.8, §2.11) come back with the
 * Cisco name of the failure in `details.cisco`.
 */
export class CallControlRequests {
  readonly #engine: CallControlEngine;

  constructor(engine: CallControlEngine) {
    this.#engine = engine;
  }

  async handle<M extends CallControlMethod>(
    provider: CtiProvider,
    method: M,
    params: MethodParams<M>,
  ): Promise<MethodResult<M>> {
    try {
      return (await this.#run(provider, method, params as MethodParams<CallControlMethod>)) as MethodResult<M>;
    } catch (error) {
      throw withCiscoName(error);
    }
  }

  async #run(
    provider: CtiProvider,
    method: CallControlMethod,
    params: MethodParams<CallControlMethod>,
  ): Promise<MethodResult<CallControlMethod>> {
    const engine = this.#engine;
    const view = provider.view;
    switch (method) {
      case 'terminalConnection.answer':
      case 'terminalConnection.hold':
      case 'terminalConnection.unhold': {
        const p = params as MethodParams<'terminalConnection.answer'>;
        assertControllable(view, p.terminal, p.address);
        const ref = { callId: p.callId, address: p.address, terminal: p.terminal };
        if (method === 'terminalConnection.answer') await engine.answer(ref);
        else if (method === 'terminalConnection.hold') await engine.hold(ref);
        else await engine.unhold(ref);
        return {};
      }
      case 'terminalConnection.generateDtmf': {
        const p = params as MethodParams<'terminalConnection.generateDtmf'>;
        assertControllable(view, p.terminal, p.address);
        await engine.generateDtmf({ callId: p.callId, address: p.address, terminal: p.terminal }, p.digits);
        return {};
      }
      case 'connection.accept':
      case 'connection.reject': {
        const p = params as MethodParams<'connection.accept'>;
        assertAddress(view, p.address);
        const offeredAt = this.#call(p.callId)
          .connections.find((c) => c.address === p.address && c.state === 'OFFERED')
          ?.terminalConnections.find((tc) => tc.state !== 'DROPPED')?.terminal;
        // The route point the call is offered at must be this provider's to control too.
        if (offeredAt !== undefined) assertControllable(view, offeredAt, p.address);
        const ref = { callId: p.callId, address: p.address };
        if (method === 'connection.accept') engine.accept(ref);
        else engine.reject(ref);
        return {};
      }
      case 'connection.disconnect': {
        const p = params as MethodParams<'connection.disconnect'>;
        assertAddress(view, p.address);
        engine.disconnect({ callId: p.callId, address: p.address });
        return {};
      }
      case 'connection.redirect': {
        const p = params as MethodParams<'connection.redirect'>;
        assertAddress(view, p.address);
        if (p.callingNumber !== undefined) assertMayModifyCallingNumber(provider);
        const connection = this.#call(p.callId).connections.find(
          (c) => c.address === p.address && (c.state === 'OFFERED' || c.state === 'ALERTING' || c.state === 'QUEUED'),
        );
        if (connection === undefined) {
          throw new StrowgerError(
            ErrorCode.InvalidState,
            `${p.address} has no OFFERED or ALERTING connection in call ${p.callId}; only a call not yet answered there can be redirected`,
            { details: { cisco: 'REDIRECT_CALL_INCOMPATIBLE_STATE' } },
          );
        }
        engine.redirect(
          p.callId,
          p.destination,
          p.callingNumber === undefined ? {} : { callingNumber: p.callingNumber },
        );
        return {};
      }
      case 'call.connect': {
        const p = params as MethodParams<'call.connect'>;
        assertControllable(view, p.terminal, p.address);
        assertObserved(provider, p.terminal, p.address);
        const callId = await engine.makeCall({
          device: p.terminal,
          line: p.address,
          dialled: p.dialled,
          ...(p.callId === undefined ? {} : { callId: p.callId }),
          allowed: {
            ...(p.transferEnable === undefined ? {} : { transfer: p.transferEnable }),
            ...(p.conferenceEnable === undefined ? {} : { conference: p.conferenceEnable }),
          },
        });
        return { callId };
      }
      case 'call.consult': {
        const p = params as MethodParams<'call.consult'>;
        assertControllable(view, p.terminal, p.address);
        const ref = { callId: p.callId, address: p.address, terminal: p.terminal };
        return { callId: await engine.consult(ref, p.dialled, p.consultCallId) };
      }
      case 'call.transfer': {
        const p = params as MethodParams<'call.transfer'>;
        if ('destination' in p) {
          assertControllable(view, p.controller.terminal, p.controller.address);
          engine.transferTo({ callId: p.callId, ...p.controller }, p.destination);
        } else {
          engine.transferCall(p.callId, p.otherCallId, this.#controller(view, p.callId, p.otherCallId, p.controller));
        }
        return {};
      }
      case 'call.conference': {
        const p = params as MethodParams<'call.conference'>;
        const controller = this.#controller(view, p.callId, p.otherCallId, p.controller);
        await engine.conferenceCalls(p.callId, p.otherCallId, controller);
        return {};
      }
      case 'address.setForwarding': {
        const p = params as MethodParams<'address.setForwarding'>;
        assertAddress(view, p.address);
        engine.setForwardAll(p.address, p.forwardAll);
        return {};
      }
      case 'address.cancelForwarding': {
        const p = params as MethodParams<'address.cancelForwarding'>;
        assertAddress(view, p.address);
        engine.setForwardAll(p.address, undefined);
        return {};
      }
      case 'address.getForwarding': {
        const p = params as MethodParams<'address.getForwarding'>;
        assertAddress(view, p.address);
        const forwarding = engine.forwardingOf(p.address);
        return {
          all: forwarding.all ?? null,
          busy: forwarding.busy ?? null,
          noAnswer: forwarding.noAnswer ?? null,
          unregistered: forwarding.unregistered ?? null,
          allSetByApplication: forwarding.allSetByApplication,
        };
      }
      case 'address.setMessageWaiting': {
        const p = params as MethodParams<'address.setMessageWaiting'>;
        assertAddress(view, p.address);
        engine.setMessageWaiting(p.address, p.waiting);
        return {};
      }
      case 'address.getMessageWaiting': {
        const p = params as MethodParams<'address.getMessageWaiting'>;
        assertAddress(view, p.address);
        return { waiting: engine.messageWaitingOf(p.address) };
      }
      case 'terminal.setDoNotDisturb': {
        const p = params as MethodParams<'terminal.setDoNotDisturb'>;
        assertTerminal(view, p.name);
        engine.setDoNotDisturb(p.name, p.on);
        return {};
      }
      case 'terminal.getDoNotDisturb': {
        const p = params as MethodParams<'terminal.getDoNotDisturb'>;
        assertTerminal(view, p.name);
        return { on: engine.doNotDisturbOf(p.name) };
      }
      case 'terminal.pickup': {
        const p = params as MethodParams<'terminal.pickup'>;
        assertControllable(view, p.name, p.address);
        // The ringing line must be one this provider may see too: picking up is taking its call.
        assertAddress(view, p.pickupAddress);
        return { callId: engine.pickup({ device: p.name, line: p.address, pickupAddress: p.pickupAddress }) };
      }
      case 'call.addParty': {
        const p = params as MethodParams<'call.addParty'>;
        assertControllable(view, p.controller.terminal, p.controller.address);
        await engine.addParty({ callId: p.callId, ...p.controller }, p.dialled);
        return {};
      }
      case 'terminal.pickupFromGroup': {
        const p = params as MethodParams<'terminal.pickupFromGroup'>;
        assertControllable(view, p.name, p.address);
        return { callId: engine.pickupFromGroup({ device: p.name, line: p.address }) };
      }
      case 'terminalConnection.park': {
        const p = params as MethodParams<'terminalConnection.park'>;
        assertControllable(view, p.terminal, p.address);
        return { parkNumber: await engine.park({ callId: p.callId, address: p.address, terminal: p.terminal }) };
      }
      case 'terminal.unpark': {
        const p = params as MethodParams<'terminal.unpark'>;
        assertControllable(view, p.name, p.address);
        return { callId: engine.unpark({ device: p.name, line: p.address, parkNumber: p.parkNumber }) };
      }
      case 'call.drop': {
        const p = params as MethodParams<'call.drop'>;
        const call = this.#call(p.callId);
        const reachable = call.connections.some(
          (c) =>
            c.state !== 'DISCONNECTED' &&
            c.state !== 'FAILED' &&
            c.terminalConnections.some(
              (tc) =>
                tc.state !== 'DROPPED' &&
                terminalRefusal(view, tc.terminal) === undefined &&
                appearanceRefusal(view, c.address, tc.terminal) === undefined,
            ),
        );
        if (!reachable) {
          throw new StrowgerError(
            ErrorCode.AccessToDeviceDenied,
            `call ${p.callId} has no terminal this provider may control, so it cannot drop it`,
          );
        }
        engine.drop(p.callId);
        return {};
      }
    }
  }

  /**
   * The transfer or conference controller: the one named (checked), else the terminal of this
   * provider's domain that is connected in both calls.
   */
  #controller(
    view: DomainView,
    callId: string,
    otherCallId: string,
    named: { address: string; terminal: string } | undefined,
  ): string {
    if (named !== undefined) {
      assertControllable(view, named.terminal, named.address);
      return named.terminal;
    }
    const connectedIn = (id: string): Set<string> =>
      new Set(
        this.#call(id).connections.flatMap((c) =>
          c.terminalConnections
            .filter((tc) => tc.state === 'TALKING' || tc.state === 'HELD')
            .filter((tc) => appearanceRefusal(view, c.address, tc.terminal) === undefined)
            .map((tc) => tc.terminal),
        ),
      );
    const other = connectedIn(otherCallId);
    const common = [...connectedIn(callId)].filter((t) => other.has(t));
    const controllable = common.find((terminal) => terminalRefusal(view, terminal) === undefined);
    if (controllable !== undefined) return controllable;
    const first = common[0];
    if (first !== undefined) throw terminalRefusal(view, first) ?? new StrowgerError(ErrorCode.Internal, 'no refusal');
    throw new StrowgerError(
      ErrorCode.InvalidState,
      `no terminal of this provider is connected in both call ${callId} and call ${otherCallId}; consult first, or name the controller`,
    );
  }

  #call(callId: string): CallSnapshot {
    const call = this.#engine.snapshotCall(callId)?.call;
    if (call === undefined) throw new StrowgerError(ErrorCode.NotFound, `No call ${callId} is in progress.`);
    return call;
  }
}

/** Changing the calling number of a redirect or a route needs its role (§3.2). */
export function assertMayModifyCallingNumber(provider: CtiProvider): void {
  if (provider.user.roles.has(CtiRole.CallingNumberModification)) return;
  throw new StrowgerError(
    ErrorCode.PrivilegeViolation,
    `${provider.user.userId} is not in "${CtiRole.CallingNumberModification}", so it cannot change the calling number of a redirect; add the group, or redirect without callingNumber`,
    { details: { cisco: 'CTIERR_REDIRECT_UNAUTHORIZED_COMMAND_USAGE' } },
  );
}

/** A terminal and one of its lines that this provider may control, or the refusal that says why not. */
export function assertControllable(view: DomainView, terminal: string, address: string): void {
  const refusal = terminalRefusal(view, terminal) ?? appearanceRefusal(view, address, terminal);
  if (refusal !== undefined) throw refusal;
}

export function assertTerminal(view: DomainView, terminal: string): void {
  const refusal = terminalRefusal(view, terminal);
  if (refusal !== undefined) throw refusal;
}

export function assertAddress(view: DomainView, address: string): void {
  const refusal = addressRefusal(view, address);
  if (refusal !== undefined) throw refusal;
}

/** The line's appearance on the terminal: in the domain and not restricted there (§3.4). */
function appearanceRefusal(view: DomainView, address: string, terminal: string): StrowgerError | undefined {
  const line = view.addresses.get(address);
  const appearance = line?.terminals.find((t) => t.terminal === terminal);
  if (line === undefined || appearance === undefined) {
    return (
      addressRefusal(view, address) ??
      new StrowgerError(
        ErrorCode.InvalidArgument,
        `Line ${address} does not appear on terminal ${terminal}; its terminals are ${line?.terminals.map((t) => t.terminal).join(', ') ?? 'none'}.`,
      )
    );
  }
  if (appearance.restricted) {
    const why = view.restrictions.get(`${address}@${terminal}`);
    return new StrowgerError(
      why?.code ?? ErrorCode.LineRestricted,
      `Address ${address} is restricted on ${terminal}. ${why?.reason ?? ''}`.trim(),
    );
  }
  return undefined;
}

/**
 * JTAPI's Call.connect needs a call observer on the originating terminal or address (domain
 * reference §2.1): without one the application would not see the call it made.
 */
function assertObserved(provider: CtiProvider, terminal: string, address: string): void {
  for (const observer of provider.observers.values()) {
    const target = observer.target;
    if (!observer.callEvents) continue;
    if (target.kind === 'terminal' && target.name === terminal) return;
    if (target.kind === 'address' && target.name === address) return;
  }
  throw new StrowgerError(
    ErrorCode.InvalidState,
    `add a call observer to terminal ${terminal} or address ${address} before making a call from it (JTAPI Call.connect needs one)`,
  );
}

/** The engine names Cisco's error in `details.ciscoError`; the protocol carries it as `details.cisco`. */
function withCiscoName(error: unknown): unknown {
  if (!isStrowgerError(error)) return error;
  const ciscoError = error.details?.ciscoError;
  if (typeof ciscoError !== 'string') return error;
  const { ciscoError: _named, ...rest } = error.details ?? {};
  return new StrowgerError(error.code, error.message, { details: { ...rest, cisco: ciscoError }, cause: error });
}
