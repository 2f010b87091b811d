import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, LoginThrottle, silentLogger } from '../core/index.js';
import { openStore, parseConfigFile, type Store } from '../store/index.js';
import { createAdminServer } from './http-server.js';
import type { AdminApp } from './routes/config-objects.js';

const demo = parseConfigFile(readFileSync(new URL('../../config/demo.yaml', import.meta.url), 'utf8'), 'demo.yaml');

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const admin = basic('admin', 'admin-password-1');
const reader = basic('reader', 'reader-password-1');

interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}
interface ProblemBody {
  status: number;
  code: string;
  detail: string;
  errors?: Array<{ field: string; message: string }>;
}

describe('admin REST API on a real store', () => {
  let dataDir: string;
  let store: Store;
  let app: AdminApp;
  // The throttle's clock only moves when a test moves it, so lock-outs do not fade mid-test.
  const clock = new FakeClock();

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'strowger-admin-api-'));
    store = await openStore({ dataDir });
    await store.applyConfig(demo, { actor: 'test setup' });
    await store.adminAccounts.create({ username: 'admin', password: 'admin-password-1', role: 'admin' }, 'test');
    await store.adminAccounts.create({ username: 'reader', password: 'reader-password-1', role: 'read-only' }, 'test');
    app = await createAdminServer({
      registrations: { listDevices: () => [] },
      store,
      auth: { throttle: new LoginThrottle({ clock, service: 'admin' }) },
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

  describe('authentication and roles', () => {
    it('a request without credentials MUST get 401 with a Basic challenge, and the public routes none', async () => {
      const response = await app.inject({ url: '/api/v1/lines' });
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.headers['www-authenticate']).toContain('Basic');
      expect(response.json<ProblemBody>().code).toBe('AUTHENTICATION_FAILED');
      expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
      expect((await app.inject({ url: '/api/v1/openapi.json' })).statusCode).toBe(200);
    });

    it('a page asking with X-Requested-With MUST get its 401 without a challenge (no browser password dialog)', async () => {
      const response = await app.inject({ url: '/api/v1/lines', headers: { 'x-requested-with': 'XMLHttpRequest' } });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBeUndefined();
    });

    it('a wrong password MUST get 401, and a read-only account MUST get 403 on a change but 200 on a read', async () => {
      const wrong = await app.inject({ url: '/api/v1/lines', headers: { authorization: basic('admin', 'nope') } });
      expect(wrong.statusCode).toBe(401);
      expect((await app.inject({ url: '/api/v1/lines', headers: { authorization: reader } })).statusCode).toBe(200);
      const change = await app.inject({
        method: 'POST',
        url: '/api/v1/lines',
        headers: { authorization: reader },
        payload: { dn: '7777' },
      });
      expect(change.statusCode).toBe(403);
      expect(change.json<ProblemBody>().code).toBe('PRIVILEGE_VIOLATION');
      // The configuration export carries hashes: full admins only.
      expect((await app.inject({ url: '/api/v1/config', headers: { authorization: reader } })).statusCode).toBe(403);
    });

    it('repeated failed logins from one source MUST be refused with 429 and Retry-After, even with the right password', async () => {
      const from = '198.51.100.7';
      let last = 0;
      for (let i = 0; i < 12; i++) {
        const response = await app.inject({
          url: '/api/v1/auth/me',
          remoteAddress: from,
          headers: { authorization: basic(`guess${i}`, 'wrong') },
        });
        last = response.statusCode;
      }
      expect(last).toBe(429);
      const right = await app.inject({
        url: '/api/v1/auth/me',
        remoteAddress: from,
        headers: { authorization: admin },
      });
      expect(right.statusCode).toBe(429);
      expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
      expect(right.json<ProblemBody>().code).toBe('ACCOUNT_LOCKED');
      clock.advance(3_600_000);
    });

    it('a session MUST be an HttpOnly SameSite=Strict cookie, and a change with it MUST carry the CSRF token', async () => {
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'admin', password: 'admin-password-1' },
      });
      expect(login.statusCode).toBe(200);
      const cookie = String(login.headers['set-cookie']);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      const session = cookie.split(';')[0]!;
      const { csrfToken } = login.json<{ csrfToken: string }>();
      const me = await app.inject({ url: '/api/v1/auth/me', headers: { cookie: session } });
      expect(me.json()).toMatchObject({ username: 'admin', role: 'admin', via: 'session' });
      const body = { dn: '7001', description: 'made in a session' };
      const forged = await app.inject({
        method: 'POST',
        url: '/api/v1/lines',
        headers: { cookie: session },
        payload: body,
      });
      expect(forged.statusCode).toBe(403);
      const made = await app.inject({
        method: 'POST',
        url: '/api/v1/lines',
        headers: { cookie: session, 'x-csrf-token': csrfToken },
        payload: body,
      });
      expect(made.statusCode).toBe(201);
      const logout = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        headers: { cookie: session, 'x-csrf-token': csrfToken },
      });
      expect(logout.statusCode).toBe(204);
      expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie: session } })).statusCode).toBe(401);
    });

    it('a bearer token MUST authenticate with its account role until it is revoked', async () => {
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/tokens',
        headers: { authorization: reader },
        payload: { description: 'prometheus' },
      });
      expect(created.statusCode).toBe(201);
      const { token, id } = created.json<{ token: string; id: string }>();
      const bearer = `Bearer ${token}`;
      const me = await app.inject({ url: '/api/v1/auth/me', headers: { authorization: bearer } });
      expect(me.json()).toMatchObject({ username: 'reader', role: 'read-only', via: 'bearer' });
      const write = await app.inject({
        method: 'DELETE',
        url: '/api/v1/lines/7001',
        headers: { authorization: bearer },
      });
      expect(write.statusCode).toBe(403);
      const revoke = await app.inject({
        method: 'DELETE',
        url: `/api/v1/auth/tokens/${id}`,
        headers: { authorization: bearer },
      });
      expect(revoke.statusCode).toBe(204);
      expect((await app.inject({ url: '/api/v1/auth/me', headers: { authorization: bearer } })).statusCode).toBe(401);
    });
  });

  describe('configuration objects', () => {
    it('lists MUST page, filter and sort, and say how many match in all', async () => {
      const first = await app.inject({ url: '/api/v1/devices?limit=3&sort=name', headers: { authorization: admin } });
      const page = first.json<Page<{ name: string }>>();
      expect(page.total).toBe(demo.devices?.length);
      expect(page.items.map((d) => d.name)).toEqual(['CTIPORT_5101', 'CTIPORT_5102', 'CTIPORT_5103']);
      const second = await app.inject({
        url: '/api/v1/devices?limit=3&offset=3&sort=name',
        headers: { authorization: admin },
      });
      expect(second.json<Page<{ name: string }>>().items.map((d) => d.name)).toEqual([
        'CTIPORT_5104',
        'CTIRP_MAIN',
        'SEP000000001001',
      ]);
      const phones = await app.inject({
        url: '/api/v1/devices?type=sip-phone&sort=-name&line=1001',
        headers: { authorization: admin },
      });
      expect(phones.json<Page<{ name: string }>>().items.map((d) => d.name)).toEqual([
        'SEP000000001003',
        'SEP000000001001',
      ]);
      const search = await app.inject({ url: '/api/v1/end-users?q=BOB', headers: { authorization: admin } });
      expect(search.json<Page<{ userId: string }>>().items.map((u) => u.userId)).toEqual(['bob']);
    });

    it('reads MUST leave secrets out, and a read object MUST apply back unchanged', async () => {
      const response = await app.inject({ url: '/api/v1/devices/SEP000000001001', headers: { authorization: admin } });
      const device = response.json<Record<string, unknown>>();
      expect(device).toEqual({
        name: 'SEP000000001001',
        type: 'sip-phone',
        description: "Alice's desk phone",
        lines: ['1001'],
        sip: { username: '1001' },
      });
      const put = await app.inject({
        method: 'PUT',
        url: '/api/v1/devices/SEP000000001001',
        headers: { authorization: admin, 'if-match': String(response.headers.etag) },
        payload: device,
      });
      expect(put.statusCode).toBe(200);
      // Nothing changed, the SIP secret included, so the tag did not either.
      expect(put.headers.etag).toBe(response.headers.etag);
    });

    it('a body that fails validation MUST get 400 problem+json naming each field', async () => {
      const bad = await app.inject({
        method: 'POST',
        url: '/api/v1/lines',
        headers: { authorization: admin },
        payload: { dn: 'abc', colour: 'red', maxCalls: 0 },
      });
      expect(bad.statusCode).toBe(400);
      const problem = bad.json<ProblemBody>();
      expect(problem.code).toBe('INVALID_ARGUMENT');
      const fields = problem.errors?.map((e) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['body.dn', 'body.colour', 'body.maxCalls']));
      expect(problem.detail).toContain('body.colour');
      const query = await app.inject({ url: '/api/v1/lines?limit=5000', headers: { authorization: admin } });
      expect(query.json<ProblemBody>().errors?.[0]?.field).toBe('query.limit');
    });

    it('a change the configuration rules refuse MUST get 400 naming the body and what to do, and change nothing', async () => {
      const trigger = await app.inject({
        method: 'PUT',
        url: '/api/v1/lines/1003',
        headers: { authorization: admin },
        payload: { dn: '1003', maxCalls: 2, busyTrigger: 3 },
      });
      expect(trigger.statusCode).toBe(400);
      const problem = trigger.json<ProblemBody>();
      expect(problem.code).toBe('CONFIG_INVALID');
      expect(problem.errors?.[0]).toMatchObject({ field: 'body' });
      expect(problem.errors?.[0]?.message).toContain('busyTrigger 3 is above maxCalls 2');
      const inUse = await app.inject({
        method: 'DELETE',
        url: '/api/v1/lines/1002',
        headers: { authorization: admin },
      });
      expect(inUse.statusCode).toBe(400);
      expect(inUse.json<ProblemBody>().detail).toContain('SEP000000001002');
      const still = await app.inject({ url: '/api/v1/lines/1002', headers: { authorization: admin } });
      expect(still.statusCode).toBe(200);
    });

    it('a PUT with a stale If-Match MUST get 412 and change nothing; with the current tag it MUST apply', async () => {
      const read = await app.inject({ url: '/api/v1/lines/1003', headers: { authorization: admin } });
      const etag = String(read.headers.etag);
      const first = await app.inject({
        method: 'PUT',
        url: '/api/v1/lines/1003',
        headers: { authorization: admin, 'if-match': etag },
        payload: { dn: '1003', description: 'Front desk' },
      });
      expect(first.statusCode).toBe(200);
      expect(first.headers.etag).not.toBe(etag);
      const stale = await app.inject({
        method: 'PUT',
        url: '/api/v1/lines/1003',
        headers: { authorization: admin, 'if-match': etag },
        payload: { dn: '1003', description: 'Lobby' },
      });
      expect(stale.statusCode).toBe(412);
      expect(stale.json<ProblemBody>().code).toBe('INVALID_STATE');
      const now = await app.inject({ url: '/api/v1/lines/1003', headers: { authorization: admin } });
      expect(now.json()).toMatchObject({ description: 'Front desk' });
      const staleDelete = await app.inject({
        method: 'DELETE',
        url: '/api/v1/lines/1003',
        headers: { authorization: admin, 'if-match': etag },
      });
      expect(staleDelete.statusCode).toBe(412);
    });

    it('creating what exists MUST get 409, a renaming PUT 400, an unknown key 404', async () => {
      const exists = await app.inject({
        method: 'POST',
        url: '/api/v1/lines',
        headers: { authorization: admin },
        payload: { dn: '1001' },
      });
      expect(exists.statusCode).toBe(409);
      const rename = await app.inject({
        method: 'PUT',
        url: '/api/v1/lines/1004',
        headers: { authorization: admin },
        payload: { dn: '1005' },
      });
      expect(rename.statusCode).toBe(400);
      expect(rename.json<ProblemBody>().errors?.[0]?.field).toBe('body.dn');
      expect((await app.inject({ url: '/api/v1/lines/9999', headers: { authorization: admin } })).statusCode).toBe(404);
    });

    it('every change MUST leave one audit entry with who, when, what, before and after', async () => {
      const create = await app.inject({
        method: 'POST',
        url: '/api/v1/lines',
        headers: { authorization: admin },
        payload: { dn: '7100', description: 'audited' },
      });
      expect(create.statusCode).toBe(201);
      const update = await app.inject({
        method: 'PUT',
        url: '/api/v1/lines/7100',
        headers: { authorization: admin },
        payload: { dn: '7100', description: 'audited', forward: { all: { destination: '1002' } } },
      });
      expect(update.statusCode).toBe(200);
      const remove = await app.inject({
        method: 'DELETE',
        url: '/api/v1/lines/7100',
        headers: { authorization: admin },
      });
      expect(remove.statusCode).toBe(204);
      const log = await app.inject({
        url: '/api/v1/audit-log?resource=line&key=7100',
        headers: { authorization: reader },
      });
      const entries = log.json<Page<Record<string, unknown>>>().items;
      expect(entries.map((e) => e.action)).toEqual(['delete', 'update', 'create']);
      expect(entries.every((e) => e.actor === 'admin' && typeof e.at === 'string')).toBe(true);
      expect(entries[1]).toMatchObject({
        before: { dn: '7100', description: 'audited' },
        after: { dn: '7100', forward: { all: { destination: '1002' } } },
      });
      expect(entries[0]).toMatchObject({ after: null, before: { dn: '7100' } });
    });

    it('an audit entry MUST say a password changed without showing it', async () => {
      const put = await app.inject({
        method: 'PUT',
        url: '/api/v1/end-users/alice',
        headers: { authorization: admin },
        payload: {
          userId: 'alice',
          displayName: 'Alice Example',
          password: 'a-new-secret',
          devices: ['SEP000000001001'],
          primaryExtension: '1001',
          groups: ['Standard CTI Enabled'],
        },
      });
      expect(put.statusCode).toBe(200);
      expect(JSON.stringify(put.json())).not.toContain('scrypt');
      const log = await app.inject({
        url: '/api/v1/audit-log?resource=end-user&key=alice&limit=1',
        headers: { authorization: admin },
      });
      const [entry] = log.json<Page<Record<string, unknown>>>().items;
      expect(entry?.note).toContain('password');
      expect(JSON.stringify(entry)).not.toMatch(/scrypt|a-new-secret/);
    });

    it("a device's lines MUST be settable in button order, checked like the file", async () => {
      const set = await app.inject({
        method: 'PUT',
        url: '/api/v1/devices/SEP000000001004/lines',
        headers: { authorization: admin },
        payload: { lines: ['1004', '1002'] },
      });
      expect(set.statusCode).toBe(200);
      expect(set.json()).toEqual({ lines: ['1004', '1002'] });
      const unknown = await app.inject({
        method: 'PUT',
        url: '/api/v1/devices/SEP000000001004/lines',
        headers: { authorization: admin },
        payload: { lines: ['8888'] },
      });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json<ProblemBody>().detail).toContain('8888');
    });

    it("a user's controlled devices and groups MUST be settable on their own, keeping the rest of the user", async () => {
      const read = await app.inject({
        url: '/api/v1/application-users/ivr/devices',
        headers: { authorization: admin },
      });
      expect(read.json<{ devices: string[] }>().devices).toContain('CTIRP_MAIN');
      const set = await app.inject({
        method: 'PUT',
        url: '/api/v1/application-users/ivr/devices',
        headers: { authorization: admin, 'if-match': String(read.headers.etag) },
        payload: { devices: ['CTIRP_MAIN', 'CTIPORT_5101'] },
      });
      expect(set.json()).toEqual({ devices: ['CTIPORT_5101', 'CTIRP_MAIN'] });
      const stale = await app.inject({
        method: 'PUT',
        url: '/api/v1/application-users/ivr/groups',
        headers: { authorization: admin, 'if-match': String(read.headers.etag) },
        payload: { groups: [] },
      });
      expect(stale.statusCode).toBe(412);
      const groups = await app.inject({
        method: 'PUT',
        url: '/api/v1/application-users/ivr/groups',
        headers: { authorization: admin },
        payload: { groups: ['Standard CTI Enabled', 'Standard CTI Allow Call Monitoring'] },
      });
      expect(groups.statusCode).toBe(200);
      const user = await app.inject({ url: '/api/v1/application-users/ivr', headers: { authorization: admin } });
      expect(user.json()).toEqual({
        userId: 'ivr',
        devices: ['CTIPORT_5101', 'CTIRP_MAIN'],
        groups: ['Standard CTI Allow Call Monitoring', 'Standard CTI Enabled'],
      });
      const unknown = await app.inject({
        method: 'PUT',
        url: '/api/v1/end-users/alice/groups',
        headers: { authorization: admin },
        payload: { groups: ['Standard CTI Everything'] },
      });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json<ProblemBody>().detail).toContain('Standard CTI Everything');
    });

    it('settings MUST be read and changed with ETags, and a YAML file applied with a dry run first', async () => {
      const read = await app.inject({ url: '/api/v1/settings', headers: { authorization: admin } });
      expect(read.json()).toMatchObject({ sipRealm: 'strowger', voicemailPilot: '5000' });
      const yaml = 'lines:\n  - { dn: "7200", description: from a file }\n';
      const dry = await app.inject({
        method: 'POST',
        url: '/api/v1/config/apply?dryRun=true',
        headers: { authorization: admin, 'content-type': 'application/yaml' },
        payload: yaml,
      });
      expect(dry.json()).toMatchObject({ dryRun: true, changed: true, lines: { created: 1 } });
      expect((await app.inject({ url: '/api/v1/lines/7200', headers: { authorization: admin } })).statusCode).toBe(404);
      const bad = await app.inject({
        method: 'POST',
        url: '/api/v1/config/apply',
        headers: { authorization: admin, 'content-type': 'application/yaml' },
        payload: 'lines:\n  - { dn: 7200 }\n',
        query: { source: 'site.yaml' },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json<ProblemBody>().detail).toContain('site.yaml:2');
      expect(bad.json<ProblemBody>().errors?.[0]).toMatchObject({ field: 'lines[0].dn' });
      const real = await app.inject({
        method: 'POST',
        url: '/api/v1/config/apply',
        headers: { authorization: admin, 'content-type': 'application/yaml' },
        payload: yaml,
      });
      expect(real.json()).toMatchObject({ dryRun: false, changed: true });
      expect((await app.inject({ url: '/api/v1/lines/7200', headers: { authorization: admin } })).statusCode).toBe(200);
    });
  });

  describe('admin accounts', () => {
    it('the last full admin MUST NOT be deleted or made read-only, and account changes MUST be audited', async () => {
      const demote = await app.inject({
        method: 'PUT',
        url: '/api/v1/admin-accounts/admin',
        headers: { authorization: admin },
        payload: { role: 'read-only' },
      });
      expect(demote.statusCode).toBe(409);
      const made = await app.inject({
        method: 'POST',
        url: '/api/v1/admin-accounts',
        headers: { authorization: admin },
        payload: { username: 'carol', password: 'short', role: 'admin' },
      });
      expect(made.statusCode).toBe(400);
      expect(made.json<ProblemBody>().errors?.[0]?.field).toBe('body.password');
      const ok = await app.inject({
        method: 'POST',
        url: '/api/v1/admin-accounts',
        headers: { authorization: admin },
        payload: { username: 'carol', password: 'carols-password', role: 'read-only' },
      });
      expect(ok.statusCode).toBe(201);
      const gone = await app.inject({
        method: 'DELETE',
        url: '/api/v1/admin-accounts/carol',
        headers: { authorization: admin },
      });
      expect(gone.statusCode).toBe(204);
      const log = await app.inject({
        url: '/api/v1/audit-log?resource=admin-account&key=carol',
        headers: { authorization: admin },
      });
      expect(log.json<Page<{ action: string }>>().items.map((e) => e.action)).toEqual(['delete', 'create']);
    });
  });
});
