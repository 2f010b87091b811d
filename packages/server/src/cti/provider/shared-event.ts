import type { EventBody } from '../monitoring/jtapi-event-mapper.js';

/**
 * One event body as every provider that receives it shares it: built once, serialized at most once.
 * A hundred providers watching one line turn each engine event into a hundred wire events that
 * differ only in their sequence number and observer id, so the body's JSON is made once and each
 * receiver's copy is those two fields spliced in front of it: a string concatenation, not a
 * `JSON.stringify` (and an object copy) per receiver.
 */
export class SharedEvent {
  #fields: string | undefined;

  constructor(readonly body: EventBody) {}

  /** The body's JSON without its opening brace (`"type":…}`), for splicing; every body has fields. */
  get fieldsJson(): string {
    return (this.#fields ??= JSON.stringify(this.body).slice(1));
  }
}

/** An event addressed to one observer, or to the provider itself (`observerId` null). */
export interface Addressed {
  readonly event: SharedEvent;
  readonly observerId: string | null;
}

/** The wire form of an addressed event with sequence number `seq`, as JSON: the protocol's Event. */
export function stampedJson(seq: number, addressed: Addressed): string {
  const observer = addressed.observerId === null ? 'null' : JSON.stringify(addressed.observerId);
  return `{"seq":${seq},"observerId":${observer},${addressed.event.fieldsJson}`;
}

/** Addresses each body to one observer, sharing the bodies. */
export function addressAll(events: readonly SharedEvent[], observerId: string | null, into: Addressed[]): void {
  for (const event of events) into.push({ event, observerId });
}
