/**
 * RTP packets (RFC 3550 §5.1).
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                           timestamp                           |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |           synchronization source (SSRC) identifier            |
 *  +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *  |            contributing source (CSRC) identifiers             |
 *  |                             ....                              |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The encoder writes the fixed 12-byte header only (no CSRCs, extension or padding: nothing we send
 * needs them); the decoder skips all three, as a receiver must.
 */
export interface RtpPacket {
  readonly payloadType: number;
  readonly sequence: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly marker: boolean;
  readonly payload: Uint8Array;
}

export const rtpHeaderLength = 12;
const versionShift = 6;
const versionMask = 0xc0;
const version2 = 2 << versionShift;
const paddingBit = 0x20;
const extensionBit = 0x10;
const csrcCountMask = 0x0f;
const markerBit = 0x80;
const payloadTypeMask = 0x7f;
const sequenceOffset = 2;
const timestampOffset = 4;
const ssrcOffset = 8;
const csrcLength = 4;
const extensionHeaderLength = 4;

/** RTCP packet types 200–204 read as RTP payload types 72–76 with the marker bit set (RFC 5761 §4). */
const rtcpPayloadTypes = { first: 72, last: 76 };

export function rtpEncodedLength(packet: RtpPacket): number {
  return rtpHeaderLength + packet.payload.length;
}

/** Writes the packet at `offset` of `out` and returns the bytes written; `out` must have room. */
export function encodeRtpInto(packet: RtpPacket, out: Uint8Array, offset = 0): number {
  // Byte by byte rather than through a DataView: nothing is allocated per packet.
  const { sequence, timestamp, ssrc } = packet;
  out[offset] = version2;
  out[offset + 1] = (packet.marker ? markerBit : 0) | (packet.payloadType & payloadTypeMask);
  out[offset + sequenceOffset] = (sequence >>> 8) & 0xff;
  out[offset + sequenceOffset + 1] = sequence & 0xff;
  writeUint32(out, offset + timestampOffset, timestamp);
  writeUint32(out, offset + ssrcOffset, ssrc);
  out.set(packet.payload, offset + rtpHeaderLength);
  return rtpEncodedLength(packet);
}

function writeUint32(out: Uint8Array, offset: number, value: number): void {
  out[offset] = (value >>> 24) & 0xff;
  out[offset + 1] = (value >>> 16) & 0xff;
  out[offset + 2] = (value >>> 8) & 0xff;
  out[offset + 3] = value & 0xff;
}

const readUint32 = (data: Uint8Array, offset: number): number =>
  ((data[offset]! << 24) | (data[offset + 1]! << 16) | (data[offset + 2]! << 8) | data[offset + 3]!) >>> 0;
const readUint16 = (data: Uint8Array, offset: number): number => (data[offset]! << 8) | data[offset + 1]!;

export function encodeRtp(packet: RtpPacket): Uint8Array {
  const out = new Uint8Array(rtpEncodedLength(packet));
  encodeRtpInto(packet, out);
  return out;
}

/**
 * Reads an RTP packet; undefined for anything that is not RTP version 2 (RTCP multiplexed on the
 * port, STUN, noise, a truncated header). The payload is a view into `data`, not a copy.
 */
export function decodeRtp(data: Uint8Array): RtpPacket | undefined {
  if (data.length < rtpHeaderLength || (data[0]! & versionMask) !== version2) return undefined;
  const payloadType = data[1]! & payloadTypeMask;
  if (payloadType >= rtcpPayloadTypes.first && payloadType <= rtcpPayloadTypes.last) return undefined;
  let offset = rtpHeaderLength + (data[0]! & csrcCountMask) * csrcLength;
  if ((data[0]! & extensionBit) !== 0) {
    if (data.length < offset + extensionHeaderLength) return undefined;
    offset += extensionHeaderLength + readUint16(data, offset + 2) * 4;
  }
  let end = data.length;
  // RFC 3550 §5.1: the last octet of the padding counts the padding octets, itself included.
  if ((data[0]! & paddingBit) !== 0) end -= data[data.length - 1]!;
  if (offset > end) return undefined;
  return {
    payloadType,
    marker: (data[1]! & markerBit) !== 0,
    sequence: readUint16(data, sequenceOffset),
    timestamp: readUint32(data, timestampOffset),
    ssrc: readUint32(data, ssrcOffset),
    payload: data.subarray(offset, end),
  };
}
