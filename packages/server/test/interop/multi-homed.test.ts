import { createSocket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TransportProtocol } from '../../src/sip/index.js';
import { expectNoCallLeft, phoneDevices, waitUntil } from '../support/leftovers.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestPhone, type PhoneCall } from '../support/test-phone.js';

// A server bound to every interface is reached by phones on different networks: each must be told
// the address it reached, in SIP (Via, Contact, From/To) and in the SDP of media the server plays.
// Here the two networks are loopback and the machine's first external IPv4 address. The numbers
// (and so the test phones' media ports, 40000 + 2 × number) are this file's own.
const external = Object.values(networkInterfaces())
  .flat()
  .find((address) => address?.family === 'IPv4' && !address.internal)?.address;

const config = `
settings: { sipRealm: strowger, conferenceNumber: '5900' }
lines:
${['5001', '5002', '5003', '5004'].map((dn) => `  - { dn: '${dn}' }`).join('\n')}
devices:
${phoneDevices(['5001', '5002', '5003', '5004'])}
`;

let server: TestServer;
let phones: TestPhone[] = [];

beforeAll(async () => {
  server = await startTestServer({ config, bind: '0.0.0.0', sipTimers: { t1: 100, t2: 400, t4: 500, d: 3200 } });
}, 60_000);

afterAll(async () => {
  await server?.stop();
}, 20_000);

afterEach(async () => {
  await expectNoCallLeft(server);
  await Promise.all(phones.map((phone) => phone.close()));
  phones = [];
});

async function phone(dn: string, host: string, protocol: TransportProtocol): Promise<TestPhone> {
  const started = await TestPhone.start({ dn, password: `pw-${dn}`, serverPort: server.sipPort, host, protocol });
  phones.push(started);
  return started;
}

/** The host of a name-address or URI header value ("<sip:user@host:port;…>"). */
function hostOf(value: string | undefined): string | undefined {
  return value?.match(/sips?:(?:[^@>;]*@)?(\[[^\]]+\]|[^:;>]+)/)?.[1];
}

/** The sent-by host of a Via value ("SIP/2.0/UDP host:port;…"). */
function viaHost(value: string | undefined): string | undefined {
  return value?.match(/^SIP\/2\.0\/\S+\s+([^:;\s]+)/)?.[1];
}

function connectionAddress(sdp: string | undefined): string | undefined {
  return sdp?.match(/^c=IN IP4 (\S+)/m)?.[1];
}

/** Listens where a test phone says its media is (port 40000 + 2 × its number) and counts RTP packets. */
async function mediaPortOf(dn: string, host: string): Promise<{ packets: () => number; close: () => void }> {
  const socket = createSocket('udp4');
  let packets = 0;
  socket.on('message', () => (packets += 1));
  await new Promise<void>((done) => socket.bind(40000 + Number(dn) * 2, host, done));
  return { packets: () => packets, close: () => socket.close() };
}

async function answeredOn(p: TestPhone): Promise<PhoneCall> {
  expect(await waitUntil(() => p.calls.length >= 1), `${p.dn} was never called`).toBe(true);
  return p.calls[0]!;
}

describe.skipIf(external === undefined)('a server bound to 0.0.0.0 on a machine with two networks', () => {
  const reached = { loopback: '127.0.0.1', external: external ?? '' };

  for (const protocol of ['udp', 'tcp'] as const) {
    it(`over ${protocol.toUpperCase()}: each phone is called and answered, and hears music, at the address it reached`, async () => {
      const [a, b] = protocol === 'udp' ? ['5001', '5002'] : ['5003', '5004'];
      const inside = await phone(a, reached.loopback, protocol);
      const outside = await phone(b, reached.external, protocol);
      const media = await mediaPortOf(a, reached.loopback);
      try {
        const call = await inside.call(b);
        const answered = await answeredOn(outside);

        // The INVITE to the phone on the external network names the server by that network's address.
        const invite = answered.invite;
        expect(viaHost(invite?.getHeaders('Via')[0])).toBe(reached.external);
        expect(hostOf(invite?.getHeader('Contact'))).toBe(reached.external);
        expect(hostOf(invite?.getHeader('From'))).toBe(reached.external);
        expect(hostOf(invite?.getHeader('To'))).toBe(reached.external);
        // The 200 to the loopback phone's INVITE gives it the loopback address to send to.
        expect(hostOf(call.contact)).toBe(reached.loopback);

        // The external phone holds: the loopback phone is re-INVITEd to music on hold at 127.0.0.1,
        // and the holder's answer points at the external address; the music reaches the phone.
        expect((await answered.hold()).status).toBe(200);
        expect(connectionAddress(call.reinvites.at(-1))).toBe(reached.loopback);
        expect(connectionAddress(answered.remoteSdp)).toBe(reached.external);
        expect(await waitUntil(() => media.packets() >= 5)).toBe(true);
        expect((await answered.resume()).status).toBe(200);
        expect((await call.hangUp()).status).toBe(200);
        expect(await waitUntil(() => answered.ended)).toBe(true);

        // The other way round: the loopback phone is called, and is told loopback throughout.
        const back = await outside.call(a);
        const inbound = inside.calls.at(-1);
        expect(viaHost(inbound?.invite?.getHeaders('Via')[0])).toBe(reached.loopback);
        expect(hostOf(inbound?.invite?.getHeader('Contact'))).toBe(reached.loopback);
        expect(hostOf(inbound?.invite?.getHeader('From'))).toBe(reached.loopback);
        expect(hostOf(back.contact)).toBe(reached.external);
        expect((await back.hangUp()).status).toBe(200);
      } finally {
        media.close();
      }
    });
  }

  it('a conference bridge answers each caller at the address it reached', async () => {
    const inside = await phone('5001', reached.loopback, 'udp');
    const outside = await phone('5002', reached.external, 'udp');
    const first = await inside.call('5900');
    expect(connectionAddress(first.remoteSdp)).toBe(reached.loopback);
    expect((await first.hangUp()).status).toBe(200);
    const second = await outside.call('5900');
    expect(connectionAddress(second.remoteSdp)).toBe(reached.external);
    expect((await second.hangUp()).status).toBe(200);
  });
});
