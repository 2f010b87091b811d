import { ErrorCode, StrowgerError, type Clock, type TypedEmitter } from '../../core/index.js';
import { newCallContext, stopNoAnswerTimer, type CallContext, type LegEntry } from '../call-context.js';
import type { Call } from '../call-model.js';
import { autoAnswerOf } from '../auto-answer.js';
import { progressCauses } from '../causes.js';
import type { SwitchDevice, SwitchLine } from '../config.js';
import type { Directory } from '../directory.js';
import type { SwitchEvents } from '../events.js';
import type { LineOccupancy } from '../line-occupancy.js';
import {
  releaseCauses,
  type DeviceDriver,
  type LegId,
  type PartyInfo,
  type ReleaseCause,
  type SessionDescription,
} from '../ports.js';
import type { ConnectionReason } from '../states.js';
import { invalidState, terminalConnectionOf, type CallLookup, type TerminalConnectionRef } from './call-refs.js';

/** JTAPI Call.connect(terminal, address, digits): a call made on a device's behalf. */
export interface MakeCallRequest {
  /** The device (terminal) the call is made from. */
  readonly device: string;
  /** The line (address) it is made from; the device's first line when absent. */
  readonly line?: string;
  readonly dialled: string;
  /** A call id the application chose, so it can match the events that come before the answer. */
  readonly callId?: string;
  /** JTAPI setTransferEnable / setConferenceEnable: false forbids applications to transfer / conference it. */
  readonly allowed?: { readonly transfer?: boolean; readonly conference?: boolean };
}

/** What making calls needs of the engine. */
export interface CallMakingHost extends CallLookup {
  readonly calls: Map<string, CallContext>;
  readonly legs: Map<LegId, LegEntry>;
  readonly clock: Clock;
  readonly events: Pick<TypedEmitter<SwitchEvents>, 'on'>;
  readonly occupancy: LineOccupancy;
  directory(): Directory;
  inService(device: SwitchDevice): boolean;
  /** A new call (IDLE), stamped into the engine's event stream; `id` is the engine's own when absent. */
  newCall(options: { id?: string; dialled: string; calling: PartyInfo }): Call;
  command(terminalConnection: LegEntry['terminalConnection'], run: (driver: DeviceDriver) => void): void;
  route(context: CallContext, number: string, reason: ConnectionReason): void;
  /** The call cannot be completed: the failing connection FAILS, the call ends. */
  fail(context: CallContext, cause: ReleaseCause): void;
  /** TerminalConnection.hold, for a consult. */
  hold(ref: TerminalConnectionRef): Promise<void>;
  flush(): void;
}

interface Pending {
  resolve(callId: string): void;
  reject(error: Error): void;
  off(): void;
}

/** Client-chosen call ids: what the protocol allows, so they read well in logs and CDRs. */
const callIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,63}$/;

/**
 * Third-party call control (RFC 3725; JTAPI Call.connect and CallControlCall.consult): the server
 * calls the device first — asking it to answer by itself, RFC 5373 — and when the device answers
 * with its offer, dials the destination with that offer as if the device had dialled it (RFC 3725
 * flow I): the events are §2.7's outbound sequence. The device's answer waits in its ACK until the
 * destination answers.
 * NOTE: flow I holds the device's ACK while the destination rings; a SIP device gives up after 32 s
 * (64·T1) without it, so a destination that rings longer than that loses the call.
 */
export class CallMaking {
  readonly #host: CallMakingHost;
  readonly #pending = new Map<CallContext, Pending>();

  constructor(host: CallMakingHost) {
    this.#host = host;
  }

  /**
   * Makes the call. Resolves with its id once the device answered and the destination was dialled;
   * rejects when the device refuses or does not answer within its line's no-answer time (the call is
   * then over). Refused at once, changing nothing, when the device or line is unknown, the device is
   * out of service, or the line has as many calls as it may.
   */
  makeCall(request: MakeCallRequest): Promise<string> {
    const { device, line } = this.#check(request);
    const host = this.#host;
    const origin: PartyInfo = { number: line.dn, device: device.name };
    const call = host.newCall({
      ...(request.callId === undefined ? {} : { id: request.callId }),
      dialled: request.dialled,
      calling: origin,
    });
    const tc = call.during('CALL_STARTING', () => {
      call.setState('ACTIVE', progressCauses.newCall);
      const connection = call.addConnection(line.dn, 'originating', 'DIRECTCALL');
      connection.setState('INITIATED');
      const created = connection.addTerminalConnection(device.name);
      // The device has not gone off hook yet: it rings (or answers at once, asked to) first.
      created.setState('RINGING');
      return created;
    });
    host.occupancy.track(tc.connection);
    const context = {
      ...newCallContext(call, tc, origin, undefined),
      allowed: { transfer: request.allowed?.transfer ?? true, conference: request.allowed?.conference ?? true },
    };
    host.calls.set(call.id, context);
    host.legs.set(tc.leg, { context, terminalConnection: tc, device });
    host.command(tc, (driver) =>
      driver.alert({
        leg: tc.leg,
        callId: call.id,
        device: device.name,
        line: line.dn,
        // What the device shows while it is called: the number it is about to call.
        calling: { number: request.dialled },
        dialled: request.dialled,
        called: line.dn,
        redirections: [],
        offer: undefined,
        ...autoAnswerOf(device),
      }),
    );
    context.noAnswerTimer = host.clock.setTimer(line.noAnswerSeconds * 1000, () => {
      context.noAnswerTimer = undefined;
      if (context.ended || tc.state !== 'RINGING') return;
      host.fail(context, releaseCauses.noAnswer);
      host.flush();
    });
    const made = new Promise<string>((resolve, reject) => {
      const off = host.events.on('call', (event) => {
        if (event.callId === call.id && event.type === 'call.state' && event.state === 'INVALID') {
          this.#settle(context)?.reject(
            new StrowgerError(
              ErrorCode.ResourceUnavailable,
              `${device.name} did not take the call (Q.850 cause ${event.ciscoCause}); no call was made`,
            ),
          );
        }
      });
      this.#pending.set(context, { resolve, reject, off });
    });
    host.flush();
    return made;
  }

  /**
   * CallControlCall.consult: the terminal connection, TALKING in its call, is held, and a new call is
   * made from the same device and line to `dialled`. Resolves with the consult call's id. The checks
   * of both steps come first, so a refused consult changes nothing.
   */
  async consult(ref: TerminalConnectionRef, dialled: string, callId?: string): Promise<string> {
    const { terminalConnection: tc } = terminalConnectionOf(this.#host, ref);
    if (tc.state !== 'TALKING') {
      throw invalidState(
        `the terminal connection of ${ref.terminal} at ${ref.address} in call ${ref.callId} is ${tc.state}; only a TALKING one can consult`,
      );
    }
    const request: MakeCallRequest = {
      device: ref.terminal,
      line: ref.address,
      dialled,
      ...(callId === undefined ? {} : { callId }),
    };
    // The held call still counts on the line; the consult call is the line's next one.
    this.#check(request);
    await this.#host.hold(ref);
    return this.makeCall(request);
  }

  /**
   * The device answered the call made on its behalf, with its offer: it is off hook (TALKING), its
   * connection dials, and the destination is called with that offer. Returns false when the answer is
   * not wanted (the driver then clears the leg).
   */
  originAnswered(entry: LegEntry, offer: SessionDescription | undefined): boolean {
    const host = this.#host;
    const { context, terminalConnection: tc } = entry;
    stopNoAnswerTimer(context);
    if (offer === undefined) {
      // Asked without an offer, a device must make one when it answers (RFC 3261 §13.2.1).
      host.legs.delete(tc.leg);
      host.fail(context, releaseCauses.rejected);
      host.flush();
      return false;
    }
    context.offer = offer;
    tc.setState('TALKING');
    tc.connection.setState('DIALING');
    host.route(context, context.call.dialled, 'DIRECTCALL');
    this.#settle(context)?.resolve(context.call.id);
    host.flush();
    return true;
  }

  /** Whether a leg is a device being called on its own behalf, not answered yet. */
  isCallingOrigin(entry: LegEntry): boolean {
    return entry.terminalConnection === entry.context.origin && entry.terminalConnection.state === 'RINGING';
  }

  #settle(context: CallContext): Pending | undefined {
    const pending = this.#pending.get(context);
    if (pending === undefined) return undefined;
    this.#pending.delete(context);
    pending.off();
    return pending;
  }

  /** §2.8's preconditions of Call.connect, with the reason a request cannot be met. */
  #check(request: MakeCallRequest): { device: SwitchDevice; line: SwitchLine } {
    const host = this.#host;
    const directory = host.directory();
    const device = directory.devices.get(request.device);
    if (device === undefined) {
      throw new StrowgerError(ErrorCode.NotFound, `device ${request.device} is not configured`);
    }
    const dn = request.line ?? device.lines[0];
    if (dn === undefined || !device.lines.includes(dn)) {
      throw new StrowgerError(
        ErrorCode.InvalidArgument,
        `device ${device.name} has no line ${request.line ?? '(none)'}; its lines are ${device.lines.join(', ') || 'none'}`,
      );
    }
    const line = directory.lines.get(dn);
    if (line === undefined) throw new StrowgerError(ErrorCode.NotFound, `line ${dn} is not configured`);
    if (directory.analyzer.analyse(request.dialled) === undefined) {
      throw new StrowgerError(
        ErrorCode.InvalidArgument,
        `${request.dialled} is not a routable number; dial a configured line, hunt pilot or pilot number`,
      );
    }
    if (request.callId !== undefined) {
      if (!callIdPattern.test(request.callId)) {
        throw new StrowgerError(
          ErrorCode.InvalidArgument,
          `call id ${request.callId} must be 8 to 64 letters, digits, '.', '_', ':' or '-' (a UUID will do)`,
        );
      }
      if (host.calls.has(request.callId)) {
        throw new StrowgerError(ErrorCode.InvalidArgument, `call id ${request.callId} is in use; choose another`);
      }
    }
    if (!host.inService(device)) {
      throw new StrowgerError(
        ErrorCode.ResourceUnavailable,
        `${device.name} is out of service (not registered); a call cannot be made from it`,
        { details: { ciscoError: 'DEVICE_OUT_OF_SERVICE' } },
      );
    }
    if (host.occupancy.liveCallsOn(dn) >= line.maxCalls) {
      throw new StrowgerError(
        ErrorCode.ResourceUnavailable,
        `line ${dn} is already in ${line.maxCalls} call${line.maxCalls === 1 ? '' : 's'}, its maximum`,
        { details: { ciscoError: 'CTIERR_MAXCALL_LIMIT_REACHED' } },
      );
    }
    return { device, line };
  }
}
