import type { Clock, TimerHandle } from '../core/index.js';
import type { SwitchHuntList, SwitchHuntPilot, SwitchLine, SwitchLineGroup } from './config.js';
import { huntOrder, type MemberState } from './hunt-order.js';
import type { ReleaseCause } from './ports.js';

/** Why a hunt member did not take the call, which selects the line group's hunt option. */
export type MemberFailure = 'noAnswer' | 'busy' | 'notAvailable';

/** How a member's refusal reads for the hunt options: busy, not answering, or not reachable. */
export function memberFailureOf(cause: ReleaseCause): MemberFailure {
  if (cause.reason === 'busy') return 'busy';
  if (cause.reason === 'no-answer') return 'noAnswer';
  return 'notAvailable';
}

/** A call hunting through a pilot's line groups. */
export interface HuntState {
  readonly pilot: SwitchHuntPilot;
  readonly groups: readonly SwitchLineGroup[];
  groupIndex: number;
  /** Members of the current group still to try, in the group's order. */
  queue: string[];
  /** Whether any member was rung (else every member was busy or unavailable). */
  rang: boolean;
  sawBusy: boolean;
  rnaTimer: TimerHandle | undefined;
  maxTimer: TimerHandle | undefined;
}

/** What hunting needs to know of a call. */
export interface HuntingCall {
  hunt: HuntState | undefined;
  readonly ended: boolean;
  /** Members ringing now. */
  readonly offered: readonly unknown[];
}

/** What hunting needs of the engine: the configuration, the state of lines, and ringing members. */
export interface HuntHost<C extends HuntingCall> {
  readonly clock: Clock;
  huntList(name: string): SwitchHuntList | undefined;
  lineGroup(name: string): SwitchLineGroup | undefined;
  line(dn: string): SwitchLine | undefined;
  memberState(dn: string): MemberState;
  /** Why a member cannot be offered the call now (busy, nothing in service), if it cannot. */
  memberFailure(call: C, line: SwitchLine): MemberFailure | undefined;
  /** Rings a member line. */
  offer(call: C, line: SwitchLine): void;
  /** Stops every member still ringing (its time is up). */
  withdrawAll(call: C): void;
  /** Hunting ended with no member answering: the pilot's final treatment. */
  exhausted(call: C, outcome: { pilot: SwitchHuntPilot; rang: boolean; allBusy: boolean }): void;
  /** Runs the driver commands queued meanwhile (after a timer fired). */
  flush(): void;
}

/**
 * Hunting (domain reference §4): a call to a hunt pilot tries its hunt list's line groups in order,
 * each group's members in the order its distribution algorithm gives, each member for the group's RNA
 * timeout (a broadcast group all at once); how a member fails — no answer, busy, not available —
 * picks the group's hunt option: the next member, the next group, or stop. The pilot's maximum
 * hunt timer bounds it all. The members' own forwarding does not apply while they are hunted.
 */
export class Hunting<C extends HuntingCall> {
  readonly #host: HuntHost<C>;
  /** Per line group, the member that last got a call (where circular distribution goes on from). */
  readonly #lastOffered = new Map<string, string>();

  constructor(host: HuntHost<C>) {
    this.#host = host;
  }

  start(call: C, pilot: SwitchHuntPilot): void {
    const host = this.#host;
    const groups = (host.huntList(pilot.huntList)?.lineGroups ?? [])
      .map((name) => host.lineGroup(name))
      .filter((group): group is SwitchLineGroup => group !== undefined);
    const hunt: HuntState = {
      pilot,
      groups,
      groupIndex: -1,
      queue: [],
      rang: false,
      sawBusy: false,
      rnaTimer: undefined,
      maxTimer: undefined,
    };
    call.hunt = hunt;
    hunt.maxTimer = host.clock.setTimer(pilot.maxHuntSeconds * 1000, () => {
      hunt.maxTimer = undefined;
      if (call.hunt !== hunt || call.ended) return;
      host.withdrawAll(call);
      this.#exhausted(call);
      host.flush();
    });
    this.#nextGroup(call);
  }

  /** Every member ringing refused the call (the last of a broadcast group, or the one member). */
  memberFailed(call: C, failure: MemberFailure): void {
    const hunt = call.hunt;
    if (hunt === undefined) return;
    stopTimer(hunt, 'rnaTimer');
    this.#afterFailure(call, failure);
  }

  /** Hunting ends (the call was answered, moved on, or ended): its timers stop. */
  stop(call: C): void {
    const hunt = call.hunt;
    if (hunt === undefined) return;
    stopTimer(hunt, 'rnaTimer');
    stopTimer(hunt, 'maxTimer');
    call.hunt = undefined;
  }

  #nextGroup(call: C): void {
    const hunt = call.hunt;
    if (hunt === undefined) return;
    hunt.groupIndex += 1;
    const group = hunt.groups[hunt.groupIndex];
    // The end of the list, or an empty line group, ends hunting (as CUCM's does).
    if (group === undefined || group.members.length === 0) {
      this.#exhausted(call);
      return;
    }
    hunt.queue = huntOrder(group, (dn) => this.#host.memberState(dn), this.#lastOffered.get(group.name));
    if (group.algorithm === 'broadcast') this.#broadcast(call, hunt, group);
    else this.#nextMember(call);
  }

  #nextMember(call: C): void {
    const hunt = call.hunt;
    const group = hunt?.groups[hunt.groupIndex];
    if (hunt === undefined || group === undefined) return;
    const dn = hunt.queue.shift();
    if (dn === undefined) {
      this.#nextGroup(call); // no member to try (longest idle with none idle)
      return;
    }
    const line = this.#host.line(dn);
    const failure = line === undefined ? 'notAvailable' : this.#host.memberFailure(call, line);
    if (line === undefined || failure !== undefined) {
      if (failure === 'busy') hunt.sawBusy = true;
      this.#afterFailure(call, failure ?? 'notAvailable');
      return;
    }
    this.#host.offer(call, line);
    this.#lastOffered.set(group.name, dn);
    hunt.rang = true;
    this.#startRnaTimer(call, hunt, group);
  }

  /** A broadcast group rings every member that can take the call at once. */
  #broadcast(call: C, hunt: HuntState, group: SwitchLineGroup): void {
    const members = hunt.queue;
    hunt.queue = [];
    let offered = false;
    let busy = false;
    for (const dn of members) {
      const line = this.#host.line(dn);
      const failure = line === undefined ? 'notAvailable' : this.#host.memberFailure(call, line);
      if (line === undefined || failure !== undefined) {
        busy ||= failure === 'busy';
        continue;
      }
      this.#host.offer(call, line);
      offered = true;
    }
    hunt.sawBusy ||= busy;
    if (!offered) {
      this.#afterFailure(call, busy ? 'busy' : 'notAvailable');
      return;
    }
    hunt.rang = true;
    this.#startRnaTimer(call, hunt, group);
  }

  #startRnaTimer(call: C, hunt: HuntState, group: SwitchLineGroup): void {
    hunt.rnaTimer = this.#host.clock.setTimer(group.rnaTimeoutSeconds * 1000, () => {
      hunt.rnaTimer = undefined;
      if (call.hunt !== hunt || call.ended) return;
      this.#host.withdrawAll(call);
      this.#afterFailure(call, 'noAnswer');
      this.#host.flush();
    });
  }

  /** The current group's hunt option for how the member failed decides where hunting goes. */
  #afterFailure(call: C, failure: MemberFailure): void {
    const hunt = call.hunt;
    const group = hunt?.groups[hunt.groupIndex];
    if (hunt === undefined || group === undefined) return;
    const more = hunt.queue.length > 0;
    switch (group.huntOptions[failure]) {
      case 'try-next-member-then-group':
        if (more) this.#nextMember(call);
        else this.#nextGroup(call);
        return;
      case 'try-next-member':
        if (more) this.#nextMember(call);
        else this.#exhausted(call);
        return;
      case 'skip-to-next-group':
        this.#nextGroup(call);
        return;
      case 'stop':
        this.#exhausted(call);
        return;
    }
  }

  #exhausted(call: C): void {
    const hunt = call.hunt;
    if (hunt === undefined) return;
    this.stop(call);
    this.#host.exhausted(call, { pilot: hunt.pilot, rang: hunt.rang, allBusy: !hunt.rang && hunt.sawBusy });
  }
}

function stopTimer(hunt: HuntState, which: 'rnaTimer' | 'maxTimer'): void {
  hunt[which]?.cancel();
  hunt[which] = undefined;
}
