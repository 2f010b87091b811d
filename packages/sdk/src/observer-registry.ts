import type { CallListener, ObjectListener } from './model/host.js';
import type { ObserverTarget } from './wire.js';

/** One observer the application added: kept across reconnects so it can be added again. */
export interface Registration {
  readonly target: ObserverTarget;
  /** True for addCallObserver (call events), false for addObserver (the object's own events). */
  readonly callEvents: boolean;
  readonly listener: CallListener | ObjectListener;
  /** The server's id for it on the current provider; undefined until (re-)added there. */
  observerId: string | undefined;
}

function sameTarget(a: ObserverTarget, b: ObserverTarget): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'provider') return true;
  if (a.kind === 'call') return b.kind === 'call' && a.callId === b.callId;
  return (b.kind === 'terminal' || b.kind === 'address') && a.name === b.name;
}

/** The application's observers, in the order they were added, and the server ids they are bound to. */
export class ObserverRegistry {
  readonly #registrations: Registration[] = [];
  readonly #byId = new Map<string, Registration>();

  find(target: ObserverTarget, listener: Registration['listener'], callEvents: boolean): Registration | undefined {
    return this.#registrations.find(
      (r) => r.listener === listener && r.callEvents === callEvents && sameTarget(r.target, target),
    );
  }

  findAll(target: ObserverTarget, listener: Registration['listener']): Registration[] {
    return this.#registrations.filter((r) => r.listener === listener && sameTarget(r.target, target));
  }

  add(registration: Registration): void {
    this.#registrations.push(registration);
  }

  remove(registration: Registration): void {
    const index = this.#registrations.indexOf(registration);
    if (index >= 0) this.#registrations.splice(index, 1);
    if (registration.observerId !== undefined) this.#byId.delete(registration.observerId);
  }

  bind(registration: Registration, observerId: string): void {
    registration.observerId = observerId;
    this.#byId.set(observerId, registration);
  }

  /** The provider was opened anew: no server id is valid any more. */
  unbindAll(): void {
    this.#byId.clear();
    for (const r of this.#registrations) r.observerId = undefined;
  }

  byId(observerId: string): Registration | undefined {
    return this.#byId.get(observerId);
  }

  /** The observers not (yet) added on the current provider, in the order the application added them. */
  unbound(): Registration[] {
    return this.#registrations.filter((r) => r.observerId === undefined);
  }

  get size(): number {
    return this.#registrations.length;
  }
}
