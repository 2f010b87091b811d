import type { Clock, Logger } from '../core/index.js';
import { ErrorCode, StrowgerError } from '../core/index.js';
import { pickedUpCauses, redirectEventCauses, releaseEventCauses, type EventCauses } from './causes.js';
import { stopNoAnswerTimer, targetNumber, type CallContext, type LegEntry } from './call-context.js';
import type { Connection, TerminalConnection } from './call-model.js';
import type { FeatureName, ForwardTarget, SwitchDevice, SwitchHuntPilot, SwitchLine } from './config.js';
import type { Directory } from './directory.js';
import { Hunting, type HuntHost } from './hunting.js';
import type { LineOccupancy } from './line-occupancy.js';
import { autoAnswerOf } from './auto-answer.js';
import { releaseCauses, type DeviceDriver, type LegId, type RedirectReason, type ReleaseCause } from './ports.js';
import type { ConnectionReason } from './states.js';

/** Forwarding stops after this many hops even without a loop, as CUCM's forward hop limit does. */
const maxRedirections = 10;

/**
 * Redirects an application may make of one call (a queue sending a caller between its route point
 * and its ports): enough for any queue, and a bound on an application that bounces a call for ever.
 */
export const maxApplicationRedirects = 20;

/**
 * The reason a connection reached by each kind of diversion carries (CiscoConnection.getReason()).
 * NOTE: Cisco's reasons have no value for forward-on-unregistered; the caller's experience is the
 * same as no answer, so it reads FORWARDNOANSWER.
 */
const reasonOfRedirect: Readonly<Record<RedirectReason, ConnectionReason>> = {
  'forward-all': 'FORWARDALL',
  'forward-busy': 'FORWARDBUSY',
  'forward-no-answer': 'FORWARDNOANSWER',
  'forward-unregistered': 'FORWARDNOANSWER',
  // Nor for forward on CTI failure: to the caller, too, the application simply did not answer.
  'forward-cti-failure': 'FORWARDNOANSWER',
  'forward-no-coverage': 'FORWARDNOANSWER',
  redirect: 'REDIRECT',
  transfer: 'TRANSFERREDCALL',
};

/** What routing needs of the engine. */
export interface RoutingHost {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly occupancy: LineOccupancy;
  /** Every terminal connection a driver knows, by its leg. */
  readonly legs: Map<LegId, LegEntry>;
  directory(): Directory;
  inService(device: SwitchDevice): boolean;
  /** Whether a device's user set do not disturb (call reject): it is not offered calls. */
  doNotDisturb(device: SwitchDevice): boolean;
  /** A line's forward all as it applies now (an application may have set it). */
  forwardAll(line: SwitchLine): ForwardTarget | undefined;
  /** Queues a command for a leg's device. */
  command(terminalConnection: TerminalConnection, run: (driver: DeviceDriver) => void): void;
  /** Ends the call for every party, `first` released first. */
  end(context: CallContext, cause: ReleaseCause, by: 'caller' | 'callee' | 'system', first?: TerminalConnection): void;
  /** The call reached the conference number. */
  openConference(context: CallContext, number: string): void;
  /** The call reached a feature code: the server answers it itself. */
  openFeature(context: CallContext, feature: FeatureName, number: string): void;
  flush(): void;
}

/**
 * Routing (domain reference §2.7, §4): a dialled number to a line, a hunt pilot or the conference
 * number; forwarding (all, busy, no answer, unregistered) and redirects; offering a line's devices
 * the call; and failing a call that cannot be completed — each with the JTAPI events it makes.
 */
export class Routing {
  readonly hunting: Hunting<CallContext>;
  readonly #host: RoutingHost;

  constructor(host: RoutingHost) {
    this.#host = host;
    this.hunting = new Hunting(this.#huntHost());
  }

  /** Routes the call to a number; the connections it makes there are in the call for `reason`. */
  route(context: CallContext, number: string, reason: ConnectionReason): void {
    context.called = number;
    context.call.currentCalled = number;
    context.routeReason = reason;
    const match = this.#host.directory().analyzer.analyse(number);
    if (match === undefined) {
      this.fail(context, releaseCauses.unallocated);
      return;
    }
    if (match.target.kind === 'pilot') {
      this.originReached(context);
      const pilotConnection = context.call.addConnection(number, 'terminating', reason);
      pilotConnection.setState('OFFERED');
      context.pilotConnection = pilotConnection;
      this.hunting.start(context, match.target.pilot);
      return;
    }
    if (match.target.kind === 'conference') {
      this.#host.openConference(context, match.target.number);
      return;
    }
    if (match.target.kind === 'feature') {
      this.#host.openFeature(context, match.target.feature, match.target.number);
      return;
    }
    const line = match.target.line;
    const forwardAll = this.#host.forwardAll(line);
    if (forwardAll !== undefined && this.redirect(context, line.dn, forwardAll, 'forward-all')) return;
    if (this.#host.occupancy.liveCallsOn(line.dn) >= line.busyTrigger) {
      if (line.forward.busy !== undefined && this.redirect(context, line.dn, line.forward.busy, 'forward-busy')) return;
      this.#failAt(context, line, releaseCauses.busy);
      return;
    }
    const devices = this.reachableDevices(context, line.dn);
    if (devices.length === 0 && this.#onlyDoNotDisturb(context, line.dn)) {
      // Do not disturb with call reject: the caller is treated as reaching a busy line (CUCM's DND-R).
      if (line.forward.busy !== undefined && this.redirect(context, line.dn, line.forward.busy, 'forward-busy')) return;
      this.#failAt(context, line, releaseCauses.busy);
      return;
    }
    if (devices.length === 0) {
      const target = line.forward.unregistered;
      if (target !== undefined && this.redirect(context, line.dn, target, 'forward-unregistered')) return;
      this.#failAt(context, line, releaseCauses.unavailable);
      return;
    }
    const connection = this.#offer(context, line, devices);
    context.offeredLine = line;
    // An OFFERED call (at a route point) waits for its application, whose timers decide; ringing starts the line's.
    if (connection.state === 'ALERTING') this.startNoAnswerTimer(context, connection);
  }

  /** The line offered rings: after its no-answer time, forward no answer applies. */
  startNoAnswerTimer(context: CallContext, connection: Connection): void {
    const line = context.offeredLine;
    if (line === undefined) return;
    stopNoAnswerTimer(context);
    context.noAnswerTimer = this.#host.clock.setTimer(line.noAnswerSeconds * 1000, () => {
      context.noAnswerTimer = undefined;
      this.#noAnswer(context, connection);
      this.#host.flush();
    });
  }

  /**
   * An application took an OFFERED call (JTAPI CallControlConnection.accept): the connection goes
   * ALERTING and its terminals RINGING; the caller hears ringback. With `noAnswerTimer` the line's
   * forward no answer applies after its no-answer time, as for a phone (CUCM: accept, then CFNA).
   */
  accept(context: CallContext, connection: Connection, options: { noAnswerTimer: boolean }): void {
    context.call.during('CALL_PROGRESS', () => {
      connection.setState('ALERTING');
      for (const tc of connection.liveTerminalConnections) if (tc.state === 'IDLE') tc.setState('RINGING');
    });
    if (options.noAnswerTimer) this.startNoAnswerTimer(context, connection);
  }

  /**
   * The application did not decide about a call offered to it in time (the route-select or the new
   * call accept timer, domain reference §1.2): forward no answer applies at once when the line has
   * it; otherwise the call fails as a call to an unregistered phone does.
   */
  applicationTimedOut(context: CallContext): void {
    stopNoAnswerTimer(context);
    const line = context.offeredLine;
    if (
      line?.forward.noAnswer !== undefined &&
      this.redirect(context, line.dn, line.forward.noAnswer, 'forward-no-answer')
    )
      return;
    this.fail(context, releaseCauses.unavailable);
  }

  /**
   * The application controlling the device a call is offered to failed (CUCM's CTI failure): the
   * call follows forward on CTI failure, else forward no answer (what CUCM sends later calls to),
   * else it fails.
   */
  applicationFailed(context: CallContext): void {
    stopNoAnswerTimer(context);
    const line = context.offeredLine;
    if (
      line?.forward.ctiFailure !== undefined &&
      this.redirect(context, line.dn, line.forward.ctiFailure, 'forward-cti-failure')
    )
      return;
    if (
      line?.forward.noAnswer !== undefined &&
      this.redirect(context, line.dn, line.forward.noAnswer, 'forward-no-answer')
    )
      return;
    this.fail(context, releaseCauses.unavailable);
  }

  /**
   * The call reached a destination: the caller's connection, dialling until now, is ESTABLISHED
   * (JTAPI: the originating side is connected; the far end's progress shows on its own connection).
   */
  originReached(context: CallContext): void {
    const origin = context.origin.connection;
    if (origin.state === 'DIALING') origin.setState('ESTABLISHED');
  }

  /** The devices a call to a line rings: those in service and not in do not disturb, never the caller's own phone. */
  reachableDevices(context: CallContext, dn: string): SwitchDevice[] {
    return this.#inServiceDevices(context, dn).filter((device) => !this.#host.doNotDisturb(device));
  }

  #inServiceDevices(context: CallContext, dn: string): SwitchDevice[] {
    return (this.#host.directory().lineDevices.get(dn) ?? []).filter(
      (device) => device.name !== context.origin.terminal && this.#host.inService(device),
    );
  }

  /** The line has devices in service, and every one of them is in do not disturb. */
  #onlyDoNotDisturb(context: CallContext, dn: string): boolean {
    const inService = this.#inServiceDevices(context, dn);
    return inService.length > 0 && inService.every((device) => this.#host.doNotDisturb(device));
  }

  /**
   * Offers the call to a line (§2.7 step 2): a new connection, ALERTING at once, then a terminal
   * connection RINGING for each device, whose driver is told to alert it. A route point's line is
   * OFFERED instead, its terminal connection IDLE, until the application accepts, answers,
   * redirects or rejects the call (JTAPI CallCtlConnOfferedEv, domain reference §1.2).
   */
  #offer(
    context: CallContext,
    line: SwitchLine,
    devices: readonly SwitchDevice[],
    options: { autoAnswer?: boolean } = {},
  ): Connection {
    const { call } = context;
    this.originReached(context);
    const meta = call.redirections.length > 0 ? 'CALL_ADDITIONAL_PARTY' : 'CALL_PROGRESS';
    return call.during(meta, () => {
      const connection = call.addConnection(line.dn, 'terminating', context.routeReason);
      this.#host.occupancy.track(connection);
      context.offered.push(connection);
      const offeredFirst = devices.some((device) => device.type === 'cti-route-point');
      connection.setState(offeredFirst ? 'OFFERED' : 'ALERTING');
      for (const device of devices) {
        const terminalConnection = connection.addTerminalConnection(device.name);
        this.#host.legs.set(terminalConnection.leg, { context, terminalConnection, device });
        if (!offeredFirst) terminalConnection.setState('RINGING');
        this.#host.command(terminalConnection, (driver) =>
          driver.alert({
            leg: terminalConnection.leg,
            callId: call.id,
            device: device.name,
            line: line.dn,
            calling: context.calling,
            dialled: call.dialled,
            called: context.called,
            redirections: [...call.redirections],
            offer: context.offer,
            ...(options.autoAnswer === true ? autoAnswerOf(device) : {}),
          }),
        );
      }
      return connection;
    });
  }

  /** Takes an offered connection back: its terminals stop ringing and it is disconnected with `causes`. */
  withdraw(
    context: CallContext,
    connection: Connection,
    cause: ReleaseCause,
    causes: EventCauses = releaseEventCauses(cause),
  ): void {
    context.call.during('CALL_REMOVING_PARTY', () => {
      for (const tc of connection.liveTerminalConnections) {
        if (this.#host.legs.get(tc.leg)?.terminalConnection === tc) {
          this.#host.command(tc, (driver) => driver.cancel(tc.leg, cause));
          this.#host.legs.delete(tc.leg);
        }
        tc.setState('DROPPED', causes);
      }
      if (connection.isLive) connection.setState('DISCONNECTED', causes);
    });
    this.#host.occupancy.untrack(connection);
    context.offered = context.offered.filter((other) => other !== connection);
  }

  #noAnswer(context: CallContext, connection: Connection): void {
    if (context.ended || !context.offered.includes(connection)) return;
    const line = context.offeredLine;
    if (line?.forward.noAnswer === undefined) return; // no forward: it keeps ringing until the caller gives up
    this.redirect(context, line.dn, line.forward.noAnswer, 'forward-no-answer');
  }

  /** Hunting's view of the engine (see hunting.ts). */
  #huntHost(): HuntHost<CallContext> {
    return {
      clock: this.#host.clock,
      huntList: (name) => this.#host.directory().huntLists.get(name),
      lineGroup: (name) => this.#host.directory().lineGroups.get(name),
      line: (dn) => this.#host.directory().lines.get(dn),
      memberState: (dn) => ({
        liveCalls: this.#host.occupancy.liveCallsOn(dn),
        idleSince: this.#host.occupancy.idleSince(dn),
      }),
      memberFailure: (context, line) => {
        if (this.#host.occupancy.liveCallsOn(line.dn) >= line.busyTrigger) return 'busy';
        if (this.reachableDevices(context, line.dn).length === 0) return 'notAvailable';
        return undefined;
      },
      offer: (context, line) => {
        this.#offer(context, line, this.reachableDevices(context, line.dn));
      },
      withdrawAll: (context) => {
        for (const connection of [...context.offered]) this.withdraw(context, connection, releaseCauses.noAnswer);
      },
      exhausted: (context, outcome) => this.#huntExhausted(context, outcome),
      flush: () => this.#host.flush(),
    };
  }

  /**
   * Hunting ended with no member answering: the pilot's final treatment — forward hunt busy when
   * every member tried was busy, forward hunt no answer otherwise — or the call fails.
   */
  #huntExhausted(context: CallContext, outcome: { pilot: SwitchHuntPilot; rang: boolean; allBusy: boolean }): void {
    if (outcome.pilot.usePersonalPreferences === true && this.#toNoCoverage(context)) return;
    const forward = outcome.allBusy ? outcome.pilot.forwardBusy : outcome.pilot.forwardNoAnswer;
    const reason = outcome.allBusy ? 'forward-busy' : 'forward-no-answer';
    if (forward !== undefined && this.redirect(context, context.called, forward, reason)) return;
    const cause = outcome.allBusy
      ? releaseCauses.busy
      : outcome.rang
        ? releaseCauses.noAnswer
        : releaseCauses.unavailable;
    // The pilot's own connection is the one that could not be completed.
    const pilot = context.pilotConnection;
    context.pilotConnection = undefined;
    if (pilot?.isLive === true) pilot.setState('FAILED', releaseEventCauses(cause));
    this.fail(context, cause);
  }

  /**
   * CUCM's personal preferences: the line whose forwarding brought the call to the pilot sends it on
   * with its forward no coverage. False when the call was dialled to the pilot, or that line has none.
   */
  #toNoCoverage(context: CallContext): boolean {
    const arrival = context.call.redirections.findLast((r) => r.to === context.called);
    const line = arrival === undefined ? undefined : this.#host.directory().lines.get(arrival.from);
    const target = line?.forward.noCoverage;
    return line !== undefined && target !== undefined && this.redirect(context, line.dn, target, 'forward-no-coverage');
  }

  /**
   * Sends the call on from number `from` to a forward target. Returns false, leaving the call where
   * it is, when the target is unusable: voicemail without a pilot, a loop back to a number already
   * passed, or too many hops. The connections taken back are DISCONNECTED with call-control cause
   * REDIRECTED; the new ones carry the forward's reason, and the events the number that redirected.
   */
  redirect(context: CallContext, from: string, target: ForwardTarget, reason: RedirectReason): boolean {
    // A line's voicemail profile names its own pilot; everything else uses the default one.
    const number =
      'voicemail' in target
        ? (this.#host.directory().lines.get(from)?.voicemailPilot ?? this.#host.directory().voicemailPilot)
        : target.destination;
    if (number === undefined) {
      this.#host.logger.warn({ from, reason }, 'forward to voicemail, but no voicemail pilot is configured');
      return false;
    }
    const redirections = context.call.redirections;
    if (reason === 'redirect') {
      // An application chose this destination: a queue may send a call back to its route point, so
      // a number the call passed is no loop here; only a runaway application is stopped.
      if (redirections.filter((r) => r.reason === 'redirect').length >= maxApplicationRedirects) {
        this.#host.logger.info({ callId: context.call.id, from, to: number }, 'redirect limit reached');
        return false;
      }
    } else {
      // Forwarding loops are found among the hops since the application last chose a destination.
      const lastChoice = redirections.findLastIndex((r) => r.reason === 'redirect');
      const hops = redirections.slice(lastChoice + 1);
      const start = lastChoice < 0 ? context.origin.connection.address : redirections[lastChoice]?.to;
      const visited = new Set([start, ...hops.map((r) => r.from), from]);
      const match = this.#host.directory().analyzer.analyse(number);
      const reached = match === undefined ? undefined : targetNumber(match.target);
      if (hops.length >= maxRedirections || (reached !== undefined && visited.has(reached))) {
        this.#host.logger.info({ callId: context.call.id, from, to: number, reason }, 'forward loop stopped');
        return false;
      }
    }
    redirections.push({ from, to: number, reason });
    stopNoAnswerTimer(context);
    this.hunting.stop(context);
    const causes = redirectEventCauses(reason);
    this.pilotDone(context, causes);
    for (const connection of [...context.offered]) {
      this.withdraw(context, connection, releaseCauses.forwarded, causes);
    }
    context.offeredLine = undefined;
    this.route(context, number, reasonOfRedirect[reason]);
    return true;
  }

  /**
   * The call reached a line that cannot take it (busy, nothing in service): a connection for the
   * line appears and FAILS with the cause (§2.7: the called connection, not the caller's), and the
   * call ends.
   */
  #failAt(context: CallContext, line: SwitchLine, cause: ReleaseCause): void {
    this.originReached(context);
    const connection = context.call.addConnection(line.dn, 'terminating', context.routeReason);
    connection.setState('FAILED', releaseEventCauses(cause));
    this.fail(context, cause);
  }

  /**
   * The call cannot be completed: the connection offered fails with the cause (or, with none, the
   * caller's: a number that reaches nothing, a line at its maximum calls), then the caller's leg is
   * released by the system and the call ends.
   */
  fail(context: CallContext, cause: ReleaseCause): void {
    const offered = context.offered[0];
    const failing = offered?.isLive === true ? offered : undefined;
    const causes = releaseEventCauses(cause);
    if (failing !== undefined) failing.setState('FAILED', causes);
    else if (!context.call.connections.some((connection) => connection.state === 'FAILED'))
      context.origin.connection.setState('FAILED', causes);
    this.#host.end(context, cause, 'system', context.origin);
  }

  /**
   * Whether a redirect's destination can take the call now (CiscoJtapiException's
   * REDIRECT_CALL_UNKNOWN_DESTINATION, _DESTINATION_BUSY, _DESTINATION_OUT_OF_ORDER). A line that
   * forwards all calls, or forwards in the case that applies, is reachable.
   */
  checkRedirectDestination(context: CallContext, destination: string): void {
    const match = this.#host.directory().analyzer.analyse(destination);
    if (match === undefined) {
      throw new StrowgerError(
        ErrorCode.InvalidArgument,
        `${destination} is not a routable number; redirect to a configured line, hunt pilot or voicemail pilot`,
        { details: { ciscoError: 'REDIRECT_CALL_UNKNOWN_DESTINATION' } },
      );
    }
    if (match.target.kind !== 'line') return;
    const line = match.target.line;
    if (this.#host.forwardAll(line) !== undefined) return;
    if (this.#host.occupancy.liveCallsOn(line.dn) >= line.busyTrigger && line.forward.busy === undefined) {
      throw new StrowgerError(
        ErrorCode.ResourceUnavailable,
        `${destination} is busy; the call stays where it was — try again later or redirect elsewhere`,
        { details: { ciscoError: 'REDIRECT_CALL_DESTINATION_BUSY' } },
      );
    }
    if (this.reachableDevices(context, line.dn).length === 0 && line.forward.unregistered === undefined) {
      throw new StrowgerError(
        ErrorCode.ResourceUnavailable,
        `no device of ${destination} is in service; the call stays where it was — redirect elsewhere`,
        { details: { ciscoError: 'REDIRECT_CALL_DESTINATION_OUT_OF_ORDER' } },
      );
    }
  }

  /**
   * Directed call pickup (JTAPI CallControlTerminal.pickup): the connections ringing now are taken back
   * with call-control cause CALL_PICKUP, and the call is offered to `device` on `line` alone, asked to
   * answer by itself (the user pressed pickup, so the phone goes off hook at once).
   */
  pickUp(
    context: CallContext,
    line: SwitchLine,
    device: SwitchDevice,
    feature: 'CALLPICKUP' | 'UNPARK' = 'CALLPICKUP',
  ): void {
    stopNoAnswerTimer(context);
    this.hunting.stop(context);
    context.call.during(
      'CALL_PROGRESS',
      () => {
        this.pilotDone(context, pickedUpCauses);
        for (const connection of [...context.offered])
          this.withdraw(context, connection, releaseCauses.answeredElsewhere, pickedUpCauses);
        context.offeredLine = line;
        context.called = line.dn;
        context.call.currentCalled = line.dn;
        const connection = this.#offer(context, line, [device], { autoAnswer: true });
        context.noAnswerTimer = this.#host.clock.setTimer(line.noAnswerSeconds * 1000, () => {
          context.noAnswerTimer = undefined;
          if (!context.ended && context.offered.includes(connection)) this.fail(context, releaseCauses.noAnswer);
          this.#host.flush();
        });
      },
      feature,
    );
  }

  /** Hunting is over: the pilot's connection leaves the call. */
  pilotDone(context: CallContext, causes: EventCauses): void {
    const connection = context.pilotConnection;
    context.pilotConnection = undefined;
    if (connection?.isLive === true) connection.setState('DISCONNECTED', causes);
  }
}
