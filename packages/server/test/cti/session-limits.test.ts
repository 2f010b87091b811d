import { readFileSync } from 'node:fs';
import type { Event } from '@strowger/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { CtiServer, ProviderService, type SessionLimits } from '../../src/cti/index.js';
import { FakeClock, LoginThrottle, TypedEmitter, silentLogger } from '../../src/core/index.js';
import { hashPassword, type ConfigSnapshot } from '../../src/store/index.js';
import type { SwitchEvents, TerminalSnapshot } from '../../src/switch/index.js';
import { waitUntil } from '../support/leftovers.js';
import { WireClient } from './wire-client.js';

/**
 * The session's own machinery — keep-alive and the bounded outbound queue — against a CTI server on
 * an engine stand-in and a fake clock, so time is driven by the test and never waited for.
 */
async function start(limits: Partial<SessionLimits> = {}, tls?: { cert: string; key: string }) {
  const clock = new FakeClock();
  const events = new TypedEmitter<SwitchEvents>();
  const device = { inService: false };
  const snapshot: ConfigSnapshot = {
    version: 1,
    settings: { sipRealm: 'strowger', voicemailPilot: undefined, conferenceNumber: undefined },
    devices: [
      {
        name: 'SEP1',
        type: 'sip-phone',
        description: undefined,
        allowCtiControl: true,
        lines: ['1001'],
        sip: undefined,
      },
    ],
    lines: [],
    voicemailProfiles: [],
    lineGroups: [],
    huntLists: [],
    huntPilots: [],
    deviceProfiles: [],
    endUsers: [],
    applicationUsers: [
      {
        userId: 'app',
        passwordHash: await hashPassword('app-pw'),
        devices: ['SEP1'],
        groups: ['Standard CTI Enabled'],
      },
    ],
    groups: [{ name: 'Standard CTI Enabled', builtIn: true, description: 'CTI' }],
  };
  const engine = {
    events,
    snapshotDevice: (name: string): TerminalSnapshot | undefined =>
      name === 'SEP1'
        ? {
            engineSeq: 0,
            name,
            type: 'sip-phone',
            inService: device.inService,
            restricted: false,
            lines: ['1001'],
            calls: [],
          }
        : undefined,
    snapshotLine: () => undefined,
    snapshotCall: () => undefined,
  };
  const providers = new ProviderService({
    clock,
    logger: silentLogger,
    engine,
    configuration: snapshot,
    loginThrottle: new LoginThrottle({ clock, service: 'cti' }),
    graceMs: 60_000,
    ringSize: 100,
  });
  const server = await CtiServer.start({
    host: '127.0.0.1',
    port: 0,
    clock,
    logger: silentLogger,
    providers,
    serverName: 'Strowger/test',
    limits,
    ...(tls === undefined ? {} : { tls }),
  });
  const flip = (): void => {
    device.inService = !device.inService;
    events.emit('device', {
      type: device.inService ? 'terminal.inService' : 'terminal.outOfService',
      terminal: 'SEP1',
      engineSeq: 1,
      at: clock.now(),
    });
  };
  running.push({ server, providers });
  return { clock, server, flip, url: `${server.address.protocol}://127.0.0.1:${server.address.port}` };
}

const running: Array<{ server: CtiServer; providers: ProviderService }> = [];
const clients: WireClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  for (const { server, providers } of running.splice(0)) {
    await server.close();
    providers.close();
  }
});

async function connect(url: string): Promise<WireClient> {
  const client = await WireClient.connect(url);
  clients.push(client);
  return client;
}

describe('CTI request rate', () => {
  it('a flood of requests MUST be answered RATE_LIMITED with retryAfterMs, never dropped', async () => {
    // The session's clock stands still, so the bucket is exactly its burst (twice the rate per second).
    const { url } = await start({ requestsPerSecond: 50 });
    const client = await connect(url);
    await client.request('hello', { protocols: [1] });
    const ids = Array.from({ length: 300 }, (_, index) => 1000 + index);
    for (const id of ids)
      client.send({ kind: 'request', id, method: 'provider.snapshot', params: { providerId: 'p-x' } });
    // Refusals are answered at once, accepted requests when they are done: the last id can come first.
    const answered = () => client.frames.filter((f) => f.kind === 'response' && f.id >= 1000);
    await client.waitFor(() => answered().length === ids.length);
    const responses = answered();
    expect(responses).toHaveLength(300);
    const limited = responses.filter((f) => f.error?.code === 'RATE_LIMITED');
    // hello took one token of the hundred.
    expect(limited).toHaveLength(201);
    expect(limited[0].error.details.retryAfterMs).toBeGreaterThan(0);
    expect(client.closed).toBeUndefined();
  });
});

describe('CTI keep-alive', () => {
  it('the server MUST ping after one silent interval and close a peer silent for two (1001 keep-alive timeout)', async () => {
    const { clock, url } = await start();
    const client = await connect(url);
    const hello = await client.request('hello', { protocols: [1], keepAliveSeconds: 10 });
    expect(hello.result.keepAliveSeconds).toBe(10);
    clock.advance(10_000);
    await client.waitFor((frame) => frame.kind === 'ping');
    expect(client.closed).toBeUndefined();
    clock.advance(10_000);
    expect(await client.waitClosed()).toEqual({ code: 1001, reason: 'keep-alive timeout' });
  });

  it('a peer that answers MUST stay connected; the interval is clamped to the server range', async () => {
    const { clock, server, url } = await start();
    const client = await connect(url);
    const hello = await client.request('hello', { protocols: [1], keepAliveSeconds: 1 });
    expect(hello.result.keepAliveSeconds).toBe(5);
    for (let round = 0; round < 4; round += 1) {
      clock.advance(5_000);
      const ping = await client.waitFor((frame) => frame.kind === 'ping' && frame.nonce === round + 1);
      client.send({ kind: 'pong', nonce: ping.nonce });
      // A request's answer proves the server has read the pong before time moves on.
      await client.request('provider.snapshot', { providerId: `p-${round}` });
    }
    expect(client.closed).toBeUndefined();
    expect(server.sessionCount).toBe(1);
  });
});

describe('CTI over TLS', () => {
  it('with a certificate and key the CTI port MUST speak wss', async () => {
    // A self-signed certificate for localhost, made once for the tests (valid for a century).
    const tls = {
      cert: readFileSync(new URL('testdata/localhost-cert.pem', import.meta.url), 'utf8'),
      key: readFileSync(new URL('testdata/localhost-key.pem', import.meta.url), 'utf8'),
    };
    const { url, server } = await start({}, tls);
    expect(server.address.protocol).toBe('wss');
    expect(url.startsWith('wss://')).toBe(true);
    const client = await WireClient.connect(url, { rejectUnauthorized: false });
    clients.push(client);
    expect((await client.request('hello', { protocols: [1] })).result.protocol).toBe(1);
  });
});

describe('CTI slow consumers', () => {
  it("a provider's events of one event-loop turn MUST travel in one frame, in order", async () => {
    const { flip, url } = await start();
    const client = await connect(url);
    await client.request('hello', { protocols: [1] });
    const opened = (await client.request('provider.open', { user: 'app', password: 'app-pw' })).result;
    const providerId: string = opened.providerId;
    await client.waitForEvent(providerId, (event) => event.seq === 1);
    for (let i = 0; i < 10; i += 1) flip();
    await client.waitForEvent(providerId, (event) => event.seq === 11);
    const burst = client.frames.filter(
      (frame) => frame.kind === 'events' && frame.providerId === providerId && frame.events[0].seq > 1,
    );
    expect(burst).toHaveLength(1);
    expect((burst[0].events as Event[]).map((event) => event.seq)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(client.invalid).toEqual([]);
  });

  it('a consumer that falls behind MUST get a resync frame with the snapshot, then events after its seq, never a silent gap', async () => {
    const { flip, url, server } = await start({ maxQueuedBytes: 1, maxQueuedFrames: 1 });
    const client = await connect(url);
    await client.request('hello', { protocols: [1] });
    const opened = (await client.request('provider.open', { user: 'app', password: 'app-pw' })).result;
    const providerId: string = opened.providerId;
    await client.waitForEvent(providerId, (event) => event.seq === 1);
    // The application stops reading. Its socket's buffers fill (some megabytes on loopback), writes
    // stop completing, and from then on the server has to drop this provider's events.
    client.socket.pause();
    const rounds = 100;
    const perRound = 2_000;
    for (let round = 0; round < rounds; round += 1) {
      for (let i = 0; i < perRound; i += 1) flip();
      await new Promise((resolve) => setImmediate(resolve));
    }
    const last = rounds * perRound + 1;
    client.socket.resume();
    const resync = await client.waitFor((frame) => frame.kind === 'resync' && frame.snapshot.seq === last, 20_000);
    expect(resync).toMatchObject({ providerId, reason: 'slow-consumer', snapshot: { providerId } });
    // An even number of flips from out of service: the device is where it started.
    expect(resync.snapshot.terminals[0].inService).toBe(false);
    flip();
    await client.waitForEvent(providerId, (event) => event.seq === last + 1);
    let next = 1;
    for (const frame of client.frames) {
      if (frame.kind === 'events') {
        for (const event of frame.events as Event[]) expect(event.seq).toBe(next++);
      } else if (frame.kind === 'resync') {
        expect(frame.dropped).toBe(frame.snapshot.seq - next + 1);
        next = frame.snapshot.seq + 1;
      }
    }
    expect(next).toBe(last + 2);
    expect(client.events(providerId).at(-1)?.type).toBe('CiscoTermInServiceEv');
    expect(client.closed).toBeUndefined();
    await waitUntil(() => server.sessionCount === 1);
  });
});
