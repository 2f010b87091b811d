import type { Clock } from '../../core/index.js';
import type { RegistrationTable, SipLegStarted } from '../../devices/sip/index.js';
import type { Endpoint, IncomingSource, SipRequest, SipResponse, WireMessage } from '../../sip/index.js';
import type { Switch } from '../../switch/index.js';
import { SipTraceBuffer, type SipTraceLimits } from './sip-trace-buffer.js';

/** Originating terminal connections remembered until their SIP leg is reported (a burst of calls' worth). */
const maxPendingLegs = 1000;

/**
 * The SIP trace as the server runs it: the transport's tap captures every message's bytes into the
 * buffer; the phone driver's legs and the registrar's registrations tell which engine call and
 * device each SIP Call-ID is.
 */
export class SipTracer {
  readonly buffer: SipTraceBuffer;
  /** The engine's originating terminal connections by id (= the caller's leg) → their call. */
  readonly #originCalls = new Map<string, string>();
  readonly #offs: Array<() => void> = [];

  constructor(options: { clock: Clock; limits?: Partial<SipTraceLimits> }) {
    this.buffer = new SipTraceBuffer(options);
  }

  received(message: SipRequest | SipResponse, source: IncomingSource, wire: WireMessage): void {
    const sipCallId = callIdOf(message);
    if (sipCallId !== undefined)
      this.buffer.capture('received', source.protocol, wire.local, source.remote, sipCallId, wire.bytes);
  }

  sent(message: SipRequest | SipResponse, target: Endpoint, wire: WireMessage): void {
    const sipCallId = callIdOf(message);
    if (sipCallId !== undefined)
      this.buffer.capture('sent', target.protocol, wire.local, target, sipCallId, wire.bytes);
  }

  /** A leg the phone driver started: its Call-ID belongs to the leg's call and device. */
  legStarted(leg: SipLegStarted): void {
    const callId = leg.callId ?? this.#originCalls.get(leg.leg);
    this.#originCalls.delete(leg.leg);
    this.buffer.label(leg.sipCallId, { device: leg.device, ...(callId === undefined ? {} : { callId }) });
  }

  /**
   * Follows the engine (a call from a phone starts with its originating terminal connection, whose
   * id is the caller's leg) and the registrations (a phone's REGISTER Call-ID is its device's).
   */
  watch(engine: Pick<Switch, 'events'>, registrations: RegistrationTable): void {
    this.#offs.push(
      engine.events.on('call', (event) => {
        if (event.type !== 'terminalConnection.created') return;
        this.#originCalls.set(event.terminalConnectionId, event.callId);
        if (this.#originCalls.size > maxPendingLegs) this.#originCalls.delete(this.#originCalls.keys().next().value!);
      }),
      registrations.events.on('registered', ({ deviceName }) => {
        for (const binding of registrations.bindings(deviceName))
          this.buffer.label(binding.callId, { device: deviceName });
      }),
    );
  }

  close(): void {
    for (const off of this.#offs.splice(0)) off();
  }
}

function callIdOf(message: SipRequest | SipResponse): string | undefined {
  try {
    return message.callId;
  } catch {
    // The transport answered a message without a readable Call-ID with 400; there is no call to file it under.
    return undefined;
  }
}
