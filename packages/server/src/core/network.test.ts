import { describe, expect, it } from 'vitest';
import { localAddressTowards, unmapAddress, type LocalAddress } from './network.js';

const interfaces: LocalAddress[] = [
  { address: '127.0.0.1', cidr: '127.0.0.1/8', internal: true },
  { address: '192.0.2.2', cidr: '192.0.2.2/24', internal: false },
  { address: '198.51.100.7', cidr: '198.51.100.7/25', internal: false },
];

describe('choosing our address towards a peer', () => {
  it('a peer on one of our networks MUST be reached from that network’s address', () => {
    expect(localAddressTowards('198.51.100.60', interfaces)).toBe('198.51.100.7');
    expect(localAddressTowards('192.0.2.200', interfaces)).toBe('192.0.2.2');
  });

  it('a loopback peer MUST be reached from loopback, and a peer at one of our addresses from that address', () => {
    expect(localAddressTowards('127.0.0.5', interfaces)).toBe('127.0.0.1');
    expect(localAddressTowards('198.51.100.7', interfaces)).toBe('198.51.100.7');
    expect(localAddressTowards('::ffff:127.0.0.1', interfaces)).toBe('127.0.0.1');
  });

  it('a peer on no network of ours MUST be reached from the first external address', () => {
    expect(localAddressTowards('203.0.113.9', interfaces)).toBe('192.0.2.2');
    // Just outside the /25.
    expect(localAddressTowards('198.51.100.200', interfaces)).toBe('192.0.2.2');
    expect(localAddressTowards('203.0.113.9', [])).toBeUndefined();
  });

  it('an IPv4-mapped IPv6 address MUST read as its IPv4 address, and others MUST be left alone', () => {
    expect(unmapAddress('::ffff:192.0.2.2')).toBe('192.0.2.2');
    expect(unmapAddress('2001:db8::1')).toBe('2001:db8::1');
    expect(unmapAddress('192.0.2.2')).toBe('192.0.2.2');
  });
});
