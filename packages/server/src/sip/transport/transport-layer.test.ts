import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/index.js';
import { createResponse, parseMessage, type SipRequest } from '../message/index.js';
import { TransportLayer } from './transport-layer.js';
import type { IncomingSource } from './types.js';

const open: TransportLayer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((transport) => transport.close()));
});

async function startTransport() {
  const transport = new TransportLayer({ clock: systemClock });
  open.push(transport);
  const bound = await transport.listen({ host: '127.0.0.1', udpPort: 0, tcpPort: 0 });
  return { transport, udpPort: bound.udp?.port ?? 0, tcpPort: bound.tcp?.port ?? 0 };
}

const options = (via: string, extra = '') =>
  `OPTIONS sip:server@127.0.0.1 SIP/2.0\r\nVia: ${via}\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: <sip:server@127.0.0.1>\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n${extra}Content-Length: 0\r\n\r\n`;

function udpClient() {
  const socket = createSocket('udp4');
  const received: Buffer[] = [];
  socket.on('message', (bytes) => received.push(bytes));
  return {
    socket,
    received,
    async bind(): Promise<number> {
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
      return socket.address().port;
    },
    send(text: string | Buffer, port: number) {
      socket.send(typeof text === 'string' ? Buffer.from(text) : text, port, '127.0.0.1');
    },
  };
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

describe('TransportLayer over real sockets', () => {
  it('a UDP request MUST get received and rport stamped, and its response MUST go to the rport (RFC 3581)', async () => {
    const { transport, udpPort } = await startTransport();
    const requests: Array<{ request: SipRequest; source: IncomingSource }> = [];
    transport.on('request', (event) => requests.push(event));
    const client = udpClient();
    const clientPort = await client.bind();
    client.send(options('SIP/2.0/UDP phone.invalid:5999;branch=z9hG4bKu1;rport'), udpPort);
    const { request, source } = await until(() => requests[0]);
    expect(request.topVia.params.get('received')).toBe('127.0.0.1');
    expect(request.topVia.params.get('rport')).toBe(String(clientPort));
    await transport.sendResponse(createResponse(request, 200), source);
    const reply = await until(() => client.received[0]);
    expect(parseMessage(reply)).toMatchObject({ status: 200 });
    client.socket.close();
  });

  it('an unparseable but answerable request MUST get 400, garbage MUST be survived', async () => {
    const { transport, udpPort } = await startTransport();
    let requests = 0;
    transport.on('request', () => requests++);
    const client = udpClient();
    await client.bind();
    for (let i = 0; i < 50; i++)
      client.send(Buffer.from(Array.from({ length: 200 }, (_, j) => (i * 31 + j * 17) % 256)), udpPort);
    client.send(options('SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKu2;rport', 'Max-Forwards: 9999\r\n'), udpPort);
    const reply = await until(() => client.received[0]);
    const response = parseMessage(reply);
    expect(response).toMatchObject({ status: 400 });
    expect(requests).toBe(0);
    client.socket.close();
  });

  it('over TCP, a response MUST return on the request connection, and a CRLF ping MUST get a pong', async () => {
    const { transport, tcpPort } = await startTransport();
    const sent: Array<Promise<void>> = [];
    transport.on('request', ({ request, source }) => {
      sent.push(transport.sendResponse(createResponse(request, 200), source));
    });
    const socket = connect(tcpPort, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let data = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => (data = Buffer.concat([data, chunk])));
    socket.write('\r\n\r\n');
    await until(() => (data.toString() === '\r\n' ? true : undefined));
    data = Buffer.alloc(0);
    const text = options('SIP/2.0/TCP 127.0.0.1:1;branch=z9hG4bKt1');
    socket.write(text.slice(0, 40));
    socket.write(text.slice(40));
    await until(() => (data.includes('\r\n\r\n') ? true : undefined));
    expect(parseMessage(data)).toMatchObject({ status: 200 });
    await Promise.all(sent);
    expect(transport.openConnections).toBe(1);
    socket.destroy();
    await until(() => (transport.openConnections === 0 ? true : undefined));
  });

  it('a TCP message without Content-Length MUST get 400 and the connection MUST close', async () => {
    const { tcpPort } = await startTransport();
    const socket = connect(tcpPort, '127.0.0.1');
    let data = '';
    let closed = false;
    socket.on('data', (chunk) => (data += chunk.toString()));
    socket.on('close', () => (closed = true));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(options('SIP/2.0/TCP 127.0.0.1:1;branch=z9hG4bKt2').replace('Content-Length: 0\r\n', ''));
    await until(() => (closed ? true : undefined));
    expect(data).toMatch(/^SIP\/2.0 400 /);
  });

  it('a response whose Via is not ours MUST be dropped (§18.1.2)', async () => {
    const { transport, udpPort } = await startTransport();
    let responses = 0;
    transport.on('response', () => responses++);
    const client = udpClient();
    await client.bind();
    const foreign = `SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:1;branch=z9hG4bKx\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`;
    client.send(foreign, udpPort);
    client.send(foreign.replace('127.0.0.1:1;', `127.0.0.1:${udpPort};`), udpPort);
    await until(() => (responses === 1 ? true : undefined));
    expect(responses).toBe(1);
    client.socket.close();
  });
});
