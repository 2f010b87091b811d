import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerExtensionMobilityCommand } from '../src/server/commands/extension-mobility.js';
import { openStore } from '../src/store/index.js';
import { phoneDevices, waitUntil } from './support/leftovers.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { TestPhone } from './support/test-phone.js';
import { WireClient, type Frame } from './cti/wire-client.js';

// Extension Mobility end to end: a login over the admin API makes the hot-desk phone ring for the
// profile's number, survives a restart (kept in the store), and logout gives the phone its own line.
const config = `
settings:
  extensionMobilityMaxLoginMinutes: 600
lines:
  - { dn: '4001' }
  - { dn: '4002' }
  - { dn: '4100' }
devices:
${phoneDevices(['4001', '4002'])}
deviceProfiles:
  - { name: alice-em, lines: ['4100'] }
  - { name: bob-em, lines: ['4100'] }
endUsers:
  - { userId: alice, pin: '13579', extensionMobility: { defaultProfile: alice-em } }
  - { userId: bob, pin: '24680', extensionMobility: { defaultProfile: bob-em } }
applicationUsers:
  - { userId: screenpop, password: screenpop-pw, groups: ['Standard CTI Enabled'], ctiControlledProfiles: [alice-em] }
`.replace("sip: { username: '4001'", "extensionMobility: true, sip: { username: '4001'");

let workDir: string;
const servers: TestServer[] = [];
const phones: TestPhone[] = [];

async function start(): Promise<TestServer> {
  const server = await startTestServer({ config, dataDir: workDir, sipTimers: { t1: 100, t2: 400, t4: 500 } });
  servers.push(server);
  return server;
}

async function phone(dn: string, server: TestServer): Promise<TestPhone> {
  const started = await TestPhone.start({
    dn,
    password: `pw-${dn}`,
    serverPort: server.sipPort,
    timers: { t1: 50, t2: 200, t4: 250 },
  });
  phones.push(started);
  return started;
}

async function post(server: TestServer, path: string, body: unknown): Promise<{ status: number; json: Frame }> {
  const response = await server.fetchApi(`/api/v1/extension-mobility/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

async function logins(server: TestServer): Promise<unknown[]> {
  const response = await server.fetchApi('/api/v1/extension-mobility');
  return ((await response.json()) as { logins: unknown[] }).logins;
}

beforeEach(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'strowger-em-'));
});

afterEach(async () => {
  for (const started of phones.splice(0)) await started.close();
  for (const server of servers.splice(0)) await server.strowger.stop();
  await rm(workDir, { recursive: true, force: true });
});

describe('Extension Mobility over the admin API', () => {
  it("a login MUST make the phone ring for the profile's number, survive a restart, and logout MUST restore the phone's own line", async () => {
    const before = await start();
    const hotdesk = await phone('4001', before);
    const anonymous = await fetch(`${before.httpUrl}/api/v1/extension-mobility/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'alice', device: 'SEP000000004001' }),
    });
    expect(anonymous.status).toBe(401);
    const refused = await post(before, 'login', { user: 'alice', device: 'SEP000000004002' });
    expect(refused.status).toBe(409);
    expect(refused.json.detail).toMatch(/does not allow Extension Mobility; set extensionMobility: true/);

    const login = await post(before, 'login', { user: 'alice', device: 'SEP000000004001', pin: '13579' });
    expect(login.status).toBe(200);
    expect(login.json).toMatchObject({ device: 'SEP000000004001', userId: 'alice', profile: 'alice-em' });
    expect(login.json.expiresAt).toBeDefined();
    expect(await logins(before)).toEqual([login.json]);
    const view = (await (await before.fetchApi('/api/v1/registrations/SEP000000004001')).json()) as Frame;
    expect(view).toMatchObject({
      lines: ['4001'],
      extensionMobility: { userId: 'alice', profile: 'alice-em', lines: ['4100'] },
    });

    const caller = await phone('4002', before);
    const call = await caller.call('4100');
    expect(await waitUntil(() => hotdesk.calls.length === 1, 5000)).toBe(true);
    expect((await call.hangUp()).status).toBe(200);
    await before.strowger.mobility.flush();
    await before.strowger.stop();

    // Kept in the store: the login holds after a restart.
    const after = await start();
    expect(await logins(after)).toEqual([login.json]);
    const logout = await post(after, 'logout', { device: 'SEP000000004001' });
    expect(logout.status).toBe(200);
    expect(await logins(after)).toEqual([]);
    const again = await post(after, 'logout', { device: 'SEP000000004001' });
    expect(again.status).toBe(404);
    expect(again.json.detail).toMatch(/nobody is logged in on SEP000000004001/);
    await after.strowger.mobility.flush();
    await after.strowger.stop();
    const store = await openStore({ dataDir: join(workDir, 'data') });
    expect(await store.loadMobilityLogins()).toEqual([]);
    await store.close();
  }, 120_000);

  it('five wrong PINs MUST lock the user out, say so, and refuse even the right PIN for a while', async () => {
    const server = await start();
    for (let attempt = 1; attempt <= 4; attempt++) {
      const wrong = await post(server, 'login', { user: 'bob', device: 'SEP000000004001', pin: '0000' });
      expect(wrong.status).toBe(401);
      expect(wrong.json.detail).toBe('wrong user id or PIN for bob');
    }
    const fifth = await post(server, 'login', { user: 'bob', device: 'SEP000000004001', pin: '0000' });
    expect(fifth.status).toBe(429);
    expect(fifth.json.detail).toMatch(
      /bob is now locked out of Extension Mobility after 5 wrong PINs; try again in 5 minutes/,
    );
    const right = await post(server, 'login', { user: 'bob', device: 'SEP000000004001', pin: '24680' });
    expect(right.status).toBe(429);
    expect(right.json.code).toBe('ACCOUNT_LOCKED');
    expect(await logins(server)).toEqual([]);
    // Another user is not held back by bob's lock-out.
    expect((await post(server, 'login', { user: 'alice', device: 'SEP000000004001', pin: '13579' })).status).toBe(200);
  }, 60_000);
});

describe('device profiles in the configuration API', () => {
  it('a device profile MUST be created, listed, read and refused when a user still names it on delete', async () => {
    const server = await start();
    const created = await server.fetchApi('/api/v1/device-profiles', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'carol-em', lines: ['4002'], allowCtiControl: false }),
    });
    expect(created.status).toBe(201);
    const list = (await (await server.fetchApi('/api/v1/device-profiles?line=4100')).json()) as Frame;
    expect(list.items.map((p: Frame) => p.name)).toEqual(['alice-em', 'bob-em']);
    const one = (await (await server.fetchApi('/api/v1/device-profiles/carol-em')).json()) as Frame;
    expect(one).toEqual({ name: 'carol-em', allowCtiControl: false, lines: ['4002'] });
    const refused = await server.fetchApi('/api/v1/device-profiles/alice-em', { method: 'DELETE' });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as Frame).detail).toMatch(/device profile alice-em does not exist/);
    expect((await server.fetchApi('/api/v1/device-profiles/carol-em', { method: 'DELETE' })).status).toBe(204);
  }, 60_000);
});

describe('Extension Mobility and CTI providers', () => {
  it('an application whose CTI-controlled profiles hold the profile MUST get the phone at login and lose it when that login ends', async () => {
    const server = await start();
    const client = await WireClient.connect(`ws://127.0.0.1:${server.strowger.addresses.cti.port}`);
    try {
      await client.hello();
      const opened = await client.open('screenpop', 'screenpop-pw');
      expect(opened.terminals).toEqual([]);
      const { providerId } = opened;
      await phone('4001', server);

      expect((await post(server, 'login', { user: 'alice', device: 'SEP000000004001' })).status).toBe(200);
      const created: Frame = await client.waitForEvent(providerId, (e: Frame) => e.type === 'CiscoTermCreatedEv');
      expect(created.terminal).toMatchObject({ name: 'SEP000000004001', restricted: false, addresses: ['4100'] });
      // The login brought the phone into the domain (CAUSE_EM_LOGIN_PROFILE_ADD), and it is back
      // registered with alice logged in (REASON_LOGIN); it was not in the domain before, so no unregistered.
      expect(created.ciscoCause).toBe(3);
      const addressCreated: Frame = await client.waitForEvent(
        providerId,
        (e: Frame) => e.type === 'CiscoAddrCreatedEv' && e.address.name === '4100',
      );
      expect(addressCreated.ciscoCause).toBe(3);
      const registered: Frame = await client.waitForEvent(
        providerId,
        (e: Frame) => e.type === 'CiscoProvTerminalRegisteredEv',
      );
      expect(registered).toMatchObject({ id: 1050, name: 'SEP000000004001', reason: 2, loginUserId: 'alice' });
      expect(client.events(providerId).some((e: Frame) => e.type === 'CiscoProvTerminalUnRegisteredEv')).toBe(false);
      // The explainer follows the live login and names the rule that granted.
      const explained = (await (
        await server.fetchApi('/api/v1/cti/explain?user=screenpop&device=SEP000000004001')
      ).json()) as Frame;
      expect(explained.observe).toBe(true);
      expect(explained.decidedBy).toMatchObject({
        setting: 'controlled-device',
        subject: 'alice-em',
        effect: 'grants',
      });
      const target = { kind: 'terminal', name: 'SEP000000004001' };
      expect((await client.request('observer.add', { providerId, target })).result.observerId).toMatch(/^o-/);

      // Bob's login replaces Alice's: his profile is not the application's, so the phone leaves its domain.
      expect((await post(server, 'login', { user: 'bob', device: 'SEP000000004001' })).status).toBe(200);
      const unregistered: Frame = await client.waitForEvent(
        providerId,
        (e: Frame) => e.type === 'CiscoProvTerminalUnRegisteredEv',
      );
      // Alice's login ends first (REASON_LOGOUT), taking the phone out (CAUSE_EM_LOGOUT_PROFILE_REMOVE).
      expect(unregistered).toMatchObject({ id: 1051, name: 'SEP000000004001', reason: 3, loginUserId: null });
      const removed: Frame = await client.waitForEvent(
        providerId,
        (e: Frame) => e.type === 'CiscoTermRemovedEv' && e.name === 'SEP000000004001',
      );
      expect(removed.ciscoCause).toBe(4);
      await client.waitForEvent(providerId, (e: Frame) => e.type === 'TermObservationEndedEv');
      expect(client.invalid).toEqual([]);
    } finally {
      await client.close();
    }
  }, 60_000);
});

describe('strowger em', () => {
  async function run(...args: string[]): Promise<string> {
    const program = new Command().exitOverride();
    registerExtensionMobilityCommand(program);
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    try {
      await program.parseAsync(['node', 'strowger', 'em', ...args]);
    } finally {
      log.mockRestore();
    }
    return lines.join('\n');
  }

  it('login, list and logout MUST work through the running server, and errors MUST carry its sentence', async () => {
    const server = await start();
    const url = ['--data', server.dataDir];
    expect(await run('login', '--user', 'alice', '--device', 'SEP000000004001', ...url)).toMatch(
      /^alice is logged in on SEP000000004001 with profile alice-em until /,
    );
    expect(await run('list', ...url)).toMatch(/DEVICE\s+USER\s+PROFILE[^\n]*\nSEP000000004001\s+alice\s+alice-em/);
    await expect(run('login', '--user', 'bob', '--device', 'SEP000000004001', '--pin', '1111', ...url)).rejects.toThrow(
      'wrong user id or PIN for bob',
    );
    expect(await run('logout', '--device', 'SEP000000004001', ...url)).toBe(
      'alice is logged out of SEP000000004001; it has its own lines again',
    );
    expect(await run('list', ...url)).toBe('nobody is logged in with Extension Mobility');
    // The audit log says who and how: the command line on the server's machine.
    await server.strowger.mobility.flush();
    const audit = (await (await server.fetchApi('/api/v1/audit-log?resource=extension-mobility-login')).json()) as {
      items: Array<{ actor: string; note: string }>;
    };
    expect(audit.items.map(({ actor, note }) => `${actor}: ${note}`)).toEqual([
      'local command line: alice logged out of SEP000000004001 with the command line (strowger em)',
      'local command line: alice logged in on SEP000000004001 with the command line (strowger em)',
    ]);
  }, 60_000);
});
