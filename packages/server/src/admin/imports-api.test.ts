import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/index.js';
import { openStore, parseConfigFile, type ImportStatus, type Store } from '../store/index.js';
import { createAdminServer } from './http-server.js';
import type { AdminApp } from './routes/config-objects.js';

const demo = parseConfigFile(readFileSync(new URL('../../config/demo.yaml', import.meta.url), 'utf8'), 'demo.yaml');
const admin = `Basic ${Buffer.from('admin:admin-password-1').toString('base64')}`;
const reader = `Basic ${Buffer.from('reader:reader-password-1').toString('base64')}`;

describe('bulk import over the admin API', () => {
  let dataDir: string;
  let store: Store;
  let app: AdminApp;
  const followed: number[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'strowger-imports-'));
    store = await openStore({ dataDir });
    await store.applyConfig(demo, { actor: 'test setup' });
    await store.adminAccounts.create({ username: 'admin', password: 'admin-password-1', role: 'admin' }, 'test');
    await store.adminAccounts.create({ username: 'reader', password: 'reader-password-1', role: 'read-only' }, 'test');
    app = await createAdminServer({
      registrations: { listDevices: () => [] },
      store,
      configFollowed: async (version) => {
        followed.push(version);
      },
      auth: {},
      health: { check: () => ({ store: { ok: true } }) },
      metrics: new Registry(),
      logger: false,
      errorLog: silentLogger,
    });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Posts a file and reads its status until it is done or failed, keeping every status seen. */
  async function importFile(csv: string, query: string): Promise<{ final: ImportStatus; seen: ImportStatus[] }> {
    const posted = await app.inject({
      method: 'POST',
      url: `/api/v1/imports?${query}`,
      headers: { authorization: admin, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(posted.statusCode, posted.body).toBe(202);
    const { id } = posted.json<{ id: string }>();
    const seen: ImportStatus[] = [];
    for (;;) {
      const status = (
        await app.inject({ url: `/api/v1/imports/${id}`, headers: { authorization: admin } })
      ).json<ImportStatus>();
      seen.push(status);
      if (status.state === 'done' || status.state === 'failed') return { final: status, seen };
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  const lines = (count: number, from: number) =>
    `dn,description,forward.noAnswer,maxCalls\n${Array.from({ length: count }, (_, i) => `${from + i},Imported ${i},voicemail,3`).join('\n')}\n`;

  it('a dry run MUST report every problem by row and column and change nothing', async () => {
    const before = await store.configVersion();
    const { final } = await importFile(
      'dn,maxCalls,busyTrigger,voicemailProfile\n6001,2,1,\n6002,x,1,\n6001,2,1,\n6004,2,1,Nowhere\n',
      'dryRun=true',
    );
    expect(final.state).toBe('failed');
    expect(final.problems.map((p) => [p.row, p.column])).toEqual([
      [3, 'maxCalls'],
      [4, 'dn'],
      [5, 'voicemailProfile'],
    ]);
    expect(await store.configVersion()).toBe(before);
  });

  it('a clean dry run MUST count what would be created and still change nothing', async () => {
    const before = await store.configVersion();
    const { final } = await importFile(lines(3, 6100), 'dryRun=true&source=lines.csv');
    expect(final.problems).toEqual([]);
    expect(final.state).toBe('done');
    expect(final.summary).toMatchObject({ kind: 'lines', dryRun: true, rows: 3, created: 3, updated: 0 });
    expect(await store.configVersion()).toBe(before);
    expect((await store.loadConfig()).lines.some((line) => line.dn === '6100')).toBe(false);
  });

  it('an apply MUST create every row in one change the engine follows, with progress reaching the total and one audit entry', async () => {
    const { final, seen } = await importFile(lines(1500, 6200), 'dryRun=false&source=lines.csv');
    expect(final.problems).toEqual([]);
    expect(final).toMatchObject({ state: 'done', progress: { done: 1500, total: 1500 } });
    expect(final.summary).toMatchObject({ kind: 'lines', rows: 1500, created: 1500 });
    for (const status of seen) expect(status.progress.done).toBeLessThanOrEqual(status.progress.total);
    const snapshot = await store.loadConfig();
    expect(snapshot.lines.filter((line) => Number(line.dn) >= 6200 && Number(line.dn) < 7700)).toHaveLength(1500);
    expect(snapshot.lines.find((line) => line.dn === '6201')).toMatchObject({
      description: 'Imported 1',
      forward: { noAnswer: { voicemail: true } },
      maxCalls: 3,
    });
    expect(followed).toContain(final.summary.version);
    const audit = await store.listAuditEntries({ resource: 'bulk-import', offset: 0, limit: 10 });
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]).toMatchObject({
      actor: 'admin',
      key: final.id,
      after: { kind: 'lines', source: 'lines.csv', rows: 1500, changes: { lines: { created: 1500 } } },
    });
  });

  it('phones and users that refer to the imported lines MUST apply; an import with one bad row MUST apply nothing', async () => {
    const phones = await importFile(
      'name,description,lines,sip.username,sip.password,allowCtiControl\n' +
        'SEP0000000A6200,Desk 6200,6200;6201,u6200,pw-6200,true\n' +
        'SEP0000000A6202,Desk 6202,6202,u6202,pw-6202,false\n',
      '',
    );
    expect(phones.final.problems).toEqual([]);
    expect(phones.final.summary).toMatchObject({ kind: 'phones', created: 2 });
    const version = await store.configVersion();
    const users = await importFile(
      'userId,displayName,primaryExtension,devices,groups,pin\n' +
        'u6200,User 6200,6200,SEP0000000A6200,Standard CTI Enabled,12345\n' +
        'u6202,User 6202,6202,SEP0000000A6202;SEP_MISSING,,12345\n',
      'kind=users',
    );
    expect(users.final.state).toBe('failed');
    expect(users.final.problems).toEqual([
      { row: 3, column: 'devices', message: 'device "SEP_MISSING" does not exist; import the phones first' },
    ]);
    expect(await store.configVersion()).toBe(version);
    expect((await store.loadConfig()).endUsers.some((user) => user.userId === 'u6200')).toBe(false);
    const fixed = await importFile(
      'userId,displayName,primaryExtension,devices,groups,pin\n' +
        'u6200,User 6200,6200,SEP0000000A6200,Standard CTI Enabled,12345\n' +
        'u6202,User 6202,6202,SEP0000000A6202,,12345\n',
      'kind=users',
    );
    expect(fixed.final.summary).toMatchObject({ kind: 'users', created: 2 });
    const snapshot = await store.loadConfig();
    expect(snapshot.devices.find((device) => device.name === 'SEP0000000A6200')).toMatchObject({
      lines: ['6200', '6201'],
      sip: { username: 'u6200' },
    });
    expect(snapshot.endUsers.find((user) => user.userId === 'u6200')).toMatchObject({
      devices: ['SEP0000000A6200'],
      groups: ['Standard CTI Enabled'],
      primaryExtension: '6200',
      pinHash: expect.stringMatching(/^scrypt\$/),
    });
  });

  it('a read-only account MUST NOT import, and an unknown import id MUST get 404', async () => {
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/imports?dryRun=true',
      headers: { authorization: reader, 'content-type': 'text/csv' },
      payload: 'dn\n6999\n',
    });
    expect(refused.statusCode).toBe(403);
    const missing = await app.inject({ url: '/api/v1/imports/nope', headers: { authorization: admin } });
    expect(missing.statusCode).toBe(404);
  });
});
