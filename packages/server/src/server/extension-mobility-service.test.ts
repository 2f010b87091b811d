import { describe, expect, it } from 'vitest';
import { ErrorCode, FakeClock, isStrowgerError, silentLogger } from '../core/index.js';
import {
  hashPassword,
  type ConfigSnapshot,
  type MobilityAuditEntry,
  type StoredMobilityLogin,
} from '../store/index.js';
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
  const audit: MobilityAuditEntry[] = [];
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
      auditMobility: async (entry) => void audit.push(entry),
    },
  });
  await service.start({ updateExtensionMobility: (logins) => heard.push(logins.length) });
  return { service, clock, rows, applied, heard, audit };
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

const admin = { actor: 'ops', via: 'admin-api' } as const;
const atPhone = { actor: 'end user alice', via: 'phone' } as const;

describe('Extension Mobility service', () => {
  it('a login MUST be stored and heard by the CTI layer, and a logout MUST remove it', async () => {
    const { service, rows, applied, heard } = await setUp();
    await service.login({ userId: 'alice', device: 'SEPHOTDESK', pin: '13579', source: 'test', by: admin });
    await service.flush();
    expect([...rows.values()]).toMatchObject([{ device: 'SEPHOTDESK', userId: 'alice', profile: 'alice-em' }]);
    expect(applied.at(-1)?.devices[0]?.lines).toEqual(['2001']);
    expect(heard.at(-1)).toBe(1);
    service.logout('SEPHOTDESK', admin);
    await service.flush();
    expect(rows.size).toBe(0);
    expect(applied.at(-1)?.devices[0]?.lines).toEqual(['3001']);
    expect(heard.at(-1)).toBe(0);
    service.close();
  });

  it('five wrong PINs MUST lock the user out for a while, and the lock-out MUST lift again', async () => {
    const { service, clock } = await setUp();
    const attempt = (pin: string) =>
      service.login({ userId: 'alice', device: 'SEPHOTDESK', pin, source: 'phone', by: atPhone });
    for (let i = 1; i < pinLockout.attempts; i++)
      expect(await codeOf(attempt('0000'))).toBe(ErrorCode.AuthenticationFailed);
    await expect(attempt('0000')).rejects.toThrow(/alice is now locked out of Extension Mobility after 5 wrong PINs/);
    expect(await codeOf(attempt('13579'))).toBe(ErrorCode.AccountLocked);
    expect(service.logins).toEqual([]);
    clock.advance(pinLockout.firstLockoutMs);
    expect((await attempt('13579')).userId).toBe('alice');
    service.close();
  });

  it('every login and logout MUST be audited with who and how, and the maximum login time MUST end a login as the system', async () => {
    const { service, clock, audit } = await setUp();
    await service.login({ userId: 'alice', device: 'SEPHOTDESK', pin: '13579', source: 'SEPHOTDESK', by: atPhone });
    service.logout('SEPHOTDESK', { actor: 'local command line', via: 'command-line' });
    service.updateConfig({ endUsers: [] } as unknown as ConfigSnapshot, { ...config, maxLoginMinutes: 60 });
    await service.login({ userId: 'alice', device: 'SEPHOTDESK', source: '127.0.0.1', by: admin });
    clock.advance(60 * 60_000);
    await service.flush();
    expect(audit.map(({ actor, action, key, note }) => ({ actor, action, key, note }))).toEqual([
      {
        actor: 'end user alice',
        action: 'create',
        key: 'SEPHOTDESK',
        note: 'alice logged in on SEPHOTDESK from the phone with the feature code',
      },
      {
        actor: 'local command line',
        action: 'delete',
        key: 'SEPHOTDESK',
        note: 'alice logged out of SEPHOTDESK with the command line (strowger em)',
      },
      { actor: 'ops', action: 'create', key: 'SEPHOTDESK', note: 'alice logged in on SEPHOTDESK over the admin API' },
      {
        actor: 'system',
        action: 'delete',
        key: 'SEPHOTDESK',
        note: 'alice logged out of SEPHOTDESK: the maximum login time ran out',
      },
    ]);
    expect(audit[0]?.after).toMatchObject({ device: 'SEPHOTDESK', userId: 'alice', profile: 'alice-em' });
    expect(audit[3]?.before).toMatchObject({ device: 'SEPHOTDESK', userId: 'alice' });
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
