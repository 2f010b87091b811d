import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallView } from '../../src/admin/index.js';
import type { CallRecord } from '../../src/switch/index.js';
import { Baresip, requireBaresip } from '../support/baresip.js';
import { phoneDevices } from '../support/leftovers.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// Real phones: Debian's baresip, headless, calling each other through Strowger.
const config = `
settings: { sipRealm: strowger }
lines:
  - { dn: '4001' }
  - { dn: '4002' }
  - { dn: '4003' }
devices:
${phoneDevices(['4001', '4002', '4003'])}
`;

let server: TestServer;
const records: CallRecord[] = [];
let phones: Baresip[] = [];

beforeAll(async () => {
  requireBaresip();
  // baresip 1.0 gives up registering when any challenge names an algorithm it lacks (SHA-256) instead
  // of answering the MD5 one (RFC 8760 §2.4 asks it to skip the others), so this server offers MD5 only.
  server = await startTestServer({
    config,
    digestAlgorithms: ['MD5'],
    callRecords: { write: (record) => records.push(record) },
  });
}, 60_000);

afterAll(async () => {
  await server?.stop();
}, 20_000);

afterEach(async () => {
  for (const phone of phones) await phone.stop();
  phones = [];
  await waitFor(() => server.strowger.engine.callCount === 0 && server.strowger.sip.phones.legCount === 0);
  expect(server.strowger.engine.callCount, 'calls left in the engine').toBe(0);
  expect(server.strowger.sip.phones.legCount, 'legs left in the SIP driver').toBe(0);
});

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() >= until) return false;
    await new Promise((done) => setTimeout(done, 25));
  }
  return true;
}

async function phone(dn: string): Promise<Baresip> {
  const started = await Baresip.start({ dn, password: `pw-${dn}`, serverPort: server.sipPort });
  phones.push(started);
  // It registers before its control socket is up, so its own log line is the sign, not an event.
  expect(await waitFor(() => /200 OK .*\[1 binding\]/.test(started.log)), started.log).toBe(true);
  return started;
}

async function terminalStates(dn: string): Promise<string[]> {
  const response = await server.fetchApi(`/api/v1/calls?dn=${dn}`);
  const { calls } = (await response.json()) as { calls: CallView[] };
  return calls.flatMap((call) =>
    call.connections
      .filter((connection) => connection.address === dn)
      .flatMap((connection) => connection.terminalConnections.map((tc) => tc.state)),
  );
}

describe('baresip phones', () => {
  it('call, hold and resume: the holding phone shows HELD, then TALKING again', async () => {
    const [a, b] = [await phone('4001'), await phone('4002')];
    await a.command('dial', `sip:4002@127.0.0.1:${server.sipPort}`);
    await b.waitForEvent('CALL_INCOMING');
    await b.command('accept');
    await a.waitForEvent('CALL_ESTABLISHED');
    await b.waitForEvent('CALL_ESTABLISHED');
    expect(await terminalStates('4001')).toEqual(['TALKING']);

    await a.command('hold');
    expect(await waitFor(async () => (await terminalStates('4001')).includes('HELD'))).toBe(true);
    await a.command('resume');
    expect(await waitFor(async () => (await terminalStates('4001')).includes('TALKING'))).toBe(true);

    await b.command('hangup');
    await a.waitForEvent('CALL_CLOSED');
    expect(await waitFor(() => records.some((r) => r.callingNumber === '4001' && r.releasedBy === 'callee'))).toBe(
      true,
    );
  });

  it('blind transfer: the called baresip transfers the caller to a third baresip', async () => {
    const [a, b, c] = [await phone('4001'), await phone('4002'), await phone('4003')];
    await a.command('dial', `sip:4002@127.0.0.1:${server.sipPort}`);
    await b.waitForEvent('CALL_INCOMING');
    await b.command('accept');
    await a.waitForEvent('CALL_ESTABLISHED');
    await b.command('transfer', '4003');
    await c.waitForEvent('CALL_INCOMING');
    await c.command('accept');
    await c.waitForEvent('CALL_ESTABLISHED');
    await b.waitForEvent('CALL_CLOSED');
    expect(
      await waitFor(async () => {
        const states = await terminalStates('4003');
        return states.includes('TALKING');
      }),
    ).toBe(true);
    await c.command('hangup');
    await a.waitForEvent('CALL_CLOSED');
    expect(await waitFor(() => records.some((r) => r.finalCalledNumber === '4003'))).toBe(true);
    expect(records.find((r) => r.finalCalledNumber === '4003')).toMatchObject({
      callingNumber: '4001',
      redirections: [{ from: '4002', to: '4003', reason: 'transfer' }],
    });
  });
});
