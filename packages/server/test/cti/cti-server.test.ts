import type { Event } from '@strowger/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigFile } from '../../src/store/index.js';
import { expectNoCallLeft, waitUntil } from '../support/leftovers.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestPhone } from '../support/test-phone.js';
import { WireClient, type Frame } from './wire-client.js';

const phone = (dn: string, extra = '') =>
  `  - { name: SEP00000000${dn}, type: sip-phone, lines: ['${dn}'], sip: { username: '${dn}', password: 'pw-${dn}' }${extra} }`;

function config(options: { aliceDevices: string[]; device1003Allowed: boolean }): string {
  return `
settings: { sipRealm: strowger }
lines:
  - { dn: '1001' }
  - { dn: '1002' }
  - { dn: '1003' }
  - { dn: '1004', allowCtiControl: false }
devices:
${phone('1001')}
${phone('1002')}
${phone('1003', `, allowCtiControl: ${options.device1003Allowed}`)}
${phone('1004')}
endUsers:
  - { userId: alice, password: alice-pw, devices: [${options.aliceDevices.join(', ')}], groups: ['Standard CTI Enabled'] }
  - { userId: bob, password: bob-pw, devices: [SEP000000001002], groups: [] }
applicationUsers:
  - userId: monitor
    password: monitor-pw
    devices: [SEP000000001002]
    groups: ['Standard CTI Enabled', 'Standard CTI Allow Control of All Devices']
`;
}

const initial = config({
  aliceDevices: ['SEP000000001001', 'SEP000000001003', 'SEP000000001004'],
  device1003Allowed: false,
});

let server: TestServer;
let url: string;
const clients: WireClient[] = [];

beforeAll(async () => {
  server = await startTestServer({
    config: initial,
    sipTimers: { t1: 100, t2: 400, t4: 500, d: 3200 },
    cti: {
      limits: { maxPendingRequests: 4, requestsPerSecond: 50 },
      loginThrottle: { thresholds: { user: 3, source: 3, pair: 3 }, firstLockoutMs: 30_000 },
    },
  });
  url = `ws://127.0.0.1:${server.strowger.addresses.cti.port}`;
}, 180_000);

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  for (const client of clients) expect(client.invalid, 'frames that do not match the protocol schema').toEqual([]);
  await server?.stop();
}, 20_000);

async function connect(): Promise<WireClient> {
  const client = await WireClient.connect(url);
  clients.push(client);
  return client;
}

async function session(): Promise<WireClient> {
  const client = await connect();
  await client.hello();
  return client;
}

function expectContiguous(events: Event[], from: number): void {
  expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => from + index));
}

describe('CTI handshake', () => {
  it('hello MUST agree version 1 and state the keep-alive and the limits', async () => {
    const client = await connect();
    const result = await client.hello();
    expect(result).toMatchObject({
      protocol: 1,
      server: expect.stringMatching(/^Strowger\//),
      sessionId: expect.stringMatching(/^s-/),
      keepAliveSeconds: 30,
      limits: { maxFrameBytes: 65_536, maxPendingRequests: 4, requestsPerSecond: 50 },
    });
  });

  it('a client offering no version the server speaks MUST get UNSUPPORTED_VERSION and then a 1002 close', async () => {
    const client = await connect();
    const response = await client.request('hello', { protocols: [7, 8] });
    expect(response.error).toMatchObject({ code: 'UNSUPPORTED_VERSION', details: { supported: [1] } });
    expect((await client.waitClosed()).code).toBe(1002);
  });

  it('the AsyncAPI document MUST be served over HTTP', async () => {
    const response = await fetch(`${server.httpUrl}/api/v1/cti/asyncapi.json`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ asyncapi: '3.0.0', info: { version: '1' } });
  });
});

describe('CTI bad input: each refusal has its code, and the server and other sessions keep running', () => {
  it('malformed frames, unknown kinds and methods, oversized frames and early requests MUST each be refused', async () => {
    const bystander = await session();
    const client = await connect();

    client.send('{not json');
    expect((await client.waitFor((f) => f.kind === 'error')).error.code).toBe('MALFORMED_FRAME');

    client.send({ kind: 'shout', id: 3 });
    await client.waitFor(
      (f) => f.kind === 'error' && client.frames.filter((g: Frame) => g.kind === 'error').length >= 2,
    );
    expect(client.frames.filter((f) => f.kind === 'error').map((f) => f.error.code)).toEqual([
      'MALFORMED_FRAME',
      'MALFORMED_FRAME',
    ]);

    client.send({ kind: 'request', id: 9, method: 42 });
    expect((await client.waitFor((f) => f.kind === 'response' && f.id === 9)).error.code).toBe('MALFORMED_FRAME');

    expect((await client.request('provider.open', { user: 'alice', password: 'alice-pw' })).error.code).toBe(
      'HANDSHAKE_REQUIRED',
    );

    client.send('x'.repeat(70_000));
    const tooLarge = await client.waitFor((f) => f.kind === 'error' && f.error.code === 'FRAME_TOO_LARGE');
    expect(tooLarge.error.details).toMatchObject({ maxFrameBytes: 65_536 });
    expect(client.closed).toBeUndefined();

    await client.hello();
    const unknown = await client.request('call.teleport', {});
    expect(unknown.error.code).toBe('UNKNOWN_METHOD');
    expect(unknown.error.message).toContain('observer.add');
    expect(
      (await client.request('observer.add', { providerId: 'p-x', target: { kind: 'terminal' } })).error,
    ).toMatchObject({ code: 'INVALID_ARGUMENT', details: { path: '/target' } });
    expect(
      (await client.request('observer.add', { providerId: 'p-x', target: { kind: 'provider' } })).error,
    ).toMatchObject({ code: 'PROVIDER_NOT_OPEN', details: { providerId: 'p-x', cisco: 'PROVIDER_NOT_OPEN' } });

    const ping = await (async () => {
      client.send({ kind: 'ping', nonce: 77 });
      return client.waitFor((f) => f.kind === 'pong');
    })();
    expect(ping.nonce).toBe(77);

    // The other session was never disturbed.
    const opened = await bystander.open('alice', 'alice-pw');
    expect(opened.state).toBe('IN_SERVICE');
    expect(bystander.closed).toBeUndefined();
  });

  it('more unanswered requests than maxPendingRequests MUST be refused TOO_MANY_REQUESTS', async () => {
    const client = await session();
    const ids = Array.from({ length: 10 }, (_, index) => 2000 + index);
    for (const id of ids) {
      client.send({ kind: 'request', id, method: 'provider.open', params: { user: 'alice', password: 'alice-pw' } });
    }
    await client.waitFor((f) => f.kind === 'response' && f.id === ids.at(-1));
    await waitUntil(() => client.frames.filter((f) => f.kind === 'response' && f.id >= 2000).length === 10);
    const codes = client.frames.filter((f) => f.kind === 'response' && f.id >= 2000).map((f) => f.error?.code ?? 'ok');
    expect(codes.filter((code) => code === 'TOO_MANY_REQUESTS').length).toBeGreaterThanOrEqual(6);
    expect(codes.filter((code) => code === 'ok').length).toBeGreaterThanOrEqual(1);
  });
});

describe('CTI provider open and permissions', () => {
  it("an end user's provider MUST hold its controlled devices, list restricted ones as restricted, and say why the rest is excluded", async () => {
    const client = await session();
    const opened = await client.open('alice', 'alice-pw');
    expect(opened).toMatchObject({ state: 'IN_SERVICE', user: { userId: 'alice', kind: 'end-user' }, seq: 0 });
    const terminals = Object.fromEntries(opened.terminals.map((t: Frame) => [t.name, t]));
    expect(terminals.SEP000000001001).toMatchObject({ restricted: false, acquired: false, addresses: ['1001'] });
    expect(terminals.SEP000000001003).toMatchObject({ restricted: true });
    const addresses = Object.fromEntries(opened.addresses.map((a: Frame) => [a.name, a]));
    expect(addresses['1004']).toMatchObject({ restricted: true });
    expect(addresses['1001']).toMatchObject({ restricted: false });
    expect(opened.excluded).toContainEqual(
      expect.objectContaining({ kind: 'terminal', name: 'SEP000000001002', code: 'ACCESS_TO_DEVICE_DENIED' }),
    );
    expect(opened.excluded).toContainEqual(expect.objectContaining({ kind: 'address', name: '1002' }));
    const first = await client.waitForEvent(opened.providerId, (e) => e.type === 'ProvInServiceEv');
    expect(first).toMatchObject({ seq: 1, id: 111 });
  });

  it("an application user's provider MUST hold its controlled devices and state the all-devices capability", async () => {
    const client = await session();
    const opened = await client.open('monitor', 'monitor-pw');
    expect(opened.user).toEqual({ userId: 'monitor', kind: 'application-user' });
    expect(opened.terminals.map((t: Frame) => t.name)).toEqual(['SEP000000001002']);
    expect(opened.capabilities).toMatchObject({ observeAnyTerminal: true, record: false });
  });

  it('a user without "Standard CTI Enabled" MUST be refused LOGIN_NOT_ALLOWED', async () => {
    const client = await session();
    const response = await client.request('provider.open', { user: 'bob', password: 'bob-pw' });
    expect(response.error).toMatchObject({
      code: 'LOGIN_NOT_ALLOWED',
      details: { cisco: 'DIRECTORY_LOGIN_NOT_ALLOWED' },
    });
  });

  it('observing outside the domain, a restricted device or a restricted line MUST fail with the restricted codes', async () => {
    const client = await session();
    const { providerId } = await client.open('alice', 'alice-pw');
    const observe = async (target: object) => (await client.request('observer.add', { providerId, target })).error;
    expect(await observe({ kind: 'terminal', name: 'SEP000000001002' })).toMatchObject({
      code: 'ACCESS_TO_DEVICE_DENIED',
      details: { cisco: 'CTIERR_ACCESS_TO_DEVICE_DENIED' },
    });
    expect((await observe({ kind: 'terminal', name: 'SEP000000001003' })).code).toBe('DEVICE_RESTRICTED');
    expect((await observe({ kind: 'address', name: '1004' })).code).toBe('LINE_RESTRICTED');
    expect((await observe({ kind: 'address', name: '1002' })).code).toBe('ACCESS_TO_DEVICE_DENIED');
    expect(await observe({ kind: 'terminal', name: 'SEP000000001001' })).toBeUndefined();
    expect((await client.request('provider.createTerminal', { providerId, name: 'SEP000000001002' })).error.code).toBe(
      'PRIVILEGE_VIOLATION',
    );
  });

  it('the all-devices role MUST acquire a device by name, and only then observe it; never a restricted one', async () => {
    const client = await session();
    const { providerId } = await client.open('monitor', 'monitor-pw');
    const target = { kind: 'terminal', name: 'SEP000000001001' };
    expect((await client.request('observer.add', { providerId, target })).error.code).toBe('ACCESS_TO_DEVICE_DENIED');
    const created = await client.request('provider.createTerminal', { providerId, name: 'SEP000000001001' });
    expect(created.result).toMatchObject({ name: 'SEP000000001001', acquired: true, restricted: false });
    await client.waitForEvent(providerId, (e) => e.type === 'CiscoTermCreatedEv');
    expect((await client.request('observer.add', { providerId, target })).result.observerId).toMatch(/^o-/);
    expect((await client.request('provider.createTerminal', { providerId, name: 'SEP000000001003' })).error.code).toBe(
      'DEVICE_RESTRICTED',
    );
    expect((await client.request('provider.createTerminal', { providerId, name: 'SEPNOPE' })).error.code).toBe(
      'INVALID_ARGUMENT',
    );
  });

  it('a configuration change MUST reach an open provider as created and activated events, not a reconnect', async () => {
    const client = await session();
    const { providerId } = await client.open('alice', 'alice-pw');
    const changed = config({
      aliceDevices: ['SEP000000001001', 'SEP000000001002', 'SEP000000001003', 'SEP000000001004'],
      device1003Allowed: true,
    });
    try {
      await server.strowger.store.applyConfig(parseConfigFile(changed, 'changed.yaml'), {
        prune: true,
        source: 'changed.yaml',
      });
      await client.waitForEvent(providerId, (e) => e.type === 'CiscoTermActivatedEv');
      const types = client.events(providerId).map((e) => `${e.type} ${'name' in e ? e.name : ''}`.trim());
      expect(types).toContain('CiscoTermActivatedEv SEP000000001003');
      expect(types).toContain('CiscoAddrActivatedEv 1003');
      expect(
        client.events(providerId).some((e) => e.type === 'CiscoTermCreatedEv' && e.terminal.name === 'SEP000000001002'),
      ).toBe(true);
      expect(client.events(providerId).some((e) => e.type === 'CiscoAddrCreatedEv' && e.address.name === '1002')).toBe(
        true,
      );
      expectContiguous(client.events(providerId), 1);
      const observed = await client.request('observer.add', {
        providerId,
        target: { kind: 'terminal', name: 'SEP000000001003' },
      });
      expect(observed.result.observerId).toBeDefined();

      // And back: the device restricted again ends the observation.
      await server.strowger.store.applyConfig(parseConfigFile(initial, 'initial.yaml'), {
        prune: true,
        source: 'initial.yaml',
      });
      await client.waitForEvent(providerId, (e) => e.type === 'CiscoTermRestrictedEv');
      const after = client.events(providerId).map((e) => e.type);
      expect(after).toContain('CiscoTermRemovedEv');
      expect(after).toContain('CiscoTermOutOfServiceEv');
      expect(after).toContain('TermObservationEndedEv');
      expectContiguous(client.events(providerId), 1);
      expect(client.closed).toBeUndefined();
    } finally {
      await server.strowger.store.applyConfig(parseConfigFile(initial, 'initial.yaml'), {
        prune: true,
        source: 'initial.yaml',
      });
    }
  });
});

describe('CTI monitoring with SIP phones', () => {
  let phones: TestPhone[] = [];
  const startPhone = async (dn: string) => {
    const started = await TestPhone.start({ dn, password: `pw-${dn}`, serverPort: server.sipPort });
    phones.push(started);
    return started;
  };
  const stopPhones = async () => {
    await expectNoCallLeft(server);
    await Promise.all(phones.map((p) => p.close()));
    phones = [];
  };

  it('a basic call MUST reach an address observer as JTAPI events with sequence numbers that never skip', async () => {
    const client = await session();
    const { providerId } = await client.open('monitor', 'monitor-pw');
    const added = await client.request('observer.add', { providerId, target: { kind: 'address', name: '1002' } });
    expect(added.result).toMatchObject({ observerId: 'o-1', seq: expect.any(Number) });
    await startPhone('1002');
    await client.waitForEvent(providerId, (e) => e.type === 'CiscoTermInServiceEv' && e.name === 'SEP000000001002');
    const caller = await startPhone('1001');
    const call = await caller.call('1002');
    await client.waitForEvent(providerId, (e) => e.type === 'CallCtlConnEstablishedEv' && e.address === '1002');
    await call.hangUp();
    await client.waitForEvent(providerId, (e) => e.type === 'CallObservationEndedEv');
    const events = client.events(providerId);
    expectContiguous(events, 1);
    const callEvents = events.filter((e) => 'callId' in e);
    const sequence = callEvents.map((e) => `${e.type}${'address' in e ? ` ${e.address}` : ''}`);
    const index = (name: string) => sequence.indexOf(name);
    expect(sequence[0]).toBe('CallActiveEv');
    expect(index('ConnAlertingEv 1002')).toBeGreaterThan(index('ConnCreatedEv 1002'));
    expect(sequence[index('ConnAlertingEv 1002') + 1]).toBe('CallCtlConnAlertingEv 1002');
    expect(index('TermConnRingingEv 1002')).toBeGreaterThan(index('ConnAlertingEv 1002'));
    expect(index('ConnConnectedEv 1002')).toBeGreaterThan(index('TermConnRingingEv 1002'));
    expect(sequence.at(-2)).toBe('CallInvalidEv');
    expect(sequence.at(-1)).toBe('CallObservationEndedEv');
    const alerting = callEvents.find((e) => e.type === 'CallCtlConnAlertingEv');
    expect(alerting).toMatchObject({
      id: 203,
      observerId: 'o-1',
      callingAddress: '1001',
      calledAddress: '1002',
      connectionState: 'ALERTING',
      callControlState: 'ALERTING',
      reason: 1,
      cause: 100,
    });
    await stopPhones();
  });

  it('observing a call in progress MUST give its snapshot (CAUSE_SNAPSHOT, META_SNAPSHOT) after the result', async () => {
    const callee = await startPhone('1002');
    const caller = await startPhone('1001');
    const call = await caller.call('1002');
    expect(callee.calls).toHaveLength(1);
    const client = await session();
    const { providerId } = await client.open('monitor', 'monitor-pw');
    const added = await client.request('observer.add', {
      providerId,
      target: { kind: 'terminal', name: 'SEP000000001002' },
    });
    const snapshot = await client.waitFor(
      (f) => f.kind === 'events' && f.events.some((e: Event) => e.type === 'CallActiveEv'),
    );
    const snapshotEvents = snapshot.events as Event[];
    expect(snapshotEvents[0]?.seq).toBe(added.result.seq + 1);
    expect(snapshotEvents.every((e) => 'cause' in e && e.cause === 110 && 'metaCode' in e && e.metaCode === 135)).toBe(
      true,
    );
    const types = snapshotEvents.map((e) => e.type);
    expect(types).toContain('CallCtlConnEstablishedEv');
    expect(types).toContain('CallCtlTermConnTalkingEv');
    const snap = await client.request('provider.snapshot', { providerId });
    expect(snap.result.calls).toHaveLength(1);
    expect(snap.result.calls[0]).toMatchObject({ state: 'ACTIVE', callingAddress: '1001', calledAddress: '1002' });
    await call.hangUp();
    await client.waitForEvent(providerId, (e) => e.type === 'CallInvalidEv');
    expectContiguous(client.events(providerId), 1);
    await stopPhones();
  });

  it('resume after a cut connection MUST deliver every missed event once: no gap, no duplicate', async () => {
    const first = await session();
    const { providerId } = await first.open('monitor', 'monitor-pw');
    await first.request('observer.add', { providerId, target: { kind: 'address', name: '1002' } });
    await startPhone('1002');
    const caller = await startPhone('1001');
    const call = await caller.call('1002');
    await first.waitForEvent(providerId, (e) => e.type === 'CallCtlConnEstablishedEv' && e.address === '1002');
    const seen = first.events(providerId);
    // Cut mid-call: the socket dies without a close handshake; events after this go to the ring.
    first.socket.terminate();
    await waitUntil(() => server.strowger.cti.sessionCount < clients.length);
    await call.hangUp();
    await waitUntil(() => server.strowger.engine.callCount === 0);
    const afterSeq = seen.at(-1)!.seq;
    const second = await session();
    const resumed = await second.open('monitor', 'monitor-pw', { providerId, afterSeq });
    expect(resumed).toMatchObject({ providerId, resumed: true, seq: afterSeq });
    await second.waitForEvent(providerId, (e) => e.type === 'CallObservationEndedEv');
    const replayed = second.events(providerId);
    expect(replayed[0]?.seq).toBe(afterSeq + 1);
    const all = [...seen, ...replayed];
    expectContiguous(all, 1);
    expect(replayed.map((e) => e.type)).toContain('CallInvalidEv');
    await stopPhones();
  });

  it('a resume for another user or beyond the ring MUST give a new provider, never the old one', async () => {
    const first = await session();
    const { providerId } = await first.open('monitor', 'monitor-pw');
    const other = await session();
    const asAlice = await other.open('alice', 'alice-pw', { providerId, afterSeq: 0 });
    expect(asAlice.providerId).not.toBe(providerId);
    expect(asAlice.resumed).toBe(false);
  });
});

describe('CTI failed logins', () => {
  it('a wrong password MUST be refused AUTHENTICATION_FAILED, and repeated failures ACCOUNT_LOCKED with retryAfterMs', async () => {
    const client = await session();
    const wrong = () => client.request('provider.open', { user: 'alice', password: 'nope' });
    expect((await wrong()).error).toMatchObject({
      code: 'AUTHENTICATION_FAILED',
      details: { cisco: 'DIRECTORY_LOGIN_FAILED' },
    });
    expect((await wrong()).error.code).toBe('AUTHENTICATION_FAILED');
    expect((await wrong()).error.code).toBe('AUTHENTICATION_FAILED');
    const locked = (await wrong()).error;
    expect(locked.code).toBe('ACCOUNT_LOCKED');
    expect(locked.details.retryAfterMs).toBeGreaterThan(0);
    // Even the right password waits out the lock.
    expect((await client.request('provider.open', { user: 'alice', password: 'alice-pw' })).error.code).toBe(
      'ACCOUNT_LOCKED',
    );
    expect(client.closed).toBeUndefined();
  });
});
