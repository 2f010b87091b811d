import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, isStrowgerError } from '../core/index.js';
import { openStore, parseConfigFile, verifyPassword, type Store, type StoreLocation } from './index.js';
import { createTestDatabase } from './test-support/postgres.js';

const mobilityYaml = `
settings:
  extensionMobilityMaxLoginMinutes: 480
  extensionMobilityLoginCode: '*55'
  extensionMobilityLogoutCode: '*56#'
devices:
  - { name: SEPHOTDESK1, type: sip-phone, lines: ['3001'], extensionMobility: true, allowCtiControl: false, sip: { username: hd1, password: pw-hd1 } }
  - { name: SEPLOBBY, type: sip-phone, lines: ['3002'], sip: { username: lobby, password: pw-lobby } }
lines:
  - { dn: '3001' }
  - { dn: '3002' }
  - { dn: '2001' }
  - { dn: '2002' }
deviceProfiles:
  - { name: alice-em, description: "Alice's lines", lines: ['2001', '2002'] }
  - { name: alice-lab, allowCtiControl: false, lines: ['2002'] }
endUsers:
  - userId: alice
    pin: '13579'
    extensionMobility: { defaultProfile: alice-em, profiles: [alice-lab], allowCtiControl: false }
    ctiControlledProfiles: [alice-em]
applicationUsers:
  - { userId: screenpop, groups: ['Standard CTI Enabled'], ctiControlledProfiles: [alice-em, alice-lab] }
`;

interface Backend {
  name: string;
  location: () => Promise<StoreLocation & { cleanup: () => Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'embedded PostgreSQL',
    location: async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'strowger-em-'));
      return { dataDir, cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'PostgreSQL server',
    location: async () => {
      const database = await createTestDatabase();
      return { url: database.url, cleanup: database.drop };
    },
  },
];

async function problemsOf(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    if (isStrowgerError(error) && error.code === ErrorCode.ConfigInvalid) {
      return (error.details as { problems: string[] }).problems;
    }
    throw error;
  }
  throw new Error('the configuration was applied, but it should have been refused');
}

describe.each(backends)('Extension Mobility configuration on $name', (backend) => {
  let location: StoreLocation & { cleanup: () => Promise<void> };
  let store: Store;

  beforeAll(async () => {
    location = await backend.location();
    store = await openStore(location);
  });
  afterAll(async () => {
    await store.close();
    await location.cleanup();
  });
  beforeEach(async () => {
    await store.applyConfig({}, { prune: true });
  });

  it('device profiles, user profile lists and flags MUST be stored as the file says', async () => {
    await store.applyConfig(parseConfigFile(mobilityYaml, 'em.yaml'));
    const config = await store.loadConfig();
    expect(config.settings.extensionMobilityMaxLoginMinutes).toBe(480);
    expect(config.settings).toMatchObject({ extensionMobilityLoginCode: '*55', extensionMobilityLogoutCode: '*56#' });
    expect(config.deviceProfiles).toEqual([
      { name: 'alice-em', description: "Alice's lines", allowCtiControl: true, lines: ['2001', '2002'] },
      { name: 'alice-lab', description: undefined, allowCtiControl: false, lines: ['2002'] },
    ]);
    const hotdesk = config.devices.find((d) => d.name === 'SEPHOTDESK1');
    expect(hotdesk?.extensionMobility).toBe(true);
    expect(config.devices.find((d) => d.name === 'SEPLOBBY')?.extensionMobility).toBe(false);
    const alice = config.endUsers.find((u) => u.userId === 'alice');
    expect(alice?.extensionMobility).toEqual({
      defaultProfile: 'alice-em',
      profiles: ['alice-lab'],
      allowCtiControl: false,
    });
    expect(alice?.ctiControlledProfiles).toEqual(['alice-em']);
    expect(await verifyPassword('13579', alice?.pinHash ?? '')).toBe(true);
    expect(config.applicationUsers[0]?.ctiControlledProfiles).toEqual(['alice-em', 'alice-lab']);
  });

  it('export → apply onto an empty store → export MUST give the identical text, and re-applying MUST change nothing', async () => {
    await store.applyConfig(parseConfigFile(mobilityYaml, 'em.yaml'));
    const exported = await store.exportConfig();
    expect(exported).toContain('deviceProfiles:');
    expect(exported).toContain('extensionMobility: true');
    expect(exported).toContain('extensionMobilityMaxLoginMinutes: 480');
    expect(exported).toContain('extensionMobilityLoginCode: "*55"');
    await store.applyConfig({}, { prune: true });
    await store.applyConfig(parseConfigFile(exported, 'export.yaml'), { prune: true });
    expect(await store.exportConfig()).toBe(exported);
    const again = await store.applyConfig(parseConfigFile(exported, 'export.yaml'));
    expect(again.changed).toBe(false);
    expect(again.deviceProfiles.unchanged).toBe(2);
  });

  it('references to missing profiles and lines, and Extension Mobility on a CTI device, MUST be refused with what to do', async () => {
    const problems = await problemsOf(
      store.applyConfig(
        parseConfigFile(
          `
devices:
  - { name: CTIRP1, type: cti-route-point, lines: ['5000'], extensionMobility: true }
lines:
  - { dn: '5000' }
deviceProfiles:
  - { name: p1, lines: ['4444'] }
endUsers:
  - { userId: bob, extensionMobility: { defaultProfile: nope, profiles: [p1, gone] }, ctiControlledProfiles: [missing] }
applicationUsers:
  - { userId: app, ctiControlledProfiles: [absent] }
`,
          'bad.yaml',
        ),
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'devices[0] (CTIRP1): extensionMobility is for phones; a cti-route-point cannot host a login, remove it',
        'device profile p1: line 4444 is not declared; add it under lines: as - { dn: "4444" }',
        'end user bob: extensionMobility.defaultProfile: device profile nope does not exist; add it under deviceProfiles:',
        'end user bob: extensionMobility.profiles: device profile gone does not exist; add it under deviceProfiles:',
        'user bob: ctiControlledProfiles: device profile missing does not exist; add it under deviceProfiles:',
        'user app: ctiControlledProfiles: device profile absent does not exist; add it under deviceProfiles:',
      ]),
    );
    expect((await store.loadConfig()).deviceProfiles).toEqual([]);
  });

  it('feature codes MUST be refused on a number already in use or on one another, and MUST be keys only', async () => {
    const apply = (settings: string) =>
      problemsOf(store.applyConfig(parseConfigFile(`settings: ${settings}\n`, 's.yaml')));
    // The logout code left at its default (*71) is in force too.
    expect(await apply(`{ extensionMobilityLoginCode: '*71' }`)).toEqual([
      'settings.extensionMobilityLoginCode and extensionMobilityLogoutCode are both *71; give login and logout codes of their own',
    ]);
    expect(await apply(`{ conferenceNumber: '*80', extensionMobilityLogoutCode: '*80' }`)).toEqual([
      'settings.extensionMobilityLogoutCode: *80 is already a line, a hunt pilot, the conference, voicemail or a call park number; choose a code no other number uses',
    ]);
    // A feature code may not be a call park number either; a change of park settings alone is stored.
    expect(await apply(`{ callParkRange: '7900-7901', extensionMobilityLoginCode: '7901' }`)).toEqual([
      'settings.extensionMobilityLoginCode: 7901 is already a line, a hunt pilot, the conference, voicemail or a call park number; choose a code no other number uses',
    ]);
    await store.applyConfig(parseConfigFile(`settings: { callParkRange: '7900-7901' }\n`, 's.yaml'));
    expect((await store.loadConfig()).settings.callParkRange).toBe('7900-7901');
    expect(() => parseConfigFile(`settings: { extensionMobilityLoginCode: '7X' }\n`, 's.yaml')).toThrow(
      /extensionMobilityLoginCode/,
    );
  });

  it('the schema MUST refuse a profile without lines and an unknown key, naming where', () => {
    expect(() => parseConfigFile(`deviceProfiles:\n  - { name: p1, lines: [] }\n`, 'p.yaml')).toThrow(/lines/);
    expect(() => parseConfigFile(`deviceProfiles:\n  - { name: p1, lines: ['1'], colour: red }\n`, 'p.yaml')).toThrow(
      /colour/,
    );
  });

  it('logins MUST be kept across a reopen, one per device, and go when the device goes', async () => {
    await store.applyConfig(parseConfigFile(mobilityYaml, 'em.yaml'));
    const loggedInAt = new Date('2026-01-01T08:00:00Z');
    await store.saveMobilityLogin({
      device: 'SEPHOTDESK1',
      userId: 'alice',
      profile: 'alice-lab',
      loggedInAt,
      expiresAt: undefined,
    });
    await store.saveMobilityLogin({
      device: 'SEPHOTDESK1',
      userId: 'alice',
      profile: 'alice-em',
      loggedInAt,
      expiresAt: new Date('2026-01-01T16:00:00Z'),
    });
    expect(await store.loadMobilityLogins()).toEqual([
      {
        device: 'SEPHOTDESK1',
        userId: 'alice',
        profile: 'alice-em',
        loggedInAt,
        expiresAt: new Date('2026-01-01T16:00:00Z'),
      },
    ]);
    await store.deleteMobilityLogin('SEPHOTDESK1');
    expect(await store.loadMobilityLogins()).toEqual([]);
    await store.saveMobilityLogin({
      device: 'SEPHOTDESK1',
      userId: 'alice',
      profile: 'alice-em',
      loggedInAt,
      expiresAt: undefined,
    });
    await store.applyConfig({}, { prune: true });
    expect(await store.loadMobilityLogins()).toEqual([]);
  });
});
