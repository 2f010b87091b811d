import { ErrorCode, StrowgerError, type Clock } from '../../core/index.js';
import { stopNoAnswerTimer, type CallContext, type LegEntry } from '../call-context.js';
import type { Connection } from '../call-model.js';
import { parkedCauses, unparkedCauses, type EventCauses } from '../causes.js';
import type { SwitchDevice, SwitchLine } from '../config.js';
import type { Directory } from '../directory.js';
import { releaseCauses, type ReleaseCause } from '../ports.js';
import { invalidState, terminalConnectionOf, type CallLookup, type TerminalConnectionRef } from './call-refs.js';

/** What call park needs of the engine. */
export interface CallParkHost extends CallLookup {
  readonly clock: Clock;
  directory(): Directory;
  inService(device: SwitchDevice): boolean;
  /** CallControlTerminalConnection.hold, resolved once HELD (the peer hears music on hold). */
  hold(ref: TerminalConnectionRef): Promise<void>;
  peerOf(entry: LegEntry): LegEntry | undefined;
  /** A party leaves the call (its device released) with the causes given. */
  leave(entry: LegEntry, cause: ReleaseCause, causes: EventCauses): void;
  /** The call is now routed from `stayer`, which stays connected (as after a blind transfer). */
  routeFrom(context: CallContext, stayer: LegEntry): void;
  /** Offers the call to one device's line alone, asked to answer by itself (directed pickup's way). */
  offerTo(context: CallContext, line: SwitchLine, device: SwitchDevice, feature: 'UNPARK'): void;
  /** Routes the call to a number, as a call to it would be. */
  route(context: CallContext, number: string): void;
  flush(): void;
}

/** One parked call: which park number holds it, and who parked it (where it reverts to). */
interface ParkedCall {
  readonly number: string;
  readonly context: CallContext;
  readonly connection: Connection;
  readonly parked: LegEntry;
  readonly parkerLine: string;
}

/**
 * Call park (CUCM's Call Park; JTAPI CiscoConnection.park and CiscoTerminal.unPark): the party that
 * parks leaves the call, the other party waits on music on hold at a free park number (a QUEUED
 * connection there), and any phone retrieves it by CTI unpark; after the reversion time it rings the
 * parker's line again.
 */
export class CallPark {
  readonly #host: CallParkHost;
  readonly #parked = new Map<string, ParkedCall>();

  constructor(host: CallParkHost) {
    this.#host = host;
  }

  /** Parks the call of a TALKING terminal connection; resolves with the park number once it is parked. */
  async park(ref: TerminalConnectionRef): Promise<string> {
    const host = this.#host;
    const park = host.directory().config.callPark;
    if (park === undefined || park.numbers.length === 0) {
      throw new StrowgerError(ErrorCode.Unsupported, 'call park is not configured; set settings.callParkRange');
    }
    const { terminalConnection: tc, entry } = terminalConnectionOf(host, ref);
    if (tc.state !== 'TALKING' || entry === undefined) {
      throw invalidState(`${ref.terminal} at ${ref.address} is ${tc.state}; only a TALKING call can be parked`);
    }
    if (entry.context.conference !== undefined) throw invalidState('a conference cannot be parked; leave it instead');
    if (host.peerOf(entry) === undefined) throw invalidState(`call ${ref.callId} has no other party to park`);
    const number = park.numbers.find((candidate) => this.#occupant(candidate) === undefined);
    if (number === undefined) {
      throw new StrowgerError(
        ErrorCode.ResourceUnavailable,
        `every call park number (${park.numbers[0]}–${park.numbers.at(-1)}) holds a call; retrieve one, or widen settings.callParkRange`,
      );
    }
    // The parked party hears music on hold from now on; the parker then leaves.
    await host.hold(ref);
    const parker = host.legs.get(tc.leg);
    const peer = parker === undefined ? undefined : host.peerOf(parker);
    if (parker === undefined || peer === undefined || parker.context.ended) {
      throw invalidState(`call ${ref.callId} ended while it was being parked`);
    }
    if (this.#occupant(number) !== undefined)
      throw invalidState(`park number ${number} was taken meanwhile; park again`);
    const { context } = parker;
    const connection = context.call.during(
      'CALL_REMOVING_PARTY',
      () => {
        host.leave(parker, releaseCauses.normal, parkedCauses);
        host.routeFrom(context, peer);
        const parkedAt = context.call.addConnection(number, 'terminating', 'DIRECTCALL');
        parkedAt.setState('QUEUED');
        return parkedAt;
      },
      'PARK',
    );
    context.called = number;
    context.call.currentCalled = number;
    this.#parked.set(number, { number, context, connection, parked: peer, parkerLine: ref.address });
    // The reversion timer is the call's no-answer timer: it stops whenever the call ends.
    context.noAnswerTimer = host.clock.setTimer(park.reversionSeconds * 1000, () => {
      context.noAnswerTimer = undefined;
      this.#revert(number);
      host.flush();
    });
    host.flush();
    return number;
  }

  /** Retrieves the call parked at `parkNumber` to a device's line, which is asked to answer by itself. */
  unpark(request: { device: string; line: string; parkNumber: string }): string {
    const host = this.#host;
    const device = host.directory().devices.get(request.device);
    const line = host.directory().lines.get(request.line);
    if (device === undefined || line === undefined || !device.lines.includes(request.line)) {
      throw new StrowgerError(ErrorCode.NotFound, `device ${request.device} has no line ${request.line}`);
    }
    const parked = this.#occupant(request.parkNumber);
    if (parked === undefined) {
      throw invalidState(`no call is parked at ${request.parkNumber}; there is nothing to retrieve`);
    }
    if (!host.inService(device)) {
      throw new StrowgerError(ErrorCode.ResourceUnavailable, `${device.name} is out of service (not registered)`, {
        details: { ciscoError: 'DEVICE_OUT_OF_SERVICE' },
      });
    }
    this.#leavePark(parked);
    host.offerTo(parked.context, line, device, 'UNPARK');
    host.flush();
    return parked.context.call.id;
  }

  /** The park numbers holding a call now, with the call each holds. */
  parkedCalls(): Array<{ number: string; callId: string }> {
    return [...this.#parked.keys()].flatMap((number) => {
      const parked = this.#occupant(number);
      return parked === undefined ? [] : [{ number, callId: parked.context.call.id }];
    });
  }

  /** Nobody retrieved it in time: the call rings its parker's line again. */
  #revert(number: string): void {
    const parked = this.#occupant(number);
    if (parked === undefined) return;
    this.#leavePark(parked);
    this.#host.route(parked.context, parked.parkerLine);
  }

  #leavePark(parked: ParkedCall): void {
    this.#parked.delete(parked.number);
    stopNoAnswerTimer(parked.context);
    parked.context.call.during(
      'CALL_PROGRESS',
      () => parked.connection.setState('DISCONNECTED', unparkedCauses),
      'UNPARK',
    );
  }

  /** The call parked at a number, if it is still there (a parked caller may hang up). */
  #occupant(number: string): ParkedCall | undefined {
    const parked = this.#parked.get(number);
    if (parked === undefined) return undefined;
    if (parked.context.ended || !parked.connection.isLive || parked.parked.context !== parked.context) {
      this.#parked.delete(number);
      return undefined;
    }
    return parked;
  }
}
