import { describe, expect, it } from 'vitest';
import { decodeRtcp, encodeRtcp, ntpMiddle, ntpTimestamp, type RtcpPacket } from './rtcp-packet.js';

const report = {
  ssrc: 0x01020304,
  fractionLost: 64,
  cumulativeLost: -3,
  highestSequence: 0x0001fffe,
  jitter: 37,
  lastSenderReport: 0xabcd1234,
  delaySinceLastSenderReport: 65536,
};

describe('RTCP packets (RFC 3550 §6.4–6.6)', () => {
  it('a compound SR + SDES + BYE MUST read back as written, every field of the report block included', () => {
    const packets: RtcpPacket[] = [
      {
        type: 'sr',
        ssrc: 0xdeadbeef,
        ntpSeconds: 0xe1234567,
        ntpFraction: 0x80000000,
        rtpTimestamp: 123456,
        packetCount: 250,
        octetCount: 40000,
        reports: [report],
      },
      { type: 'sdes', chunks: [{ ssrc: 0xdeadbeef, cname: 'ivr@example.net' }] },
      { type: 'bye', ssrcs: [0xdeadbeef] },
    ];
    const bytes = encodeRtcp(packets);
    expect(bytes.length % 4).toBe(0);
    expect(decodeRtcp(bytes)).toEqual(packets);
  });

  it('a receiver report MUST carry the negative cumulative loss and fraction as 24 and 8 bits', () => {
    const bytes = encodeRtcp([{ type: 'rr', ssrc: 9, reports: [report] }]);
    // Header: V=2, RC=1, PT=201, length 7 (eight words minus one).
    expect([...bytes.subarray(0, 4)]).toEqual([0x81, 201, 0, 7]);
    expect([...bytes.subarray(12, 16)]).toEqual([64, 0xff, 0xff, 0xfd]);
    expect(decodeRtcp(bytes)).toEqual([{ type: 'rr', ssrc: 9, reports: [report] }]);
  });

  it('RTP, a wrong version, a first packet that is not a report, or a length past the end MUST not read as RTCP', () => {
    expect(decodeRtcp(Uint8Array.of(0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0))).toBeUndefined();
    expect(decodeRtcp(Uint8Array.of(0x40, 201, 0, 1, 0, 0, 0, 0))).toBeUndefined();
    expect(decodeRtcp(encodeRtcp([{ type: 'bye', ssrcs: [1] }]))).toBeUndefined();
    const cut = encodeRtcp([{ type: 'rr', ssrc: 9, reports: [report] }]).subarray(0, 20);
    expect(decodeRtcp(cut)).toBeUndefined();
  });

  it('an NTP timestamp MUST count from 1900, and its middle 32 bits are what LSR carries', () => {
    const { ntpSeconds, ntpFraction } = ntpTimestamp(Date.UTC(2026, 0, 1) + 500);
    expect(ntpSeconds).toBe(Date.UTC(2026, 0, 1) / 1000 + 2_208_988_800);
    expect(ntpFraction).toBe(2 ** 31);
    expect(ntpMiddle(0x12345678, 0x9abcdef0)).toBe(0x56789abc);
  });
});
