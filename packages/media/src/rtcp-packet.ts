/**
 * RTCP packets (RFC 3550 §6.4–6.6): sender and receiver reports, source description (CNAME) and
 * goodbye, in compound packets. Every RTCP packet starts with the same header:
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |V=2|P|    RC   |   PT=SR=200   |             length            |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                         SSRC of sender                        |
 *  +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *  |              NTP timestamp, most significant word             |  sender
 *  |             NTP timestamp, least significant word             |  info
 *  |                         RTP timestamp                         |  (SR
 *  |                     sender's packet count                     |  only)
 *  |                      sender's octet count                     |
 *  +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *  |                 SSRC_1 (SSRC of first source)                 |  report
 *  | fraction lost |       cumulative number of packets lost       |  block
 *  |           extended highest sequence number received           |  (24
 *  |                      interarrival jitter                      |  octets
 *  |                         last SR (LSR)                         |  each)
 *  |                   delay since last SR (DLSR)                  |
 *  +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *
 * `length` counts 32-bit words minus one. A receiver report (PT=201) is the same without the
 * sender info.
 */
import { utf8Decode, utf8Encode } from './host.js';

export const RtcpType = { SenderReport: 200, ReceiverReport: 201, SourceDescription: 202, Goodbye: 203 } as const;

/** One report block: what the reporter received from one source. */
export interface ReceptionReport {
  readonly ssrc: number;
  /** Packets lost since the previous report, as a fraction of 256 (RFC 3550 §6.4.1). */
  readonly fractionLost: number;
  /** Packets lost since reception began; negative when duplicates outnumber losses. */
  readonly cumulativeLost: number;
  /** The highest sequence number received, extended with the count of wrap-arounds in the top 16 bits. */
  readonly highestSequence: number;
  /** Interarrival jitter in RTP timestamp units (RFC 3550 §6.4.1, A.8). */
  readonly jitter: number;
  /** The middle 32 bits of the NTP timestamp of the last sender report received from the source; 0 if none. */
  readonly lastSenderReport: number;
  /** Delay since that sender report, in units of 1/65536 s; 0 if none. */
  readonly delaySinceLastSenderReport: number;
}

export interface SenderReport {
  readonly type: 'sr';
  readonly ssrc: number;
  /** The NTP wall-clock time of the report: seconds since 1900 and the binary fraction of a second. */
  readonly ntpSeconds: number;
  readonly ntpFraction: number;
  /** The same instant in the sender's RTP timestamp units. */
  readonly rtpTimestamp: number;
  readonly packetCount: number;
  readonly octetCount: number;
  readonly reports: readonly ReceptionReport[];
}

export interface ReceiverReport {
  readonly type: 'rr';
  readonly ssrc: number;
  readonly reports: readonly ReceptionReport[];
}

export interface SourceDescription {
  readonly type: 'sdes';
  readonly chunks: readonly { readonly ssrc: number; readonly cname: string }[];
}

export interface Goodbye {
  readonly type: 'bye';
  readonly ssrcs: readonly number[];
}

export type RtcpPacket = SenderReport | ReceiverReport | SourceDescription | Goodbye;

const headerLength = 4;
const version2 = 0x80;
const versionMask = 0xc0;
const paddingBit = 0x20;
const countMask = 0x1f;
const senderInfoLength = 20;
const reportBlockLength = 24;
const maxCount = 31;
const sdesCname = 1;
const sdesEnd = 0;

/** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
const ntpEpochOffset = 2_208_988_800;

/** A Unix time in milliseconds as the two 32-bit words of an NTP timestamp. */
export function ntpTimestamp(unixMs: number): { ntpSeconds: number; ntpFraction: number } {
  const seconds = Math.floor(unixMs / 1000);
  const fraction = Math.floor(((unixMs - seconds * 1000) / 1000) * 2 ** 32);
  return { ntpSeconds: (seconds + ntpEpochOffset) >>> 0, ntpFraction: fraction >>> 0 };
}

/** The middle 32 bits of an NTP timestamp: what a report block's LSR field carries. */
export function ntpMiddle(ntpSeconds: number, ntpFraction: number): number {
  return (((ntpSeconds & 0xffff) << 16) | (ntpFraction >>> 16)) >>> 0;
}

const cnameBytes = (cname: string): Uint8Array => utf8Encode(cname).subarray(0, 255);

function bodyLength(packet: RtcpPacket): number {
  switch (packet.type) {
    case 'sr':
      return 4 + senderInfoLength + packet.reports.length * reportBlockLength;
    case 'rr':
      return 4 + packet.reports.length * reportBlockLength;
    case 'sdes':
      // Each chunk: SSRC, the CNAME item (type, length, text), at least one null octet, padded to 32 bits.
      return packet.chunks.reduce(
        (sum, chunk) => sum + 4 + Math.ceil((2 + cnameBytes(chunk.cname).length + 1) / 4) * 4,
        0,
      );
    case 'bye':
      return packet.ssrcs.length * 4;
  }
}

function countOf(packet: RtcpPacket): number {
  switch (packet.type) {
    case 'sr':
    case 'rr':
      return packet.reports.length;
    case 'sdes':
      return packet.chunks.length;
    case 'bye':
      return packet.ssrcs.length;
  }
}

/** The bytes a compound packet of `packets` takes. */
export function rtcpEncodedLength(packets: readonly RtcpPacket[]): number {
  return packets.reduce((sum, packet) => sum + headerLength + bodyLength(packet), 0);
}

function writeReports(view: DataView, offset: number, reports: readonly ReceptionReport[]): number {
  for (const report of reports) {
    view.setUint32(offset, report.ssrc >>> 0);
    // The cumulative count is a signed 24-bit number beside the 8-bit fraction (RFC 3550 §6.4.1).
    const lost = Math.max(-0x800000, Math.min(0x7fffff, report.cumulativeLost)) & 0xffffff;
    view.setUint32(offset + 4, (((report.fractionLost & 0xff) << 24) | lost) >>> 0);
    view.setUint32(offset + 8, report.highestSequence >>> 0);
    view.setUint32(offset + 12, report.jitter >>> 0);
    view.setUint32(offset + 16, report.lastSenderReport >>> 0);
    view.setUint32(offset + 20, report.delaySinceLastSenderReport >>> 0);
    offset += reportBlockLength;
  }
  return offset;
}

/**
 * Writes a compound packet at `offset` of `out` and returns the bytes written. RFC 3550 §6.1: a
 * compound packet starts with an SR or RR and carries an SDES with the CNAME; that is the caller's
 * choice of `packets`, checked here only for what would make the bytes unreadable.
 */
export function encodeRtcpInto(packets: readonly RtcpPacket[], out: Uint8Array, offset = 0): number {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const start = offset;
  for (const packet of packets) {
    const count = countOf(packet);
    if (count > maxCount) throw new RangeError(`an RTCP ${packet.type} packet holds at most ${maxCount} entries`);
    const length = headerLength + bodyLength(packet);
    view.setUint8(offset, version2 | count);
    view.setUint8(offset + 1, RtcpType[typeNames[packet.type]]);
    view.setUint16(offset + 2, length / 4 - 1);
    let at = offset + headerLength;
    switch (packet.type) {
      case 'sr':
        view.setUint32(at, packet.ssrc >>> 0);
        view.setUint32(at + 4, packet.ntpSeconds >>> 0);
        view.setUint32(at + 8, packet.ntpFraction >>> 0);
        view.setUint32(at + 12, packet.rtpTimestamp >>> 0);
        view.setUint32(at + 16, packet.packetCount >>> 0);
        view.setUint32(at + 20, packet.octetCount >>> 0);
        writeReports(view, at + 24, packet.reports);
        break;
      case 'rr':
        view.setUint32(at, packet.ssrc >>> 0);
        writeReports(view, at + 4, packet.reports);
        break;
      case 'sdes':
        for (const chunk of packet.chunks) {
          const text = cnameBytes(chunk.cname);
          view.setUint32(at, chunk.ssrc >>> 0);
          out[at + 4] = sdesCname;
          out[at + 5] = text.length;
          out.set(text, at + 6);
          const chunkLength = 4 + Math.ceil((2 + text.length + 1) / 4) * 4;
          out.fill(sdesEnd, at + 6 + text.length, at + chunkLength);
          at += chunkLength;
        }
        break;
      case 'bye':
        packet.ssrcs.forEach((ssrc, i) => view.setUint32(at + i * 4, ssrc >>> 0));
        break;
    }
    offset += length;
  }
  return offset - start;
}

export function encodeRtcp(packets: readonly RtcpPacket[]): Uint8Array {
  const out = new Uint8Array(rtcpEncodedLength(packets));
  encodeRtcpInto(packets, out);
  return out;
}

const typeNames = { sr: 'SenderReport', rr: 'ReceiverReport', sdes: 'SourceDescription', bye: 'Goodbye' } as const;

function readReports(view: DataView, offset: number, count: number): ReceptionReport[] {
  const reports: ReceptionReport[] = [];
  for (let i = 0; i < count; i++, offset += reportBlockLength) {
    const lostWord = view.getUint32(offset + 4);
    const lost = lostWord & 0xffffff;
    reports.push({
      ssrc: view.getUint32(offset),
      fractionLost: lostWord >>> 24,
      cumulativeLost: lost & 0x800000 ? lost - 0x1000000 : lost,
      highestSequence: view.getUint32(offset + 8),
      jitter: view.getUint32(offset + 12),
      lastSenderReport: view.getUint32(offset + 16),
      delaySinceLastSenderReport: view.getUint32(offset + 20),
    });
  }
  return reports;
}

function readSdes(data: Uint8Array, view: DataView, offset: number, end: number, count: number): SourceDescription {
  const chunks: { ssrc: number; cname: string }[] = [];
  for (let i = 0; i < count && offset + 4 <= end; i++) {
    const ssrc = view.getUint32(offset);
    let at = offset + 4;
    let cname = '';
    while (at < end && data[at] !== sdesEnd) {
      const type = data[at]!;
      const length = data[at + 1] ?? 0;
      if (at + 2 + length > end) break;
      if (type === sdesCname) cname = utf8Decode(data.subarray(at + 2, at + 2 + length));
      at += 2 + length;
    }
    // Skip the null octet(s) to the next 32-bit boundary.
    offset = offset + Math.ceil((at + 1 - offset) / 4) * 4;
    chunks.push({ ssrc, cname });
  }
  return { type: 'sdes', chunks };
}

/**
 * Reads a compound RTCP packet (RFC 3550 §6.1, validity checks of A.2); undefined when the bytes are
 * not one (RTP, a wrong version, lengths that do not add up). Packet types we do not model (APP, XR,
 * feedback) are skipped.
 */
export function decodeRtcp(data: Uint8Array): RtcpPacket[] | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const packets: RtcpPacket[] = [];
  let offset = 0;
  while (offset < data.length) {
    if (offset + headerLength > data.length || (data[offset]! & versionMask) !== version2) return undefined;
    const count = data[offset]! & countMask;
    const type = data[offset + 1]!;
    if (offset === 0 && type !== RtcpType.SenderReport && type !== RtcpType.ReceiverReport) return undefined;
    const end = offset + (view.getUint16(offset + 2) + 1) * 4;
    if (end > data.length) return undefined;
    // Only the last packet of a compound may be padded (A.2); its last octet counts the padding.
    const bodyEnd = (data[offset]! & paddingBit) !== 0 ? end - data[end - 1]! : end;
    const body = offset + headerLength;
    if (type === RtcpType.SenderReport) {
      if (body + 4 + senderInfoLength + count * reportBlockLength > bodyEnd) return undefined;
      packets.push({
        type: 'sr',
        ssrc: view.getUint32(body),
        ntpSeconds: view.getUint32(body + 4),
        ntpFraction: view.getUint32(body + 8),
        rtpTimestamp: view.getUint32(body + 12),
        packetCount: view.getUint32(body + 16),
        octetCount: view.getUint32(body + 20),
        reports: readReports(view, body + 24, count),
      });
    } else if (type === RtcpType.ReceiverReport) {
      if (body + 4 + count * reportBlockLength > bodyEnd) return undefined;
      packets.push({ type: 'rr', ssrc: view.getUint32(body), reports: readReports(view, body + 4, count) });
    } else if (type === RtcpType.SourceDescription) {
      packets.push(readSdes(data, view, body, bodyEnd, count));
    } else if (type === RtcpType.Goodbye) {
      if (body + count * 4 > bodyEnd) return undefined;
      packets.push({ type: 'bye', ssrcs: Array.from({ length: count }, (_, i) => view.getUint32(body + i * 4)) });
    }
    offset = end;
  }
  return packets.length > 0 ? packets : undefined;
}
