import type { ReceptionReport, SenderReport } from './rtcp-packet.js';
import { ntpMiddle } from './rtcp-packet.js';

/** RFC 3550 A.1: a jump of more than this many sequence numbers is not an ordinary gap. */
const maxDropout = 3000;
const sequenceModulo = 0x10000;

/**
 * What a receiver knows about one source, kept as RFC 3550 Appendix A says: the extended highest
 * sequence number (A.1), expected and lost packets and the fraction lost since the last report
 * (A.3), and the interarrival jitter (A.8), for the report blocks of its SR or RR.
 */
export class RtpReceiverStatistics {
  readonly ssrc: number;
  readonly #clockRate: number;
  #baseSequence: number;
  #maxSequence: number;
  #cycles = 0;
  #received = 0;
  #expectedPrior = 0;
  #receivedPrior = 0;
  #transit: number | undefined;
  #jitter = 0;
  #lastSenderReport: { middle: number; arrivedMs: number } | undefined;

  constructor(ssrc: number, firstSequence: number, clockRate = 8000) {
    this.ssrc = ssrc;
    this.#clockRate = clockRate;
    this.#baseSequence = firstSequence;
    this.#maxSequence = (firstSequence - 1) & 0xffff;
  }

  /** Takes one received packet: its sequence, RTP timestamp and arrival time in milliseconds. */
  update(sequence: number, timestamp: number, arrivalMs: number): void {
    const delta = (sequence - this.#maxSequence + sequenceModulo) % sequenceModulo;
    if (delta > 0 && delta < maxDropout) {
      if (sequence < this.#maxSequence) this.#cycles += sequenceModulo;
      this.#maxSequence = sequence;
    } else if (delta >= sequenceModulo - 100) {
      // A late or duplicate packet: counted as received, the highest sequence unchanged.
    } else if (delta !== 0) {
      // A very large jump: the source restarted; count from here (A.1's re-synchronisation, simplified).
      this.#baseSequence = sequence;
      this.#maxSequence = sequence;
      this.#cycles = 0;
      this.#received = 0;
      this.#expectedPrior = 0;
      this.#receivedPrior = 0;
    }
    this.#received += 1;
    // A.8: J += (|D| − J) / 16, with D the change in transit time between consecutive packets.
    const arrival = Math.round((arrivalMs * this.#clockRate) / 1000);
    const transit = (arrival - timestamp) | 0;
    if (this.#transit !== undefined) {
      const d = Math.abs((transit - this.#transit) | 0);
      this.#jitter += (d - this.#jitter) / 16;
    }
    this.#transit = transit;
  }

  /** Notes a sender report from this source, for the LSR and DLSR of our next report block. */
  senderReport(report: SenderReport, arrivedMs: number): void {
    this.#lastSenderReport = { middle: ntpMiddle(report.ntpSeconds, report.ntpFraction), arrivedMs };
  }

  get received(): number {
    return this.#received;
  }

  get extendedHighestSequence(): number {
    return (this.#cycles + this.#maxSequence) >>> 0;
  }

  get expected(): number {
    return this.#cycles + this.#maxSequence - this.#baseSequence + 1;
  }

  /** Interarrival jitter in timestamp units. */
  get jitter(): number {
    return this.#jitter;
  }

  /** The report block for this source at `nowMs`; advances the "since the last report" counters (A.3). */
  report(nowMs: number): ReceptionReport {
    const expected = this.expected;
    const lost = expected - this.#received;
    const expectedInterval = expected - this.#expectedPrior;
    const receivedInterval = this.#received - this.#receivedPrior;
    this.#expectedPrior = expected;
    this.#receivedPrior = this.#received;
    const lostInterval = expectedInterval - receivedInterval;
    const fractionLost =
      expectedInterval <= 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval << 8) / expectedInterval);
    const sr = this.#lastSenderReport;
    return {
      ssrc: this.ssrc,
      fractionLost: Math.min(255, fractionLost),
      cumulativeLost: lost,
      highestSequence: this.extendedHighestSequence,
      jitter: Math.floor(this.#jitter),
      lastSenderReport: sr?.middle ?? 0,
      delaySinceLastSenderReport: sr === undefined ? 0 : Math.floor(((nowMs - sr.arrivedMs) / 1000) * 65536),
    };
  }
}
