import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SipRequest, SipResponse } from '../../src/sip/index.js';
import { requireSipp, runSipp } from '../support/sipp.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { vectors, type TortureVector } from '../torture/vectors.js';

// Every torture message goes to a running server over UDP and over TCP; the answers are read from the
// server's own tap on what it sends, because many vectors name Via hosts that are not this test.
let server: TestServer;
const sent: Array<{ response: SipResponse; protocol: string }> = [];
let udp: UdpSocket;

beforeAll(async () => {
  requireSipp();
  server = await startTestServer({
    sipObserver: {
      messageSent: (message: SipRequest | SipResponse, target: { protocol: string }) => {
        if (message.kind === 'response') sent.push({ response: message, protocol: target.protocol });
      },
    },
  });
  udp = createSocket('udp4');
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
}, 60_000);

afterAll(async () => {
  udp?.close();
  await server?.stop();
});

/** The vector's first Call-ID, which its answer carries too; none for a message without one. */
function callIdOf(v: TortureVector): string | undefined {
  const head = v.bytes.toString('utf8', 0, v.bytes.indexOf('\r\n\r\n'));
  return /^(?:call-id|i)[ \t]*:[ \t]*(.*)$/im.exec(head)?.[1]?.trim();
}

/**
 * RFC 4475's messages reuse branch values (z9hG4bKkdjuw appears in many) and some share From tag,
 * Call-ID and CSeq. A server that matches transactions correctly (RFC 3261 §17.2.3) takes a later
 * message with the same branch and sent-by as a retransmission of the earlier, and one with the same
 * From tag, Call-ID and CSeq on another branch as a merged request (§8.2.2.2, 482). So each send here
 * gets a branch and a Call-ID of its own; the tests at the end show both cases on purpose. A branch
 * that is only the magic cookie (badbranch) is kept, and its Via gets a port of its own instead.
 */
let sends = 0;
function withOwnIdentity(bytes: Buffer): { bytes: Buffer; callId: string | undefined } {
  sends += 1;
  let callId: string | undefined;
  const text = bytes
    .toString('latin1')
    .replace(/(branch[ \t]*=[ \t]*z9hG4bK[^;,\s]+)/i, (branch) => `${branch}.${sends}`)
    // A bare magic cookie stays; a sent-by port of its own keeps the transaction apart instead.
    .replace(/^(via[ \t]*:[ \t]*SIP\/2\.0\/\w+ [\w.]+)(;branch=z9hG4bK)(?=\r\n)/im, `$1:${20_000 + sends}$2`)
    .replace(
      /^((?:call-id|i)[ \t]*:[ \t]*)([^\r\n]*?)([ \t]*)$/im,
      (_all, name: string, value: string, tail: string) => {
        callId = `${value}.${sends}`;
        return `${name}${callId}${tail}`;
      },
    );
  // The Call-ID was read as latin1; the server reads UTF-8, and the Call-IDs here are ASCII.
  return { bytes: Buffer.from(text, 'latin1'), callId };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function answersTo(callId: string | undefined, protocol: string, expectAnswer: boolean): Promise<number[]> {
  // INVITE answers are retransmitted over UDP until an ACK that never comes; those of earlier
  // vectors are told apart by Call-ID and transport.
  const matching = () =>
    sent
      .filter((entry) => entry.protocol === protocol && entry.response.getHeader('Call-ID') === callId)
      .map((entry) => entry.response.status);
  // A vector that must not be answered gets a fixed grace period; one that must is waited for.
  const deadline = Date.now() + (expectAnswer ? 3000 : 300);
  while (Date.now() < deadline) {
    if (expectAnswer && matching().length > 0) break;
    await delay(10);
  }
  return matching();
}

async function sendTcp(bytes: Buffer): Promise<Socket> {
  const socket = connect(server.sipPort, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => undefined);
  socket.write(bytes);
  return socket;
}

describe.each(['udp', 'tcp'] as const)('torture messages over %s', (transport) => {
  it.each(vectors.map((v) => [v.name, v] as const))('%s gets the answer the RFC asks for', async (_name, v) => {
    sent.length = 0;
    const expected = transport === 'tcp' && v.answerTcp !== undefined ? v.answerTcp : v.answer;
    let socket: Socket | undefined;
    const { bytes, callId } = withOwnIdentity(v.bytes);
    if (transport === 'udp') {
      udp.send(bytes, server.sipPort, '127.0.0.1');
    } else {
      socket = await sendTcp(bytes);
    }
    const statuses = await answersTo(callId, transport, expected !== 'none');
    socket?.destroy();
    if (expected === 'none') {
      expect(statuses, `${v.name} must not be answered`).toEqual([]);
    } else {
      const seen = sent
        .map(({ response, protocol }) => `${protocol} ${response.status} ${response.getHeader('Call-ID') ?? '-'}`)
        .join('; ');
      expect(statuses[0], `${v.name} (${v.source}) ${v.note ?? ''}; expected Call-ID ${callId}; sent: ${seen}`).toBe(
        expected,
      );
    }
  });

  it('keeps serving registrations after the torture', async () => {
    const run = await runSipp({
      scenario: 'uac-register-digest.xml',
      port: server.sipPort,
      transport,
      service: '1002',
      username: '1002',
      password: 'demo-1002',
    });
    expect(run.code, `${run.errors}\n${run.output.slice(-1500)}`).toBe(0);
    const health = await fetch(`${server.httpUrl}/healthz`);
    expect(health.status).toBe(200);
  });
});

describe('transaction matching with the vectors as written', () => {
  const byName = (name: string) => vectors.find((v) => v.name === name) as TortureVector;

  it('a request reusing the branch and sent-by of a challenged one is challenged on its own: a challenge keeps no transaction', async () => {
    sent.length = 0;
    const first = byName('cparam01');
    const second = byName('cparam02');
    udp.send(first.bytes, server.sipPort, '127.0.0.1');
    expect(await answersTo(callIdOf(first), 'udp', true)).toEqual([401]);
    udp.send(second.bytes, server.sipPort, '127.0.0.1');
    await delay(300);
    // The same branch (z9hG4bKkdjuw) from saturn.example.com:5060. A 401 is sent statelessly (RFC 3261
    // §26.3.2.4), so no transaction of cparam01 is left to match: cparam02 gets its own challenge.
    // (Matching a live transaction by branch is proved in the transaction layer's own tests.)
    expect(await answersTo(callIdOf(first), 'udp', false)).toEqual([401]);
    expect(await answersTo(callIdOf(second), 'udp', false)).toEqual([401]);
  });

  it('a request with the From tag, Call-ID and CSeq of a recent one on another branch is merged: 482', async () => {
    sent.length = 0;
    const first = byName('ipv6-good');
    const second = byName('port-unambiguous');
    const callId = callIdOf(first);
    expect(callIdOf(second)).toBe(callId);
    udp.send(first.bytes, server.sipPort, '127.0.0.1');
    expect(await answersTo(callId, 'udp', true)).toEqual([401]);
    // Same From tag (81x2), Call-ID and CSeq 98176; the branch differs only in its suffix.
    udp.send(
      Buffer.from(second.bytes.toString('latin1').replace('z9hG4bKas3-111', 'z9hG4bKas3-222'), 'latin1'),
      server.sipPort,
      '127.0.0.1',
    );
    await delay(300);
    expect(await answersTo(callId, 'udp', false)).toEqual([401, 482]);
  });
});
