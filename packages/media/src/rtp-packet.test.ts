import { describe, expect, it } from 'vitest';
import { decodeRtp, encodeRtp, encodeRtpInto, rtpEncodedLength, type RtpPacket } from './rtp-packet.js';

describe('RTP packets (RFC 3550)', () => {
  it('a packet MUST read back as written, and RTCP or short data MUST not read as RTP', () => {
    const packet: RtpPacket = {
      payloadType: 8,
      sequence: 65535,
      timestamp: 4294967295,
      ssrc: 0xdeadbeef,
      marker: true,
      payload: Uint8Array.of(1, 2, 3),
    };
    const bytes = encodeRtp(packet);
    expect(bytes.length).toBe(15);
    expect(decodeRtp(bytes)).toEqual({ ...packet, payload: bytes.subarray(12) });
    expect(decodeRtp(Uint8Array.of(0x80, 200, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0))).toBeUndefined();
    expect(decodeRtp(Uint8Array.of(0x80, 0))).toBeUndefined();
  });

  it('a byte vector from the wire MUST decode field by field (RFC 3550 §5.1)', () => {
    // V=2, M=1, PT=0, seq 0x1234, ts 0x00000a00, ssrc 0x11223344, payload ff ff.
    const vector = Uint8Array.of(0x80, 0x80, 0x12, 0x34, 0, 0, 0x0a, 0, 0x11, 0x22, 0x33, 0x44, 0xff, 0xfe);
    expect(decodeRtp(vector)).toEqual({
      payloadType: 0,
      marker: true,
      sequence: 0x1234,
      timestamp: 0xa00,
      ssrc: 0x11223344,
      payload: Uint8Array.of(0xff, 0xfe),
    });
    expect(encodeRtp(decodeRtp(vector)!)).toEqual(vector);
  });

  it('a receiver MUST skip CSRCs and a header extension, and drop padding', () => {
    const bytes = Uint8Array.of(
      ...[0xb1, 0x08, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3], // V=2, P, X, CC=1; PT=8
      ...[0xaa, 0xbb, 0xcc, 0xdd], // one CSRC
      ...[0xbe, 0xde, 0, 1, 1, 2, 3, 4], // extension header, one word
      ...[9, 8, 7], // payload
      ...[0, 0, 3], // three octets of padding, the last counting them
    );
    const packet = decodeRtp(bytes)!;
    expect(packet.payloadType).toBe(8);
    expect([...packet.payload]).toEqual([9, 8, 7]);
    expect(decodeRtp(Uint8Array.of(0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0))).toBeUndefined(); // extension cut off
  });

  it('encodeRtpInto MUST write at the offset and return the length it wrote', () => {
    const packet: RtpPacket = {
      payloadType: 0,
      sequence: 7,
      timestamp: 160,
      ssrc: 1,
      marker: false,
      payload: Uint8Array.of(5, 6),
    };
    const out = new Uint8Array(20).fill(0xee);
    expect(encodeRtpInto(packet, out, 4)).toBe(rtpEncodedLength(packet));
    expect(out[3]).toBe(0xee);
    expect(decodeRtp(out.subarray(4, 4 + rtpEncodedLength(packet)))).toEqual({
      ...packet,
      payload: out.subarray(16, 18),
    });
  });
});
