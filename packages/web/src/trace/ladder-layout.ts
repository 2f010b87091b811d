import type { SipTraceItem } from '../api/types';

/** One vertical line of the ladder: Strowger itself, or a peer (phone, gateway) by its address. */
export interface LadderColumn {
  id: string;
  label: string;
  /** The peer's address, or the addresses Strowger used, under the label. */
  detail: string;
}

/** One message: an arrow from the sender's column to the receiver's, at its row. */
export interface LadderArrow {
  item: SipTraceItem;
  from: number;
  to: number;
  /** Milliseconds since the first message, and since the one before. */
  sinceStartMs: number;
  sincePreviousMs: number;
}

export interface Ladder {
  columns: LadderColumn[];
  arrows: LadderArrow[];
}

export const strowgerColumn = 'strowger';

/**
 * Lays out a call's SIP messages as a ladder (sngrep's call flow): Strowger in the middle, the peer
 * that spoke first on its left (the caller, for a call it received) and every other peer to its
 * right in the order they appear, and one arrow per message in sequence order. A peer is its remote
 * address; a device name the server knew is its label.
 */
export function ladderLayout(items: readonly SipTraceItem[]): Ladder {
  const ordered = [...items].sort((a, b) => a.seq - b.seq);
  const peers: string[] = [];
  const deviceOf = new Map<string, string>();
  const locals = new Set<string>();
  for (const item of ordered) {
    if (!peers.includes(item.remote)) peers.push(item.remote);
    if (item.device !== undefined && !deviceOf.has(item.remote)) deviceOf.set(item.remote, item.device);
    locals.add(item.local);
  }
  const [first, ...others] = peers;
  const ids = first === undefined ? [strowgerColumn] : [first, strowgerColumn, ...others];
  const columns = ids.map((id) =>
    id === strowgerColumn
      ? { id, label: 'Strowger', detail: [...locals].join(', ') }
      : { id, label: deviceOf.get(id) ?? id, detail: id },
  );
  const index = new Map(ids.map((id, position) => [id, position]));
  const start = ordered[0] === undefined ? 0 : Date.parse(ordered[0].at);
  let previous = start;
  const arrows = ordered.map((item) => {
    const at = Date.parse(item.at);
    const peer = index.get(item.remote)!;
    const self = index.get(strowgerColumn)!;
    const arrow: LadderArrow = {
      item,
      from: item.direction === 'received' ? peer : self,
      to: item.direction === 'received' ? self : peer,
      sinceStartMs: at - start,
      sincePreviousMs: at - previous,
    };
    previous = at;
    return arrow;
  });
  return { columns, arrows };
}

/** "+1.234 s" for the time column. */
export function formatOffset(ms: number): string {
  return `+${(ms / 1000).toFixed(3)} s`;
}
