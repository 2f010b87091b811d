import type { SwitchLineGroup } from './config.js';

/** What the engine knows of a member line when a line group starts hunting. */
export interface MemberState {
  /** Calls on the line now. */
  readonly liveCalls: number;
  /** When its last call ended (0 when it has had none since the engine started). */
  readonly idleSince: number;
}

/**
 * The members of a line group in the order a call tries them, as CUCM's distribution algorithms
 * define it: top down always from the first member; circular from the member after the one that
 * last got a call, wrapping round; longest idle only the idle members, longest idle first (ties in
 * member order); broadcast all members at once, so the order is theirs. Busy and unavailable members
 * stay in the list where the algorithm keeps them; the engine applies the group's hunt options
 * when it reaches them.
 */
export function huntOrder(
  group: SwitchLineGroup,
  state: (dn: string) => MemberState,
  lastOffered: string | undefined,
): string[] {
  const members = [...group.members];
  switch (group.algorithm) {
    case 'top-down':
    case 'broadcast':
      return members;
    case 'circular': {
      const last = lastOffered === undefined ? -1 : members.indexOf(lastOffered);
      return [...members.slice(last + 1), ...members.slice(0, last + 1)];
    }
    case 'longest-idle':
      return members
        .map((dn, index) => ({ dn, index, ...state(dn) }))
        .filter((member) => member.liveCalls === 0)
        .sort((a, b) => a.idleSince - b.idleSince || a.index - b.index)
        .map((member) => member.dn);
  }
}
