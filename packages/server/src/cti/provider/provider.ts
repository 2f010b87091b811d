import type { ProviderSnapshot, Target } from '@strowger/protocol';
import type { CtiUser } from '../permissions/cti-configuration.js';
import type { DomainView } from './domain-view.js';
import { EventRing } from './event-ring.js';
import type { Addressed } from './shared-event.js';

/** Where a provider's events go while a session holds it. */
export interface ProviderSink {
  /** `events` carry the sequence numbers `firstSeq`, `firstSeq + 1`, … */
  deliver(providerId: string, firstSeq: number, events: readonly Addressed[]): void;
}

export interface Observer {
  readonly id: string;
  readonly target: Target;
  readonly callEvents: boolean;
  /** The calls this observer has been shown, so it gets their catch-up once and their end once. */
  readonly calls: Set<string>;
}

/**
 * One open provider (JTAPI Provider): its user, its domain, its observers, and one sequence of
 * events that starts at 1 and never skips. Every event goes into a ring buffer (for resume) and, when
 * a session holds the provider, to that session.
 */
export class CtiProvider {
  readonly id: string;
  user: CtiUser;
  /** What the application said it is (`provider.open`'s appInfo), for the administrator's view. */
  readonly appInfo: string | undefined;
  /** Where the application connected from when it opened the provider. */
  readonly source: string;
  readonly openedAt: number;
  readonly acquired = new Set<string>();
  readonly observers = new Map<string, Observer>();
  view: DomainView;
  #seq = 0;
  #nextObserver = 1;
  #sink: ProviderSink | undefined;
  readonly #ring: EventRing;

  constructor(options: {
    id: string;
    user: CtiUser;
    view: DomainView;
    ringSize: number;
    appInfo: string | undefined;
    source: string;
    openedAt: number;
  }) {
    this.id = options.id;
    this.user = options.user;
    this.appInfo = options.appInfo;
    this.source = options.source;
    this.openedAt = options.openedAt;
    this.view = options.view;
    this.#ring = new EventRing(options.ringSize);
  }

  get seq(): number {
    return this.#seq;
  }

  get sink(): ProviderSink | undefined {
    return this.#sink;
  }

  attach(sink: ProviderSink | undefined): void {
    this.#sink = sink;
  }

  newObserverId(): string {
    return `o-${this.#nextObserver++}`;
  }

  /** Stamps the batch with the next sequence numbers, keeps it for resume, and delivers it. */
  emit(batch: readonly Addressed[]): void {
    if (batch.length === 0) return;
    const firstSeq = this.#seq + 1;
    for (const { event, observerId } of batch) this.#ring.push(event, observerId);
    this.#seq += batch.length;
    this.#sink?.deliver(this.id, firstSeq, batch);
  }

  /** The events after `seq`, or undefined when they are no longer all kept. */
  eventsAfter(seq: number): Addressed[] | undefined {
    return this.#ring.after(seq, this.#seq);
  }

  /** The provider's view without calls; the registry adds the calls for a snapshot. */
  describe(): Omit<ProviderSnapshot, 'calls'> {
    return {
      providerId: this.id,
      state: 'IN_SERVICE',
      stateId: 16,
      user: { userId: this.user.userId, kind: this.user.kind },
      capabilities: this.view.capabilities,
      terminals: [...this.view.terminals.values()],
      addresses: [...this.view.addresses.values()],
      excluded: [...this.view.excluded],
      seq: this.#seq,
    };
  }
}
