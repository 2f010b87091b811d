import { describe, expect, it } from 'vitest';
import { RtpReceiverStatistics } from './rtp-statistics.js';

describe('receiver statistics (RFC 3550 Appendix A)', () => {
  it('a stream without loss MUST report nothing lost, and the highest sequence extended across the wrap', () => {
    const stats = new RtpReceiverStatistics(7, 65530);
    for (let i = 0; i < 20; i++) stats.update((65530 + i) & 0xffff, i * 160, i * 20);
    const report = stats.report(400);
    expect(report).toMatchObject({ ssrc: 7, fractionLost: 0, cumulativeLost: 0, highestSequence: 0x10000 + 13 });
    // Packets sent and arriving exactly 20 ms apart: no jitter.
    expect(report.jitter).toBe(0);
  });

  it('lost packets MUST show in the cumulative count and, since the last report, in the fraction lost', () => {
    const stats = new RtpReceiverStatistics(7, 100);
    // 100–119 with 105 and 110–112 missing: 20 expected, 16 received.
    for (let sequence = 100; sequence < 120; sequence++) {
      if (sequence === 105 || (sequence >= 110 && sequence <= 112)) continue;
      stats.update(sequence, (sequence - 100) * 160, (sequence - 100) * 20);
    }
    const first = stats.report(400);
    expect(first.cumulativeLost).toBe(4);
    expect(first.fractionLost).toBe(Math.floor((4 * 256) / 20));
    // The next interval loses nothing: the fraction drops to 0, the cumulative count stays.
    for (let sequence = 120; sequence < 130; sequence++)
      stats.update(sequence, (sequence - 100) * 160, (sequence - 100) * 20);
    const second = stats.report(600);
    expect(second.fractionLost).toBe(0);
    expect(second.cumulativeLost).toBe(4);
  });

  it('a duplicate MUST make the cumulative loss go down (it may go negative), not raise the highest sequence', () => {
    const stats = new RtpReceiverStatistics(7, 1);
    stats.update(1, 0, 0);
    stats.update(2, 160, 20);
    stats.update(2, 160, 21);
    const report = stats.report(40);
    expect(report.cumulativeLost).toBe(-1);
    expect(report.highestSequence).toBe(2);
  });

  it('interarrival jitter MUST follow J += (|D| − J) / 16 in timestamp units', () => {
    const stats = new RtpReceiverStatistics(7, 0);
    // Every other packet arrives 2 ms late: |D| is 16 timestamp units after the first pair.
    let expected = 0;
    for (let i = 0; i < 50; i++) {
      stats.update(i, i * 160, i * 20 + (i % 2 === 1 ? 2 : 0));
      if (i > 0) expected += (16 - expected) / 16;
    }
    expect(stats.jitter).toBeCloseTo(expected, 6);
    expect(stats.report(1000).jitter).toBe(Math.floor(expected));
  });

  it('after a sender report, the block MUST carry its middle NTP bits and the delay since, in 1/65536 s', () => {
    const stats = new RtpReceiverStatistics(7, 0);
    stats.update(0, 0, 0);
    stats.senderReport(
      {
        type: 'sr',
        ssrc: 7,
        ntpSeconds: 0x11112222,
        ntpFraction: 0x33334444,
        rtpTimestamp: 0,
        packetCount: 1,
        octetCount: 160,
        reports: [],
      },
      1000,
    );
    const report = stats.report(1500);
    expect(report.lastSenderReport).toBe(0x22223333);
    expect(report.delaySinceLastSenderReport).toBe(32768);
  });
});
