import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/index.js';
import { phoneDevices, waitUntil } from './support/leftovers.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { TestPhone } from './support/test-phone.js';

// Registrations survive a restart (issue: every phone showed unregistered, and calls to it failed,
// until it re-registered): the bindings are stored and the unexpired ones put back at start.
const config = `
lines:
  - { dn: '4001' }
  - { dn: '4002' }
devices:
${phoneDevices(['4001', '4002'])}
`;

let workDir: string;
const servers: TestServer[] = [];
const phones: TestPhone[] = [];

async function start(): Promise<TestServer> {
  const server = await startTestServer({ config, dataDir: workDir, sipTimers: { t1: 100, t2: 400, t4: 500 } });
  servers.push(server);
  return server;
}

async function phone(dn: string, server: TestServer): Promise<TestPhone> {
  // Short timers: a phone of the stopped server unregisters into silence when the test closes it.
  const started = await TestPhone.start({
    dn,
    password: `pw-${dn}`,
    serverPort: server.sipPort,
    timers: { t1: 50, t2: 200, t4: 250 },
  });
  phones.push(started);
  return started;
}

function registrationOf(server: TestServer, device: string): string | undefined {
  return server.strowger.listDevices().find((view) => view.name === device)?.registration.state;
}

beforeEach(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'strowger-restart-'));
});

afterEach(async () => {
  for (const started of phones.splice(0)) await started.close();
  for (const server of servers.splice(0)) await server.strowger.stop();
  await rm(workDir, { recursive: true, force: true });
});

describe('registrations across a restart', () => {
  it('a phone registered before a restart MUST ring when called after it, without registering again', async () => {
    const before = await start();
    const callee = await phone('4002', before);
    expect(registrationOf(before, 'SEP000000004002')).toBe('registered');
    await before.strowger.stop();

    const after = await start();
    expect(registrationOf(after, 'SEP000000004002')).toBe('registered');
    const binding = after.strowger.listDevices().find((view) => view.name === 'SEP000000004002')?.registration
      .bindings[0];
    expect(binding?.source).toMatch(/^udp:127\.0\.0\.1:\d+$/);
    expect(binding?.userAgent).toBe('Strowger test phone');

    const caller = await phone('4001', after);
    const call = await caller.call('4002');
    // The callee, registered only with the server before the restart, was offered the call and answered.
    expect(await waitUntil(() => callee.calls.length === 1, 5000)).toBe(true);
    expect((await call.hangUp()).status).toBe(200);
  }, 120_000);

  it('a phone that unregistered before the restart MUST stay unregistered after it', async () => {
    const before = await start();
    const callee = await phone('4002', before);
    await callee.register(0);
    await before.strowger.stop();

    const after = await start();
    expect(registrationOf(after, 'SEP000000004002')).toBe('unregistered');
  }, 120_000);

  it('a stored binding that lapsed while the server was down MUST NOT be restored', async () => {
    const before = await start();
    await phone('4002', before);
    await before.strowger.stop();

    // The phone's binding, as if the server had been down past its expiry.
    const store = await openStore({ dataDir: join(workDir, 'data') });
    const [stored] = await store.loadRegistrations();
    expect(stored?.deviceName).toBe('SEP000000004002');
    store.registrations.saveDevice('SEP000000004002', [{ ...stored!, expiresAt: new Date(Date.now() - 1000) }]);
    await store.close();

    const after = await start();
    expect(registrationOf(after, 'SEP000000004002')).toBe('unregistered');
    const caller = await phone('4001', after);
    await expect(caller.call('4002')).rejects.toThrow(/failed/);
  }, 120_000);
});
