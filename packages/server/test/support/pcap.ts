import { readFile } from 'node:fs/promises';

/**
 * The RTP payloads of a capture file (libpcap format, Ethernet or Linux cooked, IPv4/UDP), in order:
 * what a SIPp scenario plays with play_pcap_audio, for a test to compare with what was received.
 */
export async function rtpPayloadsOf(file: string): Promise<Uint8Array[]> {
  const data = new Uint8Array(await readFile(file));
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const magic = view.getUint32(0, true);
  const little = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!little && view.getUint32(0, false) !== 0xa1b2c3d4 && view.getUint32(0, false) !== 0xa1b23c4d) {
    throw new Error(`${file} is not a libpcap capture`);
  }
  const linkType = view.getUint32(20, little);
  const linkHeader = linkType === 1 ? 14 : linkType === 113 ? 16 : linkType === 0 ? 4 : undefined;
  if (linkHeader === undefined) throw new Error(`${file}: link type ${linkType} is not read here`);
  const payloads: Uint8Array[] = [];
  for (let offset = 24; offset + 16 <= data.length;) {
    const captured = view.getUint32(offset + 8, little);
    const packet = data.subarray(offset + 16, offset + 16 + captured);
    offset += 16 + captured;
    const ip = packet.subarray(linkHeader);
    if (ip[0]! >> 4 !== 4 || ip[9] !== 17) continue; // IPv4 UDP only
    const udp = ip.subarray((ip[0]! & 0x0f) * 4);
    const rtp = udp.subarray(8);
    if (rtp.length < 12 || rtp[0]! >> 6 !== 2) continue;
    const csrcs = rtp[0]! & 0x0f;
    payloads.push(rtp.subarray(12 + csrcs * 4));
  }
  return payloads;
}
