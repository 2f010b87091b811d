import type { IvrPort } from './platform.js';

/** What the IVR is doing with a port: nothing, holding it for a call routed to it, or serving a call. */
export type PortUse =
  | { readonly state: 'free'; readonly since: number }
  | { readonly state: 'held'; readonly callId: string }
  | { readonly state: 'busy'; readonly callId: string };

/**
 * The CTI ports and what each is doing. A port is given to a new call only when it is in service
 * and free; of the free ones, the one free longest, so calls spread over every port.
 */
export class PortPool {
  readonly #ports: readonly IvrPort[];
  readonly #use = new Map<IvrPort, PortUse>();

  constructor(ports: readonly IvrPort[], now: number) {
    this.#ports = ports;
    for (const port of ports) this.#use.set(port, { state: 'free', since: now });
  }

  get ports(): readonly IvrPort[] {
    return this.#ports;
  }

  use(port: IvrPort): PortUse {
    return this.#use.get(port) ?? { state: 'free', since: 0 };
  }

  /** The port to send the next call to, or undefined when every port is busy, held or out of service. */
  nextFree(): IvrPort | undefined {
    let best: IvrPort | undefined;
    let bestSince = Infinity;
    for (const port of this.#ports) {
      const use = this.use(port);
      if (!port.inService || use.state !== 'free') continue;
      if (use.since < bestSince) {
        best = port;
        bestSince = use.since;
      }
    }
    return best;
  }

  hold(port: IvrPort, callId: string): void {
    this.#use.set(port, { state: 'held', callId });
  }

  occupy(port: IvrPort, callId: string): void {
    this.#use.set(port, { state: 'busy', callId });
  }

  release(port: IvrPort, now: number): void {
    this.#use.set(port, { state: 'free', since: now });
  }

  counts(): { readonly inService: number; readonly free: number; readonly held: number; readonly busy: number } {
    let inService = 0;
    let free = 0;
    let held = 0;
    let busy = 0;
    for (const port of this.#ports) {
      const { state } = this.use(port);
      if (state === 'held') held++;
      if (state === 'busy') busy++;
      if (!port.inService) continue;
      inService++;
      if (state === 'free') free++;
    }
    return { inService, free, held, busy };
  }
}
