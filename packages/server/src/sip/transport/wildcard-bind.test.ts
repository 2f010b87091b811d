import { createSocket, type RemoteInfo } from 'node:dgram';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/index.js';
import type { SipRequest } from '../message/index.js';
import { createResponse, parseMessage } from '../message/index.js';
import { TransportLayer } from './transport-layer.js';
import type { IncomingSource } from './types.js';

// Linux routes all of 127.0.0.0/8 to loopback, so 127.0.0.2 stands for a second network without
// any configuration: the transport is told these are the machine's interface addresses.
const twoNetworks = () => [
  { address: '127.0.0.1', cidr: '127.0.0.1/32', internal: true },
  { address: '127.0.0.2', cidr: '127.0.0.2/32', internal: false },
];

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

async function wildcardTransport(advertise?: string) {
  const transport = new TransportLayer({ clock: systemClock, interfaceAddresses: twoNetworks });
  open.push(transport);
  const bound = await transport.listen({
    host: '0.0.0.0',
    udpPort: 0,
    tcpPort: 0,
    ...(advertise === undefined ? {} : { advertise }),
  });
  const requests: Array<{ request: SipRequest; source: IncomingSource }> = [];
  transport.on('request', (event) => requests.push(event));
  return { transport, requests, udpPort: bound.udp?.port ?? 0, tcpPort: bound.tcp?.port ?? 0 };
}

const options = (via: string) =>
  `OPTIONS sip:server@example.com SIP/2.0\r\nVia: ${via}\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: <sip:server@example.com>\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`;

async function udpPeer() {
  const socket = createSocket('udp4');
  open.push(socket);
  const received: Array<{ bytes: Buffer; from: RemoteInfo }> = [];
  socket.on('message', (bytes, from) => received.push({ bytes, from }));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return { socket, received, port: socket.address().port };
}

async function until<T>(probe: () => T | undefined, ms = 2000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('a transport bound to every interface', () => {
  it('MUST listen on every interface address on one port, and tell which address each datagram reached', async () => {
    const { transport, requests, udpPort } = await wildcardTransport();
    const peer = await udpPeer();
    peer.socket.send(options('SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKw1;rport'), udpPort, '127.0.0.2');
    const viaSecond = await until(() => requests[0]);
    peer.socket.send(options('SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKw2;rport'), udpPort, '127.0.0.1');
    const viaFirst = await until(() => requests[1]);
    expect(viaSecond.source.local.address).toBe('127.0.0.2');
    expect(viaFirst.source.local.address).toBe('127.0.0.1');
    expect(transport.sentBy('udp', viaSecond.source.local.address)).toEqual({ host: '127.0.0.2', port: udpPort });
    expect(transport.sentBy('udp', viaFirst.source.local.address)).toEqual({ host: '127.0.0.1', port: udpPort });

    // The response leaves from the address the request reached, as the peer expects it to.
    await transport.sendResponse(createResponse(viaSecond.request, 200), viaSecond.source);
    const answer = await until(() => peer.received[0]);
    expect(answer.from.address).toBe('127.0.0.2');
    expect(answer.from.port).toBe(udpPort);
  });

  it('MUST send a request from the address the target names, and choose by routing when it names none', async () => {
    const { transport, udpPort } = await wildcardTransport();
    const peer = await udpPeer();
    const request = () =>
      parseMessage(Buffer.from(options('SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKw3'))) as SipRequest;
    await transport.send(request(), {
      protocol: 'udp',
      address: '127.0.0.1',
      port: peer.port,
      localAddress: '127.0.0.2',
    });
    expect((await until(() => peer.received[0])).from.address).toBe('127.0.0.2');
    await transport.send(request(), { protocol: 'udp', address: '127.0.0.1', port: peer.port });
    // Loopback for a loopback peer.
    expect((await until(() => peer.received[1])).from.address).toBe('127.0.0.1');
    expect(transport.localAddressFor({ protocol: 'udp', address: '127.0.0.1', port: peer.port })).toBe('127.0.0.1');
    expect(peer.received.every(({ from }) => from.port === udpPort)).toBe(true);
  });

  it('over TCP MUST take the connection’s local address, also for a connection it opens itself', async () => {
    const { transport, requests, tcpPort } = await wildcardTransport();
    const client = connect({ host: '127.0.0.2', port: tcpPort });
    open.push({ close: () => client.destroy() });
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    client.write(options('SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bKw4'));
    const { source } = await until(() => requests[0]);
    expect(source.local.address).toBe('127.0.0.2');
    expect(
      transport.localAddressFor({ protocol: 'tcp', address: '127.0.0.1', port: 1, connectionId: source.connectionId! }),
    ).toBe('127.0.0.2');

    // A new connection to a phone that registered through 127.0.0.2 is opened from there.
    const other = await wildcardTransport();
    const request = parseMessage(Buffer.from(options('SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bKw5'))) as SipRequest;
    await transport.send(request, {
      protocol: 'tcp',
      address: '127.0.0.1',
      port: other.tcpPort,
      localAddress: '127.0.0.2',
    });
    const arrived = await until(() => other.requests[0]);
    expect(arrived.source.remote.address).toBe('127.0.0.2');
  });

  it('an explicit advertise address MUST win over the address the peer reached', async () => {
    const { transport, udpPort } = await wildcardTransport('pbx.example.com');
    expect(transport.sentBy('udp', '127.0.0.2')).toEqual({ host: 'pbx.example.com', port: udpPort });
  });

  it('bound to one address, that address MUST be named whatever the peer reached', async () => {
    const transport = new TransportLayer({ clock: systemClock });
    open.push(transport);
    const bound = await transport.listen({ host: '127.0.0.1', udpPort: 0 });
    expect(transport.sentBy('udp', '127.0.0.2')).toEqual({ host: '127.0.0.1', port: bound.udp?.port });
  });
});
