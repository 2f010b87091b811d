import { describe, expect, it } from 'vitest';
import { ErrorCode, FakeClock, isStrowgerError, silentLogger } from '../core/index.js';
import { hashPassword, type ConfigSnapshot, type StoredMobilityLogin } from '../store/index.js';
import type { SwitchConfig } from '../switch/index.js';
import { MobilityService, pinLockout } from './extension-mobility-service.js';

const config: SwitchConfig = {
  devices: [{ name: 'SEPHOTDESK', type: 'sip-phone', lines: ['3001'], extensionMobility: true }],
  lines: ['3001', '2001'].map((dn) => ({ dn, forward: {}, noAnswerSeconds: 12, maxCalls: 2, busyTrigger: 1 })),
  deviceProfiles: [{ name: 'alice-em', lines: ['2001'] }],
  mobilityUsers: [{ userId: 'alice', defaultProfile: 'alice-em', profiles: [] }],
};

async function setUp(stored: StoredMobilityLogin[] = []) {
  const snapshot = {
    endUsers: [{ userId: 'alice', pinHash: await hashPassword('13579') }],
  } as unknown as ConfigSnapshot;
  const rows = new Map(stored.map((login) => [login.device, login]));
  const clock = new FakeClock();
  const applied: SwitchConfig[] = [];
  const heard: number[] = [];
  const service = new MobilityService({
    engine: { updateConfig: (c) => applied.push(c) },
    config,
    snapshot,
    clock,
    logger: silentLogger,
    store: {
      loadMobilityLogins: async () => [...rows.values()],
      saveMobilityLogin: async (login) => void rows.set(login.device, login),
      deleteMobilityLogin: async (device) => void rows.delete(device),
    },
  });
  await service.start({ updateExtensionMobility: (logins) => heard.push(logins.length) });
  return { service, clock, rows, applied, heard };
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (isStrowgerError(error)) return error.code;
    throw error;
  }
  return undefined;
}

describe('Extension Mobility service', () => {
  it('a login MUST be stored and heard by the CTI layer, and a logout MUST remove it', async () => {
    const { service, rows, applied, heard } = await setUp();
    await service.login({ userId: 'alice', device: 'SEPHOTDESK', pin: '13579', source: 'test' });
    await service.flush();
    expect([...rows.values()]).toMatchObject([{ device: 'SEPHOTDESK', userId: 'alice', profile: 'alice-em' }]);
    expect(applied.at(-1)?.devices[0]?.lines).toEqual(['2001']);
    expect(heard.at(-1)).toBe(1);
    service.logout('SEPHOTDESK');
    await service.flush();
    expect(rows.size).toBe(0);
    expect(applied.at(-1)?.devices[0]?.lines).toEqual(['3001']);
    expect(heard.at(-1)).toBe(0);
    service.close();
  });

  it('five wrong PINs MUST lock the user out for a while, and the lock-out MUST lift again', async () => {
    const { service, clock } = await setUp();
    const attempt = (pin: string) => service.login({ userId: 'alice', device: 'SEPHOTDESK', pin, source: 'phone' });
    for (let i = 1; i < pinLockout.attempts; i++)
      expect(await codeOf(attempt('0000'))).toBe(ErrorCode.AuthenticationFailed);
    await expect(attempt('0000')).rejects.toThrow(/alice is now locked out of Extension Mobility after 5 wrong PINs/);
    expect(await codeOf(attempt('13579'))).toBe(ErrorCode.AccountLocked);
    expect(service.logins).toEqual([]);
    clock.advance(pinLockout.firstLockoutMs);
    expect((await attempt('13579')).userId).toBe('alice');
    service.close();
  });

  it('logins stored before a restart MUST come back, and expired ones MUST be removed from the store', async () => {
    const clock = new FakeClock();
    const now = clock.now();
    const { service, rows } = await setUp([
      {
        device: 'SEPHOTDESK',
        userId: 'alice',
        profile: 'alice-em',
        loggedInAt: new Date(now - 1000),
        expiresAt: new Date(now - 1),
      },
    ]);
    await service.flush();
    expect(service.logins).toEqual([]);
    expect(rows.size).toBe(0);
    service.close();
  });
});
