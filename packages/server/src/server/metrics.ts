import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { LoginLockout, LoginScope, LoginThrottle } from '../core/index.js';
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
  readonly #lockouts: Counter<'service' | 'scope'>;
  readonly #loginRefusals: Counter<'service' | 'scope'>;
  readonly #locked: Gauge<'service' | 'scope'>;
  readonly #throttles: LoginThrottle[] = [];
  readonly #challengesDropped: Counter;
  readonly #tcpRefused: Counter<'reason'>;
  readonly #tcpClosed: Counter<'reason'>;

  constructor(sources: {
    registeredDevices: () => number;
    bindings: () => number;
    liveTransactions: () => number;
    activeCalls: () => number;
    mediaEndpoints: () => number;
    tcpConnections?: () => number;
    tcpBufferedBytes?: () => number;
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
      help: 'REGISTER requests by outcome: registered, unregistered, challenged, stale, rejected, throttled, dropped, invalid',
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
    this.#lockouts = new Counter({
      name: 'strowger_login_lockouts_total',
      help: 'Login lock-outs after repeated failures, by service (sip, cti, admin) and scope (user, source, pair)',
      labelNames: ['service', 'scope'],
      registers: [this.registry],
    });
    this.#loginRefusals = new Counter({
      name: 'strowger_login_refused_total',
      help: 'Login attempts refused unchecked because their user, source or pair was locked out',
      labelNames: ['service', 'scope'],
      registers: [this.registry],
    });
    const throttles = this.#throttles;
    this.#locked = new Gauge({
      name: 'strowger_login_locked',
      help: 'Users, sources and user+source pairs locked out right now, by service and scope',
      labelNames: ['service', 'scope'],
      registers: [this.registry],
      collect() {
        for (const throttle of throttles) {
          for (const scope of ['user', 'source', 'pair'] as const) {
            this.set({ service: throttle.service, scope }, throttle.lockedCount(scope));
          }
        }
      },
    });
    this.#challengesDropped = new Counter({
      name: 'strowger_sip_challenges_dropped_total',
      help: 'Requests without credentials dropped unanswered because their source was over its challenge rate',
      registers: [this.registry],
    });
    this.#tcpRefused = new Counter({
      name: 'strowger_sip_tcp_connections_refused_total',
      help: 'SIP TCP connections refused at accept, by reason: per-source limit, total limit',
      labelNames: ['reason'],
      registers: [this.registry],
    });
    this.#tcpClosed = new Counter({
      name: 'strowger_sip_tcp_connections_closed_total',
      help: 'SIP TCP connections closed by the server for abuse, by reason: framing error, message deadline, buffer limit, buffer budget',
      labelNames: ['reason'],
      registers: [this.registry],
    });
    new Gauge({
      name: 'strowger_sip_tcp_connections',
      help: 'Open SIP TCP connections',
      registers: [this.registry],
      collect() {
        this.set(sources.tcpConnections?.() ?? 0);
      },
    });
    new Gauge({
      name: 'strowger_sip_tcp_buffered_bytes',
      help: 'Bytes of unfinished SIP messages held over all TCP connections',
      registers: [this.registry],
      collect() {
        this.set(sources.tcpBufferedBytes?.() ?? 0);
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

  /** Reports a login throttle's lock-outs and refusals; its `observer` option should call back here. */
  watchLoginThrottle(throttle: LoginThrottle): void {
    this.#throttles.push(throttle);
    for (const scope of ['user', 'source', 'pair'] as const) {
      this.#lockouts.inc({ service: throttle.service, scope }, 0);
      this.#locked.set({ service: throttle.service, scope }, 0);
    }
  }

  loginLockedOut(lockout: LoginLockout): void {
    this.#lockouts.inc({ service: lockout.service, scope: lockout.scope });
  }

  loginRefused(service: string, scope: LoginScope): void {
    this.#loginRefusals.inc({ service, scope });
  }

  challengeDropped(): void {
    this.#challengesDropped.inc();
  }

  tcpConnectionRefused(reason: string): void {
    this.#tcpRefused.inc({ reason });
  }

  tcpConnectionClosed(reason: string): void {
    this.#tcpClosed.inc({ reason });
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
