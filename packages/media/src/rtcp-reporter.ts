import type { Clock, TimerHandle } from '@strowger/core';
import { ntpTimestamp, type RtcpPacket } from './rtcp-packet.js';
import type { RtpReceiverStatistics } from './rtp-statistics.js';
import type { RtpSender } from './rtp-sender.js';

/** RFC 3550 §6.2 suggests 5 s as the minimum interval between reports. */
export const defaultRtcpIntervalMs = 5000;

export interface RtcpReporterHost {
  readonly sender: RtpSender;
  /** What is known of the far end's stream, once it has sent. */
  readonly source: () => RtpReceiverStatistics | undefined;
  /** The media time (samples since the stream began) at this moment, for the SR's RTP timestamp. */
  readonly mediaSamplesNow: () => number;
  readonly send: (packets: RtcpPacket[]) => void;
  readonly cname: string;
}

/**
 * Sends the session's RTCP compound packet every interval: a sender report while we are sending
 * (RFC 3550 §6.4.1), a receiver report otherwise (§6.4.2), each with a report block on the far
 * end's stream once it has sent, and our CNAME (§6.5.1, required in every compound packet). The
 * interval is randomised between 0.5 and 1.5 times the nominal one (§6.3.1) so that many sessions
 * started at once do not report in step.
 */
export class RtcpReporter {
  readonly #clock: Clock;
  readonly #wallClock: Clock;
  readonly #intervalMs: number;
  readonly #host: RtcpReporterHost;
  #timer: TimerHandle | undefined;
  #packetsAtLastReport = 0;
  #stopped = false;

  constructor(host: RtcpReporterHost, options: { clock: Clock; wallClock: Clock; intervalMs?: number }) {
    this.#host = host;
    this.#clock = options.clock;
    this.#wallClock = options.wallClock;
    this.#intervalMs = options.intervalMs ?? defaultRtcpIntervalMs;
    this.#schedule();
  }

  /** The compound packet as it would be sent now (and counts it as sent). */
  compound(): RtcpPacket[] {
    const { sender } = this.#host;
    const source = this.#host.source();
    const reports = source === undefined || source.received === 0 ? [] : [source.report(this.#clock.now())];
    const sentSinceLast = sender.packetsSent > this.#packetsAtLastReport;
    this.#packetsAtLastReport = sender.packetsSent;
    const first: RtcpPacket = sentSinceLast
      ? {
          type: 'sr',
          ssrc: sender.ssrc,
          ...ntpTimestamp(this.#wallClock.now()),
          rtpTimestamp: sender.timestampAt(this.#host.mediaSamplesNow()),
          packetCount: sender.packetsSent,
          octetCount: sender.octetsSent,
          reports,
        }
      : { type: 'rr', ssrc: sender.ssrc, reports };
    return [first, { type: 'sdes', chunks: [{ ssrc: sender.ssrc, cname: this.#host.cname }] }];
  }

  /** Sends a goodbye (with the final reports) and stops reporting. */
  goodbye(): void {
    if (this.#stopped) return;
    this.stop();
    this.#host.send([...this.compound(), { type: 'bye', ssrcs: [this.#host.sender.ssrc] }]);
  }

  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #schedule(): void {
    if (this.#stopped) return;
    const delay = this.#intervalMs * (0.5 + Math.random());
    this.#timer = this.#clock.setTimer(delay, () => {
      this.#host.send(this.compound());
      this.#schedule();
    });
  }
}
