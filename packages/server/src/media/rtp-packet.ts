/** RTP packets (RFC 3550 §5.1): the fixed 12-byte header, no CSRCs or extensions written. */
export interface RtpPacket {
  readonly payloadType: number;
  readonly sequence: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly marker: boolean;
  readonly payload: Uint8Array;
}

export function encodeRtp(packet: RtpPacket): Buffer {
  const out = Buffer.allocUnsafe(12 + packet.payload.length);
  out[0] = 0x80; // version 2, no padding, no extension, no CSRC
  out[1] = (packet.marker ? 0x80 : 0) | (packet.payloadType & 0x7f);
  out.writeUInt16BE(packet.sequence & 0xffff, 2);
  out.writeUInt32BE(packet.timestamp >>> 0, 4);
  out.writeUInt32BE(packet.ssrc >>> 0, 8);
  out.set(packet.payload, 12);
  return out;
}

/** Reads an RTP packet; undefined for anything that is not RTP version 2 (RTCP, STUN, noise). */
export function decodeRtp(data: Uint8Array): RtpPacket | undefined {
  if (data.length < 12 || (data[0]! & 0xc0) !== 0x80) return undefined;
  const payloadType = data[1]! & 0x7f;
  if (payloadType >= 72 && payloadType <= 76) return undefined; // RTCP shares the port (RFC 5761)
  const view = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const csrcCount = data[0]! & 0x0f;
  let offset = 12 + csrcCount * 4;
  if ((data[0]! & 0x10) !== 0) {
    if (data.length < offset + 4) return undefined;
    offset += 4 + view.readUInt16BE(offset + 2) * 4;
  }
  let end = data.length;
  if ((data[0]! & 0x20) !== 0) end -= data[data.length - 1]!;
  if (offset > end) return undefined;
  return {
    payloadType,
    marker: (data[1]! & 0x80) !== 0,
    sequence: view.readUInt16BE(2),
    timestamp: view.readUInt32BE(4),
    ssrc: view.readUInt32BE(8),
    payload: data.subarray(offset, end),
  };
}
