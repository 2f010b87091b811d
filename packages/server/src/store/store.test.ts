import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, isStrowgerError } from '../core/index.js';
import {
  callRecordCsvColumns,
  callRecordsCsv,
  openStore,
  parseConfigFile,
  verifyPassword,
  type Store,
  type StoreLocation,
  type StoredCallRecord,
} from './index.js';
import { createTestDatabase } from './test-support/postgres.js';

const demoText = readFileSync(new URL('../../config/demo.yaml', import.meta.url), 'utf8');
const demo = parseConfigFile(demoText, 'demo.yaml');

interface Backend {
  name: string;
  location: () => Promise<StoreLocation & { cleanup: () => Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'embedded PostgreSQL',
    location: async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'strowger-store-'));
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

describe.each(backends)('store on $name', (backend) => {
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

  it('migrations MUST seed the standard CTI access control groups', async () => {
    const config = await store.loadConfig();
    const names = config.groups.map((group) => group.name);
    expect(names).toContain('Standard CTI Enabled');
    expect(names).toContain('Standard CTI Allow Control of All Devices');
    expect(config.groups.every((group) => group.builtIn)).toBe(true);
  });

  it('apply MUST create the objects of the file, and the snapshot MUST show them', async () => {
    const result = await store.applyConfig(demo);
    expect(result.changed).toBe(true);
    expect(result.devices.created).toBe(9);
    const config = await store.loadConfig();
    const reception = config.devices.find((device) => device.name === 'SEP000000001003');
    expect(reception?.lines).toEqual(['1003', '1001']);
    expect(reception?.sip?.username).toBe('1003');
    expect(config.lines.find((line) => line.dn === '1001')?.forward).toEqual({
      busy: { voicemail: true },
      noAnswer: { voicemail: true },
    });
    expect(config.applicationUsers[0]).toMatchObject({ userId: 'ivr', groups: ['Standard CTI Enabled'] });
  });

  it('re-applying the same file MUST change nothing and keep the version', async () => {
    const first = await store.applyConfig(demo);
    const second = await store.applyConfig(demo);
    expect(second.changed).toBe(false);
    expect(second.version).toBe(first.version);
    expect(second.endUsers.unchanged).toBe(2);
  });

  it('export → apply onto an empty store → export MUST give the identical text', async () => {
    await store.applyConfig(demo);
    const exported = await store.exportConfig();
    await store.applyConfig({}, { prune: true });
    await store.applyConfig(parseConfigFile(exported, 'exported.yaml'));
    expect(await store.exportConfig()).toBe(exported);
  });

  it('secrets MUST never be stored in clear, and a stored password hash MUST verify', async () => {
    await store.applyConfig(demo);
    const everything = JSON.stringify(await store.loadConfig());
    expect(everything).not.toContain('demo-1001');
    expect(everything).not.toContain('demo-alice');
    const alice = (await store.loadConfig()).endUsers.find((user) => user.userId === 'alice');
    expect(await verifyPassword('demo-alice', alice?.passwordHash ?? '')).toBe(true);
    expect(await verifyPassword('wrong', alice?.passwordHash ?? '')).toBe(false);
  });

  it('the voicemail pilot MUST be a configured line, round-trip through export, and go with --prune when absent', async () => {
    await store.applyConfig(demo);
    const unknown = parseConfigFile('settings: { voicemailPilot: "6999" }\n', 'vm.yaml');
    await expect(store.applyConfig(unknown, { source: 'vm.yaml' })).rejects.toSatisfy(
      (error: unknown) =>
        isStrowgerError(error, ErrorCode.ConfigInvalid) && error.message.includes('6999 is not a configured line'),
    );
    const withPilot = parseConfigFile('settings: { voicemailPilot: "6000" }\nlines:\n  - { dn: "6000" }\n', 'vm.yaml');
    expect((await store.applyConfig(withPilot)).changed).toBe(true);
    expect((await store.loadConfig()).settings.voicemailPilot).toBe('6000');
    expect(await store.exportConfig()).toContain('voicemailPilot: "6000"');
    expect((await store.applyConfig(withPilot)).changed).toBe(false);
    await store.applyConfig(demo, { prune: true });
    expect((await store.loadConfig()).settings.voicemailPilot).toBe(demo.settings?.voicemailPilot);
  });

  it('a file with a broken reference MUST be refused whole, leaving the configuration as it was', async () => {
    await store.applyConfig(demo);
    const before = await store.exportConfig();
    const broken = parseConfigFile(
      'lines:\n  - { dn: "7000" }\ndevices:\n  - { name: SEPNEW, type: sip-phone, lines: ["7000"], sip: { username: "7000", password: "x" } }\nendUsers:\n  - { userId: carol, devices: [SEPNOPE], groups: ["No Such Group"] }\n',
      'broken.yaml',
    );
    await expect(store.applyConfig(broken, { source: 'broken.yaml' })).rejects.toSatisfy(
      (error: unknown) =>
        isStrowgerError(error, ErrorCode.ConfigInvalid) &&
        error.message.includes('device SEPNOPE does not exist') &&
        error.message.includes('"No Such Group" does not exist'),
    );
    expect(await store.exportConfig()).toBe(before);
  });

  it("a route point's line MUST default to CUCM's 5,000 calls and busy trigger 4,500; a phone's line MUST stay within 200", async () => {
    await store.applyConfig(
      parseConfigFile(
        'lines:\n  - { dn: "7000" }\n  - { dn: "7001", maxCalls: 10000, busyTrigger: 9000 }\ndevices:\n  - { name: RP1, type: cti-route-point, lines: ["7000", "7001"] }\n',
        'rp.yaml',
      ),
    );
    const lines = (await store.loadConfig()).lines;
    expect(lines.find((l) => l.dn === '7000')).toMatchObject({ maxCalls: 5000, busyTrigger: 4500 });
    expect(lines.find((l) => l.dn === '7001')).toMatchObject({ maxCalls: 10000, busyTrigger: 9000 });
    const before = await store.exportConfig();
    const tooMany = parseConfigFile(
      'lines:\n  - { dn: "7100", maxCalls: 500 }\ndevices:\n  - { name: SEPBIG, type: sip-phone, lines: ["7100"], sip: { username: "7100", password: "x" } }\n',
      'big.yaml',
    );
    await expect(store.applyConfig(tooMany)).rejects.toSatisfy(
      (error: unknown) =>
        isStrowgerError(error, ErrorCode.ConfigInvalid) &&
        error.message.includes(
          'lines[0]: maxCalls 500 is above 200, the most for a line of a phone or CTI port (SEPBIG)',
        ),
    );
    expect(await store.exportConfig()).toBe(before);
  });

  it("a device's line that is not declared under lines: MUST be refused, naming the device and the line", async () => {
    const before = await store.exportConfig();
    const undeclared = parseConfigFile(
      'devices:\n  - { name: SEPNEW, type: sip-phone, lines: ["7001"], sip: { username: "7001", password: "x" } }\n',
      'undeclared.yaml',
    );
    await expect(store.applyConfig(undeclared)).rejects.toSatisfy(
      (error: unknown) =>
        isStrowgerError(error, ErrorCode.ConfigInvalid) &&
        error.message.includes('device SEPNEW: line 7001 is not declared; add it under lines:'),
    );
    expect(await store.exportConfig()).toBe(before);
  });

  it('hunt pilots, hunt lists and line groups MUST be stored in order, and their references checked', async () => {
    await store.applyConfig(demo);
    const config = await store.loadConfig();
    expect(config.lineGroups.map((g) => `${g.name}: ${g.algorithm} ${g.members.join(',')}`)).toEqual([
      'sales-desks: longest-idle 1001,1002',
      'sales-overflow: top-down 1003',
    ]);
    expect(config.lineGroups[0]?.huntOptions).toEqual({
      noAnswer: 'try-next-member-then-group',
      busy: 'try-next-member-then-group',
      notAvailable: 'try-next-member-then-group',
    });
    expect(config.huntLists).toEqual([
      { name: 'sales', description: undefined, lineGroups: ['sales-desks', 'sales-overflow'] },
    ]);
    expect(config.huntPilots[0]).toMatchObject({
      pattern: '2000',
      maxHuntSeconds: 1800,
      forwardNoAnswer: { voicemail: true },
    });
    // Reordering members is a change, and only that group is rewritten.
    const reordered = await store.applyConfig(
      parseConfigFile(
        'lineGroups:\n  - { name: sales-desks, algorithm: longest-idle, members: ["1002", "1001"] }\n',
        'r.yaml',
      ),
    );
    expect(reordered.lineGroups).toMatchObject({ updated: 1, unchanged: 1 });
    expect((await store.loadConfig()).lineGroups[0]?.members).toEqual(['1002', '1001']);

    const broken = parseConfigFile(
      [
        'lineGroups:',
        '  - { name: bad, members: ["7777", "5000"] }',
        'huntLists:',
        '  - { name: nowhere, lineGroups: [missing] }',
        'huntPilots:',
        '  - { pattern: "1001", huntList: nolist }',
        '  - { pattern: "9[5-3]X", huntList: nolist }',
      ].join('\n'),
      'hunt.yaml',
    );
    await expect(store.applyConfig(broken, { source: 'hunt.yaml' })).rejects.toSatisfy(
      (error: unknown) =>
        isStrowgerError(error, ErrorCode.ConfigInvalid) &&
        error.message.includes('member 7777 is not a configured line') &&
        error.message.includes("member 5000 is a CTI route point's line") &&
        error.message.includes('line group missing does not exist') &&
        error.message.includes('hunt list nolist does not exist') &&
        error.message.includes('hunt pilot 1001: a line has the same number') &&
        error.message.includes('hunt pilot 9[5-3]X: "5-3" runs backwards; write "3-5"'),
    );
  });

  it('voicemail profiles MUST name a configured pilot, lines MUST name an existing profile, and both MUST round-trip', async () => {
    await store.applyConfig(demo);
    const file = [
      'voicemailProfiles:',
      '  - { name: sales-vm, pilot: "6100" }',
      'lines:',
      '  - { dn: "6100" }',
      '  - { dn: "1002", voicemailProfile: sales-vm }',
    ].join('\n');
    expect((await store.applyConfig(parseConfigFile(file, 'vm.yaml'))).voicemailProfiles.created).toBe(1);
    const config = await store.loadConfig();
    expect(config.voicemailProfiles).toEqual([{ name: 'sales-vm', description: undefined, pilot: '6100' }]);
    expect(config.lines.find((l) => l.dn === '1002')?.voicemailProfile).toBe('sales-vm');
    const exported = await store.exportConfig();
    expect(exported).toContain('voicemailProfile: sales-vm');
    expect(exported).toMatch(/voicemailProfiles:\n {2}- name: sales-vm\n {4}pilot: "6100"/);
    const broken = parseConfigFile(
      'voicemailProfiles:\n  - { name: gone, pilot: "6999" }\nlines:\n  - { dn: "1004", voicemailProfile: nope }\n',
      'bad.yaml',
    );
    await expect(store.applyConfig(broken)).rejects.toSatisfy(
      (error: unknown) =>
        isStrowgerError(error, ErrorCode.ConfigInvalid) &&
        error.message.includes('voicemail profile gone: pilot 6999 is not a configured line') &&
        error.message.includes('line 1004: voicemail profile nope does not exist'),
    );
  });

  it('prune MUST remove objects the file does not mention', async () => {
    await store.applyConfig(demo);
    const result = await store.applyConfig(
      parseConfigFile(
        'devices:\n  - { name: CTIRP_MAIN, type: cti-route-point, lines: ["5000"] }\nlines:\n  - { dn: "5000" }\n',
        'small.yaml',
      ),
      { prune: true },
    );
    expect(result.devices.removed).toBe(8);
    const config = await store.loadConfig();
    expect(config.devices.map((device) => device.name)).toEqual(['CTIRP_MAIN']);
    expect(config.lines.map((line) => line.dn)).toEqual(['5000']);
    expect(config.endUsers).toEqual([]);
  });

  it('an apply MUST audit each object it changes with its actor, and a dry run or an unchanged apply nothing', async () => {
    const before = (await store.listAuditEntries({ offset: 0, limit: 1 })).total;
    await store.applyConfig({ lines: [{ dn: '1001' }, { dn: '1002' }] }, { actor: 'test' });
    await store.applyConfig({ lines: [{ dn: '1001' }, { dn: '1002' }] }, { actor: 'test' });
    await store.applyConfig({ lines: [{ dn: '1003' }] }, { actor: 'test', dryRun: true });
    await store.applyConfig({ lines: [{ dn: '1002', description: 'Bob' }] }, { actor: 'someone else' });
    await store.applyConfig({}, { actor: 'remover', remove: { lines: ['1001'] } });
    const { entries, total } = await store.listAuditEntries({ offset: 0, limit: 10 });
    expect(total - before).toBe(4);
    expect(entries.slice(0, 4).map((e) => [e.actor, e.action, e.key])).toEqual([
      ['remover', 'delete', '1001'],
      ['someone else', 'update', '1002'],
      ['test', 'create', '1002'],
      ['test', 'create', '1001'],
    ]);
    expect(entries[1]).toMatchObject({
      resource: 'line',
      before: { dn: '1002' },
      after: { dn: '1002', description: 'Bob' },
    });
  });

  it('a precondition that throws MUST leave the configuration as it was', async () => {
    await store.applyConfig({ lines: [{ dn: '1001' }] });
    const version = (await store.loadConfig()).version;
    await expect(
      store.applyConfig(
        { lines: [{ dn: '1001', description: 'changed' }] },
        {
          precondition: () => {
            throw new Error('changed since it was read');
          },
        },
      ),
    ).rejects.toThrow('changed since it was read');
    const after = await store.loadConfig();
    expect(after.version).toBe(version);
    expect(after.lines[0]?.description).toBeUndefined();
  });

  it('removing an object others still use MUST be refused, naming the user', async () => {
    await store.applyConfig({
      lines: [{ dn: '1001' }],
      devices: [{ name: 'SEP1', type: 'sip-phone', lines: ['1001'], sip: { username: 'u1', password: 'p' } }],
    });
    await expect(store.applyConfig({}, { remove: { lines: ['1001'] } })).rejects.toThrow(/device SEP1: line 1001/);
    expect((await store.loadConfig()).lines.map((l) => l.dn)).toEqual(['1001']);
  });

  it('registration bindings MUST be stored per device, replaced whole, and read back only while unexpired', async () => {
    const now = Date.now();
    // A phone on the server's second network keeps the address it reached across a restart.
    const localAddress = (deviceName: string) => (deviceName === 'SEP-A' ? { localAddress: '198.51.100.1' } : {});
    const binding = (deviceName: string, contact: string, expiresInMs: number) => ({
      deviceName,
      contact,
      callId: `reg-${deviceName}`,
      cseq: 7,
      expiresAt: new Date(now + expiresInMs),
      userAgent: 'test phone',
      source: { protocol: 'udp', address: '192.0.2.10', port: 5062, ...localAddress(deviceName) },
      q: 0.5,
    });
    store.registrations.saveDevice('SEP-A', [binding('SEP-A', 'sip:a@192.0.2.10:5062', 60_000)]);
    // A phone that gave no User-Agent and no q-value.
    const plain = { ...binding('SEP-B', 'sip:b@192.0.2.11:5060', 60_000), userAgent: undefined, q: undefined };
    store.registrations.saveDevice('SEP-B', [plain, binding('SEP-B', 'sip:b@192.0.2.11:5070', -1_000)]);
    // The latest state of a device wins, in one write with the others.
    store.registrations.saveDevice('SEP-A', [binding('SEP-A', 'sip:a@192.0.2.10:5064', 120_000)]);
    const stored = await store.loadRegistrations(new Date(now));
    expect(stored.map((b) => b.contact).sort()).toEqual(['sip:a@192.0.2.10:5064', 'sip:b@192.0.2.11:5060']);
    expect(stored.find((b) => b.deviceName === 'SEP-A')).toEqual(binding('SEP-A', 'sip:a@192.0.2.10:5064', 120_000));
    expect(stored.find((b) => b.deviceName === 'SEP-B')).toEqual(plain);

    store.registrations.saveDevice('SEP-A', []);
    expect((await store.loadRegistrations(new Date(now))).map((b) => b.deviceName)).toEqual(['SEP-B']);
    expect(await store.loadRegistrations(new Date(now + 90_000))).toEqual([]);
  });

  it('call records MUST be stored in batches behind the calls and listed by end time, and export as CSV', async () => {
    const base = Date.UTC(2026, 10, 24, 9, 0, 0);
    const record = (n: number, extra: Partial<StoredCallRecord> = {}): StoredCallRecord => ({
      callId: `c${n}`,
      callingNumber: '1001',
      callingDevice: 'SEP000000001001',
      dialledNumber: '1002',
      originalCalledNumber: '1002',
      finalCalledNumber: '1002',
      calledDevice: 'SEP000000001002',
      startedAt: new Date(base + n * 60_000),
      answeredAt: new Date(base + n * 60_000 + 5000),
      endedAt: new Date(base + n * 60_000 + 35_000),
      cause: { reason: 'normal', q850: 16, sipStatus: 200 },
      releasedBy: 'caller',
      redirections: [],
      ...extra,
    });
    for (let n = 0; n < 250; n++) store.callRecords.write(record(n));
    store.callRecords.write(
      record(250, {
        callingDevice: undefined,
        answeredAt: undefined,
        finalCalledNumber: '6000',
        calledDevice: undefined,
        cause: { reason: 'busy', q850: 17, sipStatus: 486 },
        releasedBy: 'system',
        redirections: [{ from: '1002', to: '6000', reason: 'forward-busy' }],
      }),
    );
    // Text that an array literal must escape (records travel to the database as one array per column).
    const awkward = record(-1, {
      callingNumber: "a\"b,c{d}\\e 'f' NULL",
      callingDevice: 'NULL',
      releasedBy: '',
      redirections: [{ from: '{1}', to: '"2"', reason: 'x,y\\z' }],
    });
    store.callRecords.write(awkward);
    const all = await store.listCallRecords();
    expect(all).toHaveLength(252);
    expect(all[0]).toEqual(awkward);
    expect(all[1]).toEqual(record(0));
    const window = await store.listCallRecords({
      since: new Date(base + 100 * 60_000),
      until: new Date(base + 110 * 60_000),
    });
    expect(window.map((r) => r.callId)).toEqual([
      'c100',
      'c101',
      'c102',
      'c103',
      'c104',
      'c105',
      'c106',
      'c107',
      'c108',
      'c109',
    ]);
    const csv = callRecordsCsv(all.slice(-2)).split('\r\n');
    expect(csv[0]).toBe(callRecordCsvColumns.join(','));
    expect(csv[1]).toBe(
      'c249,1001,SEP000000001001,1002,1002,1002,SEP000000001002,2026-11-24T13:09:00.000Z,2026-11-24T13:09:05.000Z,2026-11-24T13:09:35.000Z,30,normal,16,200,caller,',
    );
    expect(csv[2]).toBe(
      'c250,1001,,1002,1002,6000,,2026-11-24T13:10:00.000Z,,2026-11-24T13:10:35.000Z,0,busy,17,486,system,1002>6000:forward-busy',
    );
  });

  it('a committed change MUST be announced to onChange listeners with the new version', async () => {
    const versions: number[] = [];
    const off = store.onChange((version) => versions.push(version));
    const result = await store.applyConfig(demo);
    off();
    expect(versions).toContain(result.version);
  });
});

describe('store on a PostgreSQL server, two processes', () => {
  it('a change committed by one connection MUST be notified to another', async () => {
    const database = await createTestDatabase();
    const writer = await openStore({ url: database.url });
    const reader = await openStore({ url: database.url });
    try {
      const seen = new Promise<number>((resolve) => reader.onChange(resolve));
      const result = await writer.applyConfig(parseConfigFile('lines:\n  - { dn: "1234" }\n', 'one.yaml'));
      expect(await seen).toBe(result.version);
      expect((await reader.loadConfig()).lines.map((line) => line.dn)).toEqual(['1234']);
    } finally {
      await writer.close();
      await reader.close();
      await database.drop();
    }
  });
});

describe('embedded store on disk', () => {
  it('reopening a data directory MUST keep the configuration', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'strowger-reopen-'));
    try {
      const first = await openStore({ dataDir });
      await first.applyConfig(parseConfigFile('lines:\n  - { dn: "4321", description: kept }\n', 'keep.yaml'));
      await first.close();
      const second = await openStore({ dataDir });
      expect((await second.loadConfig()).lines).toMatchObject([{ dn: '4321', description: 'kept' }]);
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
