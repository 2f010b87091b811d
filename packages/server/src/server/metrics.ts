import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { knownSipMethods } from '../sip/index.js';

/** Response class label for a status code: 1xx … 6xx. */
export function responseClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

export interface SipMessageLike {
  readonly kind: 'request' | 'response';
}

/**
 * The Prometheus metrics the server exposes at /metrics. Values that already live elsewhere (bindings,
 * live transactions) are read when scraped instead of being mirrored on every change.
 */
export class StrowgerMetrics {
  readonly registry = new Registry();
  readonly #sipIn: Counter<'method' | 'class' | 'transport'>;
  readonly #sipOut: Counter<'method' | 'class' | 'transport'>;
  readonly #parseErrors: Counter<'transport'>;
  readonly #registerOutcomes: Counter<'outcome'>;
  readonly #callLegs: Counter<'cause'>;

  constructor(sources: {
    registeredDevices: () => number;
    bindings: () => number;
    liveTransactions: () => number;
    activeCalls: () => number;
    mediaEndpoints: () => number;
  }) {
    // The event-loop delay gauges (nodejs_eventloop_lag_*, from perf_hooks.monitorEventLoopDelay) are
    // sampled every millisecond: at the default 10 ms a pause of a few milliseconds could go unseen.
    collectDefaultMetrics({ register: this.registry, prefix: 'strowger_process_', eventLoopMonitoringPrecision: 1 });
    this.#sipIn = new Counter({
      name: 'strowger_sip_messages_received_total',
      help: 'SIP messages received, by request method or response class',
      labelNames: ['method', 'class', 'transport'],
      registers: [this.registry],
    });
    this.#sipOut = new Counter({
      name: 'strowger_sip_messages_sent_total',
      help: 'SIP messages sent, by request method or response class',
      labelNames: ['method', 'class', 'transport'],
      registers: [this.registry],
    });
    this.#parseErrors = new Counter({
      name: 'strowger_sip_parse_errors_total',
      help: 'Received SIP messages that could not be parsed (answered 400 or dropped)',
      labelNames: ['transport'],
      registers: [this.registry],
    });
    this.#registerOutcomes = new Counter({
      name: 'strowger_sip_register_requests_total',
      help: 'REGISTER requests by outcome: registered, unregistered, challenged, stale, rejected, throttled, invalid',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
    new Gauge({
      name: 'strowger_sip_registered_devices',
      help: 'Devices with at least one current registration binding',
      registers: [this.registry],
      collect() {
        this.set(sources.registeredDevices());
      },
    });
    new Gauge({
      name: 'strowger_sip_registration_bindings',
      help: 'Current registration bindings (contacts) over all devices',
      registers: [this.registry],
      collect() {
        this.set(sources.bindings());
      },
    });
    this.#callLegs = new Counter({
      name: 'strowger_call_legs_total',
      help: 'Call legs ended (one per call record), by cause: normal, busy, no-answer, unallocated, transferred, …',
      labelNames: ['cause'],
      registers: [this.registry],
    });
    new Gauge({
      name: 'strowger_calls_active',
      help: 'Calls in progress in the call-control engine',
      registers: [this.registry],
      collect() {
        this.set(sources.activeCalls());
      },
    });
    new Gauge({
      name: 'strowger_media_endpoints',
      help: 'RTP endpoints open on the server (music on hold, conference bridge ports)',
      registers: [this.registry],
      collect() {
        this.set(sources.mediaEndpoints());
      },
    });
    new Gauge({
      name: 'strowger_sip_transactions',
      help: 'Live SIP transactions (client and server)',
      registers: [this.registry],
      collect() {
        this.set(sources.liveTransactions());
      },
    });
  }

  callLegEnded(cause: string): void {
    this.#callLegs.inc({ cause });
  }

  sipReceived(
    message: { kind: 'request'; method: string } | { kind: 'response'; status: number; cseqMethod: string },
    transport: string,
  ): void {
    this.#sipIn.inc(labelsFor(message, transport));
  }

  sipSent(
    message: { kind: 'request'; method: string } | { kind: 'response'; status: number; cseqMethod: string },
    transport: string,
  ): void {
    this.#sipOut.inc(labelsFor(message, transport));
  }

  sipParseError(transport: string): void {
    this.#parseErrors.inc({ transport });
  }

  registerOutcome(outcome: string): void {
    this.#registerOutcomes.inc({ outcome });
  }
}

function labelsFor(
  message: { kind: 'request'; method: string } | { kind: 'response'; status: number; cseqMethod: string },
  transport: string,
): { method: string; class: string; transport: string } {
  // Unknown methods share one label so a peer cannot grow the series without bound.
  if (message.kind === 'request') {
    return { method: knownSipMethods.has(message.method) ? message.method : 'other', class: 'request', transport };
  }
  const method = knownSipMethods.has(message.cseqMethod) ? message.cseqMethod : 'other';
  return { method, class: responseClass(message.status), transport };
}
