import { isIPv4 } from 'node:net';
import { networkInterfaces } from 'node:os';

/** Whether an address means "every interface" rather than one. */
export function isWildcardAddress(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

/**
 * The address to put in SIP headers and SDP when listening on every interface and nothing says which
 * interface a peer reached: the machine's first external IPv4 address (what phones on the network can
 * reach), or loopback on a machine with none.
 */
export function primaryAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return '127.0.0.1';
}

/** One address of one of this machine's interfaces. */
export interface LocalAddress {
  readonly address: string;
  /** The interface's network in CIDR form ("192.0.2.2/24"), for choosing the address towards a peer. */
  readonly cidr: string | null;
  readonly internal: boolean;
}

/**
 * The addresses a wildcard bind covers: IPv4 for 0.0.0.0; IPv4 and IPv6 for "::". Link-local IPv6
 * addresses are left out: they need a zone and no phone registers to one.
 */
export function interfaceAddresses(wildcard: string): LocalAddress[] {
  const found: LocalAddress[] = [];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv6' && (wildcard !== '::' || address.address.toLowerCase().startsWith('fe80:'))) {
        continue;
      }
      found.push({ address: address.address, cidr: address.cidr, internal: address.internal });
    }
  }
  return found;
}

/** An IPv4 address written as IPv4-mapped IPv6 ("::ffff:127.0.0.1", what a dual-stack socket reports) in IPv4 form. */
export function unmapAddress(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped?.[1] ?? address;
}

/**
 * Which of `candidates` a packet to `target` would leave from, as the kernel's routing would choose:
 * the address itself when the peer is on this machine, loopback for a loopback peer, the interface
 * whose network holds the peer, and otherwise the first external address. Undefined without candidates.
 */
export function localAddressTowards(target: string, candidates: readonly LocalAddress[]): string | undefined {
  const peer = unmapAddress(target);
  const exact = candidates.find((candidate) => candidate.address === peer);
  if (exact !== undefined) return exact.address;
  if (isLoopback(peer)) {
    const loopback = candidates.find((candidate) => isLoopback(candidate.address));
    if (loopback !== undefined) return loopback.address;
  }
  const onLink = candidates.find((candidate) => candidate.cidr !== null && inNetwork(peer, candidate.cidr));
  if (onLink !== undefined) return onLink.address;
  return (candidates.find((candidate) => !candidate.internal) ?? candidates[0])?.address;
}

function isLoopback(address: string): boolean {
  return address === '::1' || (isIPv4(address) && address.startsWith('127.'));
}

/** Whether an IPv4 address lies in an IPv4 network given in CIDR form; false for anything else. */
function inNetwork(address: string, cidr: string): boolean {
  const [network, bits] = cidr.split('/');
  if (network === undefined || bits === undefined || !isIPv4(address) || !isIPv4(network)) return false;
  const length = Number(bits);
  if (length === 0) return true;
  const mask = (0xffffffff << (32 - length)) >>> 0;
  return (ipv4Number(address) & mask) >>> 0 === (ipv4Number(network) & mask) >>> 0;
}

function ipv4Number(address: string): number {
  return address.split('.').reduce((value, octet) => ((value << 8) | Number(octet)) >>> 0, 0);
}
