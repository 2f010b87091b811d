import { connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/sip/index.js';
import { waitUntil } from '../support/leftovers.js';
import { RawSipPeer } from '../support/raw-sip.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// SIP over TCP abused as issue reports measured it: idle connection floods, unfinished bodies,
// slowloris, framing errors. Each attacker has its own loopback address (127.0.0.x). After each, the
// HTTP API and SIP over UDP and TCP must still answer, and the transport must hold nothing for it.
const limits = {
  maxConnections: 60,
  maxConnectionsPerSource: 20,
  messageDeadlineMs: 1500,
  maxBodyBytes: 65_536,
  bufferBudgetBytes: 256 * 1024,
};

let server: TestServer;
const closedFor: string[] = [];
const refusedFor: string[] = [];
let sockets: Socket[] = [];

beforeAll(async () => {
  server = await startTestServer({
    sip: { sipTcpLimits: limits },
    sipObserver: {
      connectionClosed: (_remote, reason) => closedFor.push(reason),
      connectionRefused: (_remote, reason) => refusedFor.push(reason),
    },
  });
}, 120_000);

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets = [];
  await waitUntil(() => server.strowger.sip.transport.openConnections === 0, 5000);
  expect(server.strowger.sip.transport.openConnections).toBe(0);
  expect(server.strowger.sip.transport.bufferedBytes).toBe(0);
});

afterAll(async () => {
  await server?.stop();
}, 30_000);

interface Client {
  socket: Socket;
  data: () => string;
  closed: () => boolean;
}

async function openTcp(from: string): Promise<Client> {
  const socket = connect({ host: '127.0.0.1', port: server.sipPort, localAddress: from });
  sockets.push(socket);
  let data = '';
  let closed = false;
  socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  socket.on('close', () => (closed = true));
  await new Promise<void>((resolve) => {
    socket.once('connect', () => resolve());
    socket.once('close', () => resolve());
  });
  return { socket, data: () => data, closed: () => closed };
}

const request = (from: string, extra = '', contentLength = '0') =>
  `OPTIONS sip:4001@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP ${from}:5999;branch=z9hG4bK${Math.random().toString(16).slice(2)}\r\nMax-Forwards: 70\r\nFrom: <sip:probe@${from}>;tag=p\r\nTo: <sip:4001@127.0.0.1>\r\nCall-ID: ${Math.random().toString(16).slice(2)}\r\nCSeq: 1 OPTIONS\r\n${extra}Content-Length: ${contentLength}\r\n\r\n`;

/** /healthz, and OPTIONS over UDP and over TCP from a well-behaved address, all answer. */
async function expectServing(): Promise<void> {
  const health = await fetch(`${server.httpUrl}/healthz`);
  expect(health.status).toBe(200);
  const udp = await RawSipPeer.open(server.sipPort, '127.0.0.1');
  try {
    const options = udp.request({ method: 'OPTIONS', user: 'probe', target: '4001' });
    udp.send(options.text);
    expect((await udp.next((r) => r.callId === options.callId))?.status).toBe(200);
  } finally {
    udp.close();
  }
  const tcp = await openTcp('127.0.0.1');
  tcp.socket.write(request('127.0.0.1'));
  await waitUntil(() => tcp.data().includes('\r\n\r\n'));
  const answer = parseMessage(Buffer.from(tcp.data(), 'latin1'));
  expect(answer).toMatchObject({ status: 200 });
  // The default Server header is sent when none is configured.
  expect(answer.getHeader('Server')).toBe('Strowger/0.1.0');
  tcp.socket.destroy();
}

describe('SIP over TCP under abuse', () => {
  it('idle connections from one source beyond its limit MUST be refused; other sources and UDP still served', async () => {
    const clients: Client[] = [];
    for (let i = 0; i < 40; i++) clients.push(await openTcp('127.0.0.10'));
    expect(await waitUntil(() => clients.filter((c) => c.closed()).length === 20)).toBe(true);
    expect(server.strowger.sip.transport.openConnections).toBe(20);
    expect(refusedFor.filter((reason) => reason === 'per-source-limit')).toHaveLength(20);
    await expectServing();
  }, 30_000);

  it('connections beyond the total limit MUST be refused, whatever their source', async () => {
    const clients: Client[] = [];
    for (const from of ['127.0.0.20', '127.0.0.21', '127.0.0.22']) {
      for (let i = 0; i < 20; i++) clients.push(await openTcp(from));
    }
    const late = await openTcp('127.0.0.23');
    expect(await waitUntil(() => late.closed())).toBe(true);
    expect(refusedFor).toContain('total-limit');
    expect(clients.filter((c) => c.closed())).toEqual([]);
    for (const client of clients) client.socket.destroy();
    await waitUntil(() => server.strowger.sip.transport.openConnections === 0);
    await expectServing();
  }, 30_000);

  it('unfinished bodies MUST be held within the total budget, the connection over it closed', async () => {
    const clients: Client[] = [];
    for (let i = 0; i < 20; i++) {
      const client = await openTcp('127.0.0.30');
      client.socket.write(request('127.0.0.30', '', '60000') + 'x'.repeat(30_000));
      clients.push(client);
    }
    expect(await waitUntil(() => clients.filter((c) => c.closed()).length >= 10, 5000)).toBe(true);
    const transport = server.strowger.sip.transport;
    expect(transport.bufferedBytes).toBeLessThanOrEqual(limits.bufferBudgetBytes);
    expect(transport.bufferedBytes).toBeGreaterThan(0);
    expect(closedFor).toContain('buffer-budget');
    for (const client of clients) client.socket.destroy();
    await waitUntil(() => transport.openConnections === 0);
    expect(transport.bufferedBytes).toBe(0);
    await expectServing();
  }, 30_000);

  it('a slowloris connection MUST be closed at the message deadline, however often it sends a byte', async () => {
    const client = await openTcp('127.0.0.40');
    const text = request('127.0.0.40');
    let sent = 0;
    const drip = setInterval(() => {
      if (!client.closed() && sent < text.length - 1) client.socket.write(text[sent++] ?? '');
    }, 100);
    try {
      expect(await waitUntil(() => client.closed(), 20_000)).toBe(true);
    } finally {
      clearInterval(drip);
    }
    expect(closedFor).toContain('message-deadline');
    expect(sent).toBeLessThan(text.length - 1);
    await expectServing();
  }, 30_000);

  it('an over-long header MUST get 400, then the socket closes with nothing more read', async () => {
    const client = await openTcp('127.0.0.50');
    const head = request('127.0.0.50').split('Content-Length')[0] ?? '';
    client.socket.write(`${head}X-Pad: ${'a'.repeat(70_000)}`);
    // Whatever follows must not be read, appended or scanned.
    for (let i = 0; i < 20 && !client.closed(); i++) client.socket.write('b'.repeat(65_536));
    expect(await waitUntil(() => client.closed(), 5000)).toBe(true);
    expect(client.data()).toMatch(/^SIP\/2\.0 400 /);
    expect(closedFor).toContain('framing-error');
    expect(server.strowger.sip.transport.bufferedBytes).toBe(0);
    await expectServing();
  }, 30_000);

  it('an absurd Content-Length MUST get 400 and the socket closes', async () => {
    const client = await openTcp('127.0.0.51');
    client.socket.write(request('127.0.0.51', '', '2147483648'));
    expect(await waitUntil(() => client.closed(), 5000)).toBe(true);
    expect(client.data()).toMatch(/^SIP\/2\.0 400 Bad Request - body of 2147483648 bytes/);
    await expectServing();
  }, 30_000);

  it('the metrics count what was refused and closed', async () => {
    const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
    expect(text).toMatch(/strowger_sip_tcp_connections_refused_total\{reason="per-source-limit"\} [1-9]/);
    expect(text).toMatch(/strowger_sip_tcp_connections_closed_total\{reason="message-deadline"\} [1-9]/);
    expect(text).toMatch(/strowger_sip_tcp_buffered_bytes 0/);
  });
});
