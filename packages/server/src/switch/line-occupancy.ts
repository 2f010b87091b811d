import type { Connection } from './call-model.js';

/**
 * The live connections on each directory number — what a line's busy trigger and maximum calls
 * count — and when each line last fell idle, which longest-idle hunting orders by.
 */
export class LineOccupancy {
  readonly #connections = new Map<string, Set<Connection>>();
  readonly #idleSince = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  liveCallsOn(dn: string): number {
    return this.#connections.get(dn)?.size ?? 0;
  }

  idleSince(dn: string): number {
    return this.#idleSince.get(dn) ?? 0;
  }

  track(connection: Connection): void {
    let set = this.#connections.get(connection.address);
    if (set === undefined) {
      set = new Set();
      this.#connections.set(connection.address, set);
    }
    set.add(connection);
  }

  untrack(connection: Connection): void {
    const set = this.#connections.get(connection.address);
    if (set === undefined) return;
    if (!set.delete(connection)) return;
    if (set.size === 0) {
      this.#connections.delete(connection.address);
      this.#idleSince.set(connection.address, this.#now());
    }
  }
}
