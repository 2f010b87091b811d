import { createSocket } from 'node:dgram';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeG711, decodeRtp, encodeG711, encodeRtp, type RtpPacket } from '@strowger/media';
import type { CallRecord } from '../../src/switch/index.js';
import { expectNoCallLeft, expectNoTransactionLeft, phoneDevices, waitUntil } from '../support/leftovers.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestPhone, type PhoneCall } from '../support/test-phone.js';

// Transfers between phones that hold several calls at once, which SIPp cannot play: Strowger's own
// test phone (its SIP stack, scripted) on three lines.
const config = `
settings: { sipRealm: strowger, conferenceNumber: '3900' }
lines:
  - { dn: '3001' }
  - { dn: '3002', maxCalls: 4, busyTrigger: 4 }
  - { dn: '3003' }
devices:
${phoneDevices(['3001', '3002', '3003'])}
`;

let server: TestServer;
const records: CallRecord[] = [];
let phones: TestPhone[] = [];

beforeAll(async () => {
  server = await startTestServer({
    config,
    sipTimers: { t1: 100, t2: 400, t4: 500, d: 3200 },
    callRecords: { write: (record) => records.push(record) },
  });
}, 60_000);

afterAll(async () => {
  await expectNoTransactionLeft(server);
  await server?.stop();
}, 20_000);

afterEach(async () => {
  await expectNoCallLeft(server);
  await Promise.all(phones.map((phone) => phone.close()));
  phones = [];
});

async function phone(dn: string): Promise<TestPhone> {
  const started = await TestPhone.start({ dn, password: `pw-${dn}`, serverPort: server.sipPort });
  phones.push(started);
  return started;
}

/** The call a phone was given most recently (it answers at once). */
async function answeredOn(p: TestPhone, count: number): Promise<PhoneCall> {
  expect(await waitUntil(() => p.calls.length >= count), `${p.dn} was never called`).toBe(true);
  return p.calls[count - 1]!;
}

/** Whose media a description points at: the test phones put theirs at port 40000 + 2 × their number. */
function mediaOf(sdp: string | undefined): string | undefined {
  const port = Number(sdp?.match(/^m=audio (\d+)/m)?.[1]);
  return Number.isNaN(port) ? undefined : String((port - 40000) / 2);
}

function origin(sdp: string | undefined): string | undefined {
  return sdp?.match(/^o=(.*)$/m)?.[1]?.trim();
}

/** Listens where a test phone says its audio goes (port 40000 + 2 × its number) and keeps the RTP. */
async function mediaPortOf(
  dn: string,
): Promise<{ packets: RtpPacket[]; send: (port: number, level: number) => void; close: () => void }> {
  const socket = createSocket('udp4');
  let sequence = 0;
  const packets: RtpPacket[] = [];
  socket.on('message', (data) => {
    const packet = decodeRtp(data);
    if (packet !== undefined) packets.push({ ...packet, payload: Uint8Array.from(packet.payload) });
  });
  await new Promise<void>((done) => socket.bind(40000 + Number(dn) * 2, '127.0.0.1', done));
  return {
    packets,
    // One 20 ms PCMU frame at a steady level, as a phone's microphone would send it.
    send: (port, level) => {
      sequence += 1;
      const payload = encodeG711('pcmu', new Int16Array(160).fill(level));
      socket.send(
        encodeRtp({ payloadType: 0, sequence, timestamp: sequence * 160, ssrc: Number(dn), marker: false, payload }),
        port,
        '127.0.0.1',
      );
    },
    close: () => socket.close(),
  };
}

function audioPort(sdp: string | undefined): number {
  return Number(sdp?.match(/^m=audio (\d+)/m)?.[1]);
}

/**
 * Plays the two outer phones of a conference into their bridge ports — A steadily at 2000, C at
 * 3000, B silent — until `stop()`. `level` reads the loudest of the last five frames a phone got.
 */
function speak(
  ports: ReadonlyArray<{ send: (port: number, level: number) => void }>,
  bridgePorts: readonly number[],
): () => void {
  const timer = setInterval(() => {
    ports[0]!.send(bridgePorts[0]!, 2000);
    ports[2]!.send(bridgePorts[2]!, 3000);
  }, 20);
  return () => clearInterval(timer);
}

function level(packets: readonly RtpPacket[]): number {
  return Math.max(...packets.slice(-5).map((p) => decodeG711('pcmu', p.payload)[80]!));
}

describe('music on hold', () => {
  it('the held phone is re-INVITEd to the server and gets looped G.711 RTP until the holder resumes', async () => {
    const [a, b] = [await phone('3001'), await phone('3002')];
    const media = await mediaPortOf('3002');
    try {
      const call = await a.call('3002');
      const bCall = await answeredOn(b, 1);
      expect((await call.hold()).status).toBe(200);
      // B's re-INVITE points it at the server's RTP, sending only; A's answer receives only.
      expect(bCall.reinvites.at(-1)).toMatch(/a=sendonly/);
      expect(bCall.reinvites.at(-1)).toMatch(/m=audio \d+ RTP\/AVP 0 8/);
      expect(call.remoteSdp).toMatch(/a=recvonly/);
      expect(await waitUntil(() => media.packets.length >= 10)).toBe(true);
      const [first, second] = media.packets;
      expect(first?.payloadType).toBe(0);
      expect(first?.payload.length).toBe(160);
      expect(second!.timestamp - first!.timestamp).toBe(160);
      expect(server.strowger.media.openEndpoints).toBe(1);

      expect((await call.resume()).status).toBe(200);
      expect(mediaOf(bCall.reinvites.at(-1))).toBe('3001');
      expect(server.strowger.media.openEndpoints).toBe(0);
      const sent = media.packets.length;
      await new Promise((done) => setTimeout(done, 100));
      expect(media.packets.length - sent).toBeLessThanOrEqual(1);
      expect((await call.hangUp()).status).toBe(200);
    } finally {
      media.close();
    }
  });
});

describe('conference', () => {
  it('three phones talk through the server bridge: each hears the sum of the other two', async () => {
    const [a, b, c] = [await phone('3001'), await phone('3002'), await phone('3003')];
    const ports = [await mediaPortOf('3001'), await mediaPortOf('3002'), await mediaPortOf('3003')];
    let stop: () => void = () => undefined;
    try {
      const first = await a.call('3002');
      const bFirst = await answeredOn(b, 1);
      await bFirst.hold();
      const consult = await b.call('3003');
      const cCall = await answeredOn(c, 1);
      const legOf = (index: number) =>
        server.strowger.engine.listCalls()[index]?.connections.find((conn) => conn.address === '3002')
          ?.terminalConnections[0]?.id ?? '';
      await server.strowger.engine.conference(legOf(0), legOf(1));
      expect(server.strowger.engine.listCalls()).toHaveLength(1);
      expect(server.strowger.media.openEndpoints).toBe(3);
      // B's consultation call is ended by the server; each phone was re-INVITEd to its own bridge port.
      expect(await waitUntil(() => consult.ended)).toBe(true);
      const bridgePorts = [first.reinvites.at(-1), bFirst.reinvites.at(-1), cCall.reinvites.at(-1)].map(audioPort);
      expect(new Set(bridgePorts).size).toBe(3);

      stop = speak(ports, bridgePorts);
      await new Promise((done) => setTimeout(done, 500));
      expect(level(ports[1]!.packets)).toBeGreaterThan(4700);
      expect(level(ports[0]!.packets)).toBeGreaterThan(2800);
      expect(level(ports[0]!.packets)).toBeLessThan(3300);
      expect(level(ports[2]!.packets)).toBeGreaterThan(1800);
      expect(level(ports[2]!.packets)).toBeLessThan(2300);

      // C holds and resumes: the bridge answers both itself, and C is mixed again afterwards.
      expect((await cCall.hold()).status).toBe(200);
      expect(cCall.remoteSdp).toMatch(/a=recvonly/);
      expect((await cCall.resume()).status).toBe(200);
      expect(audioPort(cCall.remoteSdp)).toBe(bridgePorts[2]);
      const before = ports[1]!.packets.length;
      await new Promise((done) => setTimeout(done, 300));
      expect(ports[1]!.packets.length).toBeGreaterThan(before + 5);
      expect(level(ports[1]!.packets)).toBeGreaterThan(4700);

      // A leaves; B and C stay; C leaves and the call ends for B.
      await first.hangUp();
      expect(server.strowger.engine.callCount).toBe(1);
      await cCall.hangUp();
      expect(await waitUntil(() => bFirst.ended)).toBe(true);
    } finally {
      stop();
      for (const port of ports) port.close();
    }
  });
});

describe('races', () => {
  it("a BYE crossing a re-INVITE: the hold's re-INVITE gets 487, both dialogs end, no transaction is left", async () => {
    const [a, b] = [await phone('3001'), await phone('3002')];
    const call = await a.call('3002');
    const bCall = await answeredOn(b, 1);
    a.holdReinvites = true;
    const hold = bCall.hold(); // B's re-INVITE; the server re-INVITEs A, which does not answer yet
    expect(await waitUntil(() => call.pendingReinvites.length === 1)).toBe(true);
    expect((await call.hangUp()).status).toBe(200); // A hangs up instead, answering the re-INVITE 487
    expect((await hold).status).toBe(487);
    expect(await waitUntil(() => bCall.ended)).toBe(true);
    expect(server.strowger.engine.callCount).toBe(0);
  });
});

describe('glare', () => {
  it("a re-INVITE refused with 491 (it crossed the phone's own) is sent once more after the RFC 3261 wait", async () => {
    const [a, b] = [await phone('3001'), await phone('3002')];
    const call = await a.call('3002');
    const bCall = await answeredOn(b, 1);
    b.glares = 1;
    // A holds: the server's re-INVITE to B (music on hold) meets a 491, waits 2.1–4 s (it called B), retries.
    expect((await call.hold()).status).toBe(200);
    expect(b.reinviteTimes).toHaveLength(2);
    const waited = b.reinviteTimes[1]! - b.reinviteTimes[0]!;
    expect(waited).toBeGreaterThanOrEqual(2000);
    expect(waited).toBeLessThan(4500);
    expect(bCall.reinvites.at(-1)).toMatch(/a=sendonly/);
    expect((await call.hangUp()).status).toBe(200);
  }, 15_000);
});

describe('conference started by a phone', () => {
  it('B calls the conference number, then REFERs its calls with A and C to the focus: all three are bridged', async () => {
    const [a, b, c] = [await phone('3001'), await phone('3002'), await phone('3003')];
    const ports = [await mediaPortOf('3001'), await mediaPortOf('3002'), await mediaPortOf('3003')];
    let stop: () => void = () => undefined;
    try {
      const fromA = await a.call('3002');
      const bWithA = await answeredOn(b, 1);
      const fromC = await c.call('3002');
      const bWithC = await answeredOn(b, 2);
      const focus = await b.call('3900');
      expect(focus.contact).toMatch(/;isfocus/);
      for (const other of [bWithA, bWithC]) {
        expect((await focus.refer(other)).status).toBe(202);
      }
      expect(await waitUntil(() => focus.notifies.length === 4)).toBe(true);
      // Two subscriptions, one per REFER; their NOTIFYs may interleave.
      expect([...focus.notifies].sort()).toEqual([
        'SIP/2.0 100 Trying',
        'SIP/2.0 100 Trying',
        'SIP/2.0 200 OK',
        'SIP/2.0 200 OK',
      ]);
      // B's own calls with A and C are ended by the server; A and C were re-INVITEd to the bridge.
      expect(await waitUntil(() => bWithA.ended && bWithC.ended)).toBe(true);
      expect(server.strowger.engine.listCalls()).toHaveLength(1);
      expect(server.strowger.media.openEndpoints).toBe(3);
      const bridgePorts = [fromA.reinvites.at(-1), focus.remoteSdp, fromC.reinvites.at(-1)].map(audioPort);
      stop = speak(ports, bridgePorts);
      await new Promise((done) => setTimeout(done, 500));
      expect(level(ports[1]!.packets)).toBeGreaterThan(4700);
      await focus.hangUp();
      await fromA.hangUp();
      expect(await waitUntil(() => fromC.ended)).toBe(true);
    } finally {
      stop();
      for (const port of ports) port.close();
    }
  });
});

describe('mid-call information', () => {
  it("a phone's INFO (DTMF relay) reaches the other phone, and the other phone's answer comes back", async () => {
    const [a, b] = [await phone('3001'), await phone('3002')];
    const call = await a.call('3002');
    const bCall = await answeredOn(b, 1);
    const dtmf = await a.send(
      call.dialog,
      'INFO',
      [{ name: 'Content-Type', value: 'application/dtmf-relay' }],
      'Signal=5\r\nDuration=160\r\n',
    );
    expect(dtmf.status).toBe(200);
    expect(bCall.infos).toEqual(['application/dtmf-relay\nSignal=5\r\nDuration=160\r\n']);
    expect((await call.hangUp()).status).toBe(200);
  });
});

describe('offer and answer', () => {
  it("a caller's INVITE without SDP (delayed offer): the callee's offer reaches it in the 200, its answer the callee in the ACK", async () => {
    const [a, b] = [await phone('3001'), await phone('3002')];
    const call = await a.call('3002', { offer: false });
    const bCall = await answeredOn(b, 1);
    expect(mediaOf(call.remoteSdp)).toBe('3002');
    expect(await waitUntil(() => bCall.acks[0] !== undefined)).toBe(true);
    expect(mediaOf(bCall.acks[0])).toBe('3001');
    expect(bCall.offersMade).toHaveLength(1);
    expect((await call.hangUp()).status).toBe(200);
    expect(await waitUntil(() => bCall.ended)).toBe(true);
  });
});

describe('transfer between test phones', () => {
  it('attended transfer: B holds A, consults C, and REFERs A with Replaces; A and C then talk', async () => {
    const [a, b, c] = [await phone('3001'), await phone('3002'), await phone('3003')];
    const first = await a.call('3002');
    const bFirst = await answeredOn(b, 1);
    expect((await bFirst.hold()).status).toBe(200);
    const consult = await b.call('3003');
    const cCall = await answeredOn(c, 1);
    expect(server.strowger.engine.callCount).toBe(2);

    const referred = await bFirst.refer(consult);
    expect(referred.status).toBe(202);
    expect(await waitUntil(() => bFirst.notifies.length === 2)).toBe(true);
    expect(bFirst.notifies).toEqual(['SIP/2.0 100 Trying', 'SIP/2.0 200 OK']);

    // C is asked for an offer (re-INVITE without SDP); A gets it in a re-INVITE; C gets A's answer in the ACK.
    expect(await waitUntil(() => cCall.acks.length === 2)).toBe(true);
    expect(cCall.reinvites).toEqual([undefined]);
    expect(mediaOf(first.remoteSdp)).toBe('3003');
    expect(mediaOf(cCall.acks[1])).toBe('3001');
    // A still sees one session (B's origin, one version up), whoever it now talks to (RFC 3264 §8).
    const [firstOrigin] = first.reinvites.length > 0 ? [origin(first.reinvites.at(-1))] : [];
    expect(firstOrigin).toMatch(/^phone3002 1000 \d+ IN IP4 127\.0\.0\.1$/);

    // B hangs up both calls as a phone does after a transfer; the server does not wait for it.
    await bFirst.hangUp();
    await waitUntil(() => consult.ended, 2000);
    if (!consult.ended) await consult.hangUp();

    const calls = server.strowger.engine.listCalls();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.connections.filter((conn) => conn.state === 'ESTABLISHED').map((conn) => conn.address)).toEqual([
      '3001',
      '3003',
    ]);
    expect((await first.hangUp()).status).toBe(200);
    expect(await waitUntil(() => cCall.ended)).toBe(true);
    expect(records.slice(-3).map((r) => `${r.callingNumber}→${r.finalCalledNumber} ${r.cause.reason}`)).toEqual([
      '3001→3002 transferred',
      '3002→3003 transferred',
      '3001→3003 normal',
    ]);
  });

  it('blind transfer from the caller: A REFERs B to C, and B talks to C', async () => {
    const [a, b, c] = [await phone('3001'), await phone('3002'), await phone('3003')];
    const call = await a.call('3002');
    const bCall = await answeredOn(b, 1);
    expect((await call.refer('3003')).status).toBe(202);
    expect(await waitUntil(() => call.notifies.length === 2)).toBe(true);
    expect(call.notifies.at(-1)).toBe('SIP/2.0 200 OK');
    const cCall = await answeredOn(c, 1);
    expect(await waitUntil(() => cCall.acks.length === 1 && cCall.acks[0] !== undefined)).toBe(true);
    expect(mediaOf(bCall.remoteSdp)).toBe('3003');
    expect(mediaOf(cCall.acks[0])).toBe('3002');
    expect(origin(bCall.remoteSdp)).toMatch(/^phone3001 /);
    // A does not hang up: the server ends its dialog after a short wait.
    expect(await waitUntil(() => call.ended, 3000)).toBe(true);
    expect((await cCall.hangUp()).status).toBe(200);
    expect(await waitUntil(() => bCall.ended)).toBe(true);
  });

  it('a REFER without exactly one Refer-To gets 400; with "Refer-Sub: false" it gets 202 and no NOTIFY (RFC 4488)', async () => {
    const [a, b, c] = [await phone('3001'), await phone('3002'), await phone('3003')];
    const call = await a.call('3002');
    const bCall = await answeredOn(b, 1);
    const none = await a.send(call.dialog, 'REFER', []);
    expect(none.status).toBe(400);
    expect(none.reason).toMatch(/exactly one Refer-To/);
    const two = await a.send(call.dialog, 'REFER', [
      { name: 'Refer-To', value: '<sip:3003@127.0.0.1>' },
      { name: 'Refer-To', value: '<sip:3001@127.0.0.1>' },
    ]);
    expect(two.status).toBe(400);
    const quiet = await a.send(call.dialog, 'REFER', [
      { name: 'Refer-To', value: '<sip:3003@127.0.0.1>' },
      { name: 'Refer-Sub', value: 'false' },
    ]);
    expect(quiet.status).toBe(202);
    expect(quiet.getHeader('Refer-Sub')).toBe('false');
    const cCall = await answeredOn(c, 1);
    expect(await waitUntil(() => call.ended, 3000)).toBe(true);
    expect(call.notifies).toEqual([]);
    expect(mediaOf(bCall.remoteSdp)).toBe('3003');
    await cCall.hangUp();
    expect(await waitUntil(() => bCall.ended)).toBe(true);
  });

  it('a REFER whose Replaces names no call of the phone is refused with NOTIFY 481, and the call goes on', async () => {
    const [a] = [await phone('3001'), await phone('3002')];
    const call = await a.call('3002');
    const fake = {
      phone: a,
      dialog: { id: { callId: 'nope', localTag: 'x', remoteTag: 'y' } },
    } as unknown as PhoneCall;
    expect((await call.refer(fake)).status).toBe(202);
    expect(await waitUntil(() => call.notifies.length === 2)).toBe(true);
    expect(call.notifies.at(-1)).toBe('SIP/2.0 481 Call/Transaction Does Not Exist');
    expect(server.strowger.engine.callCount).toBe(1);
    expect((await call.hangUp()).status).toBe(200);
  });
});
