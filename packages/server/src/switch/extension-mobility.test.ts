import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, isStrowgerError } from '../core/index.js';
import type { SwitchConfig } from './config.js';
import { ExtensionMobility, type MobilityEvents } from './extension-mobility.js';
import { harness, leftovers, line, phone, type Harness } from './test-support.js';

const hotdesk = { ...phone('SEPHOTDESK', ['3001']), extensionMobility: true };
const config: SwitchConfig = {
  devices: [hotdesk, { ...phone('SEPOTHER', ['3002']), extensionMobility: true }, phone('SEPCALLER', ['1000'])],
  lines: [line('1000'), line('3001'), line('3002'), line('2001'), line('2002')],
  deviceProfiles: [
    { name: 'alice-em', lines: ['2001'] },
    { name: 'alice-lab', lines: ['2002'] },
    { name: 'bob-em', lines: ['2002'] },
  ],
  mobilityUsers: [
    { userId: 'alice', defaultProfile: 'alice-em', profiles: ['alice-lab'] },
    { userId: 'bob', defaultProfile: 'bob-em', profiles: [] },
  ],
  maxLoginMinutes: 60,
};

let current: { h: Harness; em: ExtensionMobility } | undefined;

function start(base: SwitchConfig = config) {
  const h = harness(base);
  const em = new ExtensionMobility({ apply: (c) => h.engine.updateConfig(c), config: base, clock: h.clock });
  const logins: Array<MobilityEvents['login']> = [];
  const logouts: Array<MobilityEvents['logout']> = [];
  em.events.on('login', (e) => logins.push(e));
  em.events.on('logout', (e) => logouts.push(e));
  current = { h, em };
  return { h, em, logins, logouts };
}

afterEach(() => {
  if (current === undefined) return;
  current.em.close();
  expect(leftovers(current.h)).toEqual({ calls: 0, legs: 0, timers: 0 });
  current = undefined;
});

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (isStrowgerError(error)) return error.code;
    throw error;
  }
  return undefined;
}

async function ring(h: Harness, dialled: string) {
  const leg = h.engine.originate({ device: 'SEPCALLER', dialled });
  await h.settle();
  return leg;
}

describe('Extension Mobility in the engine', () => {
  it("while logged in, calls to the profile's number MUST ring the phone, its calls MUST present the profile's number, and logout MUST restore its own line", async () => {
    const { h, em, logins, logouts } = start();
    em.login({ userId: 'alice', device: 'SEPHOTDESK' });
    expect(logins).toEqual([
      {
        login: expect.objectContaining({ device: 'SEPHOTDESK', userId: 'alice', profile: 'alice-em' }),
        lines: ['2001'],
        previousLines: ['3001'],
      },
    ]);
    // Line 3001 no longer appears on the phone; the profile's 2001 does (§3.5).
    expect(h.deviceEvents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'address.addedToTerminal', address: '2001', terminal: 'SEPHOTDESK' }),
        expect.objectContaining({ type: 'address.removedFromTerminal', address: '3001', terminal: 'SEPHOTDESK' }),
      ]),
    );

    const caller = await ring(h, '2001');
    const alert = h.driver.alertFor('SEPHOTDESK');
    expect(alert.request).toMatchObject({ line: '2001', called: '2001' });
    h.engine.released(caller);
    await h.settle();

    const outgoing = h.engine.originate({ device: 'SEPHOTDESK', dialled: '1000' });
    await h.settle();
    expect(h.driver.alertFor('SEPCALLER').request.calling).toMatchObject({ number: '2001', device: 'SEPHOTDESK' });
    h.engine.released(outgoing);
    await h.settle();

    em.logout('SEPHOTDESK');
    expect(logouts).toEqual([
      { login: expect.objectContaining({ profile: 'alice-em' }), reason: 'logout', lines: ['3001'] },
    ]);
    h.driver.commands.length = 0;
    const again = await ring(h, '3001');
    expect(h.driver.alertFor('SEPHOTDESK').request).toMatchObject({ line: '3001' });
    h.engine.released(again);
    await h.settle();
    // The profile's number rings nowhere now: it is unregistered everywhere.
    const nobody = await ring(h, '2001');
    expect(h.driver.commands.filter((c) => c.kind === 'alert' && c.device === 'SEPHOTDESK')).toHaveLength(1);
    h.engine.released(nobody);
    await h.settle();
  });

  it('a named profile MUST be one the user may use; the phone MUST allow Extension Mobility', () => {
    const { em } = start();
    expect(em.login({ userId: 'alice', device: 'SEPHOTDESK', profile: 'alice-lab' }).profile).toBe('alice-lab');
    expect(codeOf(() => em.login({ userId: 'alice', device: 'SEPOTHER', profile: 'bob-em' }))).toBe(
      ErrorCode.PrivilegeViolation,
    );
    expect(codeOf(() => em.login({ userId: 'bob', device: 'SEPCALLER' }))).toBe(ErrorCode.InvalidState);
    expect(codeOf(() => em.login({ userId: 'carol', device: 'SEPOTHER' }))).toBe(ErrorCode.NotFound);
    // One phone per user at a time (CUCM's "Multiple Logins Not Allowed").
    expect(codeOf(() => em.login({ userId: 'alice', device: 'SEPOTHER' }))).toBe(ErrorCode.InvalidState);
    expect(() => em.login({ userId: 'alice', device: 'SEPOTHER' })).toThrow(
      /already logged in on SEPHOTDESK; log out there first/,
    );
  });

  it('another login on the phone MUST replace the previous one, with its logout first', () => {
    const { em, logins, logouts } = start();
    em.login({ userId: 'alice', device: 'SEPHOTDESK' });
    em.login({ userId: 'bob', device: 'SEPHOTDESK' });
    expect(logouts.map((e) => [e.login.userId, e.reason])).toEqual([['alice', 'replaced']]);
    expect(logins.map((e) => [e.login.userId, e.lines])).toEqual([
      ['alice', ['2001']],
      ['bob', ['2002']],
    ]);
    expect(em.logins.map((l) => l.userId)).toEqual(['bob']);
  });

  it('the maximum login time MUST log out by itself, leaving nothing logged in', async () => {
    const { h, em, logouts } = start();
    em.login({ userId: 'alice', device: 'SEPHOTDESK' });
    h.clock.advance(59 * 60_000);
    expect(em.logins).toHaveLength(1);
    h.clock.advance(60_000);
    expect(em.logins).toEqual([]);
    expect(logouts.map((e) => e.reason)).toEqual(['max-login-time']);
    const caller = await ring(h, '3001');
    expect(h.driver.alertFor('SEPHOTDESK').request).toMatchObject({ line: '3001' });
    h.engine.released(caller);
    await h.settle();
  });

  it('restored logins MUST carry on, and those expired or no longer allowed MUST end with their events', () => {
    const { h, em, logins, logouts } = start();
    const now = h.clock.now();
    em.restore([
      { device: 'SEPHOTDESK', userId: 'alice', profile: 'alice-em', loggedInAt: now - 1000, expiresAt: now + 1000 },
      { device: 'SEPOTHER', userId: 'bob', profile: 'bob-em', loggedInAt: now - 5000, expiresAt: now - 1 },
      { device: 'SEPCALLER', userId: 'bob', profile: 'bob-em', loggedInAt: now, expiresAt: undefined },
    ]);
    expect(em.logins.map((l) => l.device)).toEqual(['SEPHOTDESK']);
    expect(logouts.map((e) => [e.login.device, e.reason])).toEqual([
      ['SEPOTHER', 'max-login-time'],
      ['SEPCALLER', 'configuration'],
    ]);
    expect(logins.map((e) => e.login.device)).toEqual(['SEPHOTDESK']);
    h.clock.advance(1000);
    expect(em.logins).toEqual([]);
  });

  it('a configuration that takes Extension Mobility away from the phone MUST end its login', () => {
    const { em, logouts } = start();
    em.login({ userId: 'alice', device: 'SEPHOTDESK' });
    em.updateConfig({ ...config, devices: config.devices.map((d) => ({ ...d, extensionMobility: false })) });
    expect(em.logins).toEqual([]);
    expect(logouts.map((e) => e.reason)).toEqual(['configuration']);
  });
});
