import { networkInterfaces } from 'node:os';

/** Whether an address means "every interface" rather than one. */
export function isWildcardAddress(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

/**
 * The address to put in SIP headers and SDP when listening on every interface: the machine's first
 * external IPv4 address (what phones on the network can reach), or loopback on a machine with none.
 * Deployments with several networks or NAT name the address themselves.
 */
export function primaryAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return '127.0.0.1';
}
