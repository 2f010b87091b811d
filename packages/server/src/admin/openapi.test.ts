import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CtiConfiguration } from '../cti/index.js';
import { silentLogger } from '../core/index.js';
import { openStore, parseConfigFile, type Store } from '../store/index.js';
import type { CallView } from './call-view.js';
import type { DeviceView } from './device-view.js';
import type { SipTraceItem } from './routes/sip-trace.js';
import { createAdminServer } from './http-server.js';
import type { AdminApp } from './routes/config-objects.js';

const demo = parseConfigFile(readFileSync(new URL('../../config/demo.yaml', import.meta.url), 'utf8'), 'demo.yaml');
const authorization = `Basic ${Buffer.from('admin:admin-password-1').toString('base64')}`;

/** One call of one operation: the path with its parameters filled in, and the body if it takes one. */
interface Example {
  operation: string;
  url: string;
  body?: unknown;
  contentType?: string;
}

/**
 * An example for every operation, in an order that works (created before read, read before deleted).
 * An operation in the document without an example here fails the test, so the list grows with the API.
 */
const examples: Example[] = [
  { operation: 'GET /healthz', url: '/healthz' },
  { operation: 'GET /metrics', url: '/metrics' },
  { operation: 'GET /api/v1/status', url: '/api/v1/status' },
  { operation: 'GET /api/v1/log-level', url: '/api/v1/log-level' },
  { operation: 'PUT /api/v1/log-level', url: '/api/v1/log-level', body: { level: 'debug' } },
  {
    operation: 'POST /api/v1/auth/login',
    url: '/api/v1/auth/login',
    body: { username: 'admin', password: 'admin-password-1' },
  },
  { operation: 'GET /api/v1/auth/me', url: '/api/v1/auth/me' },
  { operation: 'POST /api/v1/auth/tokens', url: '/api/v1/auth/tokens', body: { description: 'openapi test' } },
  { operation: 'GET /api/v1/auth/tokens', url: '/api/v1/auth/tokens' },
  { operation: 'DELETE /api/v1/auth/tokens/{id}', url: '/api/v1/auth/tokens/{token}' },
  { operation: 'POST /api/v1/lines', url: '/api/v1/lines', body: { dn: '7300', description: 'an example' } },
  { operation: 'GET /api/v1/lines', url: '/api/v1/lines?limit=2' },
  { operation: 'GET /api/v1/lines/{dn}', url: '/api/v1/lines/7300' },
  {
    operation: 'PUT /api/v1/lines/{dn}',
    url: '/api/v1/lines/7300',
    body: { dn: '7300', forward: { all: { voicemail: true } } },
  },
  {
    operation: 'POST /api/v1/devices',
    url: '/api/v1/devices',
    body: { name: 'CTIPORT_7300', type: 'cti-port', lines: ['7300'] },
  },
  { operation: 'GET /api/v1/devices', url: '/api/v1/devices?type=cti-port' },
  { operation: 'GET /api/v1/devices/{name}', url: '/api/v1/devices/CTIPORT_7300' },
  {
    operation: 'PUT /api/v1/devices/{name}',
    url: '/api/v1/devices/CTIPORT_7300',
    body: { name: 'CTIPORT_7300', type: 'cti-port', lines: ['7300'], allowCtiControl: false },
  },
  { operation: 'GET /api/v1/devices/{name}/lines', url: '/api/v1/devices/CTIPORT_7300/lines' },
  {
    operation: 'PUT /api/v1/devices/{name}/lines',
    url: '/api/v1/devices/CTIPORT_7300/lines',
    body: { lines: ['7300'] },
  },
  {
    operation: 'POST /api/v1/voicemail-profiles',
    url: '/api/v1/voicemail-profiles',
    body: { name: 'sales', pilot: '5000' },
  },
  { operation: 'GET /api/v1/voicemail-profiles', url: '/api/v1/voicemail-profiles' },
  { operation: 'GET /api/v1/voicemail-profiles/{name}', url: '/api/v1/voicemail-profiles/sales' },
  {
    operation: 'PUT /api/v1/voicemail-profiles/{name}',
    url: '/api/v1/voicemail-profiles/sales',
    body: { name: 'sales', pilot: '5000', description: 'Sales mailboxes' },
  },
  {
    operation: 'POST /api/v1/device-profiles',
    url: '/api/v1/device-profiles',
    body: { name: 'hotdesk-7300', lines: ['7300'] },
  },
  { operation: 'GET /api/v1/device-profiles', url: '/api/v1/device-profiles?line=7300' },
  { operation: 'GET /api/v1/device-profiles/{name}', url: '/api/v1/device-profiles/hotdesk-7300' },
  {
    operation: 'PUT /api/v1/device-profiles/{name}',
    url: '/api/v1/device-profiles/hotdesk-7300',
    body: { name: 'hotdesk-7300', lines: ['7300'], allowCtiControl: false },
  },
  { operation: 'POST /api/v1/line-groups', url: '/api/v1/line-groups', body: { name: 'ivr', members: ['7300'] } },
  { operation: 'GET /api/v1/line-groups', url: '/api/v1/line-groups?member=7300' },
  { operation: 'GET /api/v1/line-groups/{name}', url: '/api/v1/line-groups/ivr' },
  {
    operation: 'PUT /api/v1/line-groups/{name}',
    url: '/api/v1/line-groups/ivr',
    body: { name: 'ivr', algorithm: 'circular', members: ['7300'] },
  },
  { operation: 'POST /api/v1/hunt-lists', url: '/api/v1/hunt-lists', body: { name: 'ivr', lineGroups: ['ivr'] } },
  { operation: 'GET /api/v1/hunt-lists', url: '/api/v1/hunt-lists' },
  { operation: 'GET /api/v1/hunt-lists/{name}', url: '/api/v1/hunt-lists/ivr' },
  {
    operation: 'PUT /api/v1/hunt-lists/{name}',
    url: '/api/v1/hunt-lists/ivr',
    body: { name: 'ivr', lineGroups: ['ivr'], description: 'IVR ports' },
  },
  { operation: 'POST /api/v1/hunt-pilots', url: '/api/v1/hunt-pilots', body: { pattern: '7399', huntList: 'ivr' } },
  { operation: 'GET /api/v1/hunt-pilots', url: '/api/v1/hunt-pilots?sort=-pattern' },
  { operation: 'GET /api/v1/hunt-pilots/{pattern}', url: '/api/v1/hunt-pilots/7399' },
  {
    operation: 'PUT /api/v1/hunt-pilots/{pattern}',
    url: '/api/v1/hunt-pilots/7399',
    body: { pattern: '7399', huntList: 'ivr', maxHuntSeconds: 60 },
  },
  {
    operation: 'POST /api/v1/end-users',
    url: '/api/v1/end-users',
    body: { userId: 'dave', password: 'dave-secret', groups: ['Standard CTI Enabled'] },
  },
  { operation: 'GET /api/v1/end-users', url: '/api/v1/end-users?group=Standard%20CTI%20Enabled' },
  { operation: 'GET /api/v1/end-users/{userId}', url: '/api/v1/end-users/dave' },
  {
    operation: 'PUT /api/v1/end-users/{userId}',
    url: '/api/v1/end-users/dave',
    body: { userId: 'dave', displayName: 'Dave' },
  },
  {
    operation: 'POST /api/v1/application-users',
    url: '/api/v1/application-users',
    body: { userId: 'recorder', devices: ['CTIPORT_7300'] },
  },
  { operation: 'GET /api/v1/application-users', url: '/api/v1/application-users?device=CTIPORT_7300' },
  { operation: 'GET /api/v1/application-users/{userId}', url: '/api/v1/application-users/recorder' },
  {
    operation: 'PUT /api/v1/application-users/{userId}',
    url: '/api/v1/application-users/recorder',
    body: { userId: 'recorder', devices: [] },
  },
  { operation: 'GET /api/v1/end-users/{userId}/devices', url: '/api/v1/end-users/dave/devices' },
  {
    operation: 'PUT /api/v1/end-users/{userId}/devices',
    url: '/api/v1/end-users/dave/devices',
    body: { devices: ['SEP000000001001'] },
  },
  { operation: 'GET /api/v1/end-users/{userId}/groups', url: '/api/v1/end-users/dave/groups' },
  { operation: 'PUT /api/v1/end-users/{userId}/groups', url: '/api/v1/end-users/dave/groups', body: { groups: [] } },
  { operation: 'GET /api/v1/application-users/{userId}/devices', url: '/api/v1/application-users/recorder/devices' },
  {
    operation: 'PUT /api/v1/application-users/{userId}/devices',
    url: '/api/v1/application-users/recorder/devices',
    body: { devices: ['CTIPORT_7300'] },
  },
  { operation: 'GET /api/v1/application-users/{userId}/groups', url: '/api/v1/application-users/recorder/groups' },
  {
    operation: 'PUT /api/v1/application-users/{userId}/groups',
    url: '/api/v1/application-users/recorder/groups',
    body: { groups: ['Standard CTI Enabled'] },
  },
  { operation: 'GET /api/v1/access-control-groups', url: '/api/v1/access-control-groups' },
  {
    operation: 'GET /api/v1/access-control-groups/{name}',
    url: '/api/v1/access-control-groups/Standard%20CTI%20Enabled',
  },
  { operation: 'GET /api/v1/settings', url: '/api/v1/settings' },
  { operation: 'PUT /api/v1/settings', url: '/api/v1/settings', body: { conferenceNumber: '8000' } },
  { operation: 'GET /api/v1/config', url: '/api/v1/config' },
  {
    operation: 'POST /api/v1/config/apply',
    url: '/api/v1/config/apply?dryRun=true',
    body: 'lines: [{ dn: "7301" }]\n',
    contentType: 'application/yaml',
  },
  {
    operation: 'POST /api/v1/imports',
    url: '/api/v1/imports?dryRun=true&kind=lines',
    body: 'dn,description\n7302,imported\n',
    contentType: 'text/csv',
  },
  { operation: 'GET /api/v1/imports/{id}', url: '/api/v1/imports/{import}' },
  { operation: 'GET /api/v1/registrations', url: '/api/v1/registrations?registered=true' },
  { operation: 'GET /api/v1/registrations/{name}', url: '/api/v1/registrations/SEP000000001001' },
  { operation: 'DELETE /api/v1/registrations/{name}', url: '/api/v1/registrations/SEP000000001001' },
  { operation: 'GET /api/v1/calls', url: '/api/v1/calls' },
  { operation: 'GET /api/v1/sip-trace', url: '/api/v1/sip-trace?callId=call-1' },
  { operation: 'GET /api/v1/sip-trace/stream', url: '/api/v1/sip-trace/stream?device=SEP000000001001&follow=false' },
  { operation: 'GET /api/v1/calls/{id}', url: '/api/v1/calls/call-1' },
  { operation: 'DELETE /api/v1/calls/{id}', url: '/api/v1/calls/call-1' },
  { operation: 'GET /api/v1/call-records', url: '/api/v1/call-records?format=csv' },
  { operation: 'GET /api/v1/cti/explain', url: '/api/v1/cti/explain?user=ivr&device=CTIRP_MAIN' },
  { operation: 'GET /api/v1/cti/sessions', url: '/api/v1/cti/sessions' },
  { operation: 'GET /api/v1/live', url: '/api/v1/live?once=true' },
  { operation: 'GET /api/v1/stats/calls', url: '/api/v1/stats/calls' },
  { operation: 'GET /api/v1/cti/asyncapi.json', url: '/api/v1/cti/asyncapi.json' },
  { operation: 'GET /api/v1/audit-log', url: '/api/v1/audit-log?resource=line' },
  {
    operation: 'POST /api/v1/admin-accounts',
    url: '/api/v1/admin-accounts',
    body: { username: 'erin', password: 'erins-password', role: 'read-only' },
  },
  { operation: 'GET /api/v1/admin-accounts', url: '/api/v1/admin-accounts' },
  { operation: 'PUT /api/v1/admin-accounts/{username}', url: '/api/v1/admin-accounts/erin', body: { role: 'admin' } },
  { operation: 'DELETE /api/v1/admin-accounts/{username}', url: '/api/v1/admin-accounts/erin' },
  {
    operation: 'PUT /api/v1/auth/password',
    url: '/api/v1/auth/password',
    body: { currentPassword: 'admin-password-1', newPassword: 'admin-password-1' },
  },
  { operation: 'DELETE /api/v1/hunt-pilots/{pattern}', url: '/api/v1/hunt-pilots/7399' },
  { operation: 'DELETE /api/v1/hunt-lists/{name}', url: '/api/v1/hunt-lists/ivr' },
  { operation: 'DELETE /api/v1/line-groups/{name}', url: '/api/v1/line-groups/ivr' },
  { operation: 'DELETE /api/v1/voicemail-profiles/{name}', url: '/api/v1/voicemail-profiles/sales' },
  { operation: 'DELETE /api/v1/device-profiles/{name}', url: '/api/v1/device-profiles/hotdesk-7300' },
  { operation: 'DELETE /api/v1/application-users/{userId}', url: '/api/v1/application-users/recorder' },
  { operation: 'DELETE /api/v1/end-users/{userId}', url: '/api/v1/end-users/dave' },
  { operation: 'DELETE /api/v1/devices/{name}', url: '/api/v1/devices/CTIPORT_7300' },
  { operation: 'DELETE /api/v1/lines/{dn}', url: '/api/v1/lines/7300' },
  { operation: 'POST /api/v1/auth/logout', url: '/api/v1/auth/logout' },
];

interface OpenApiOperation {
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
}
type OpenApiDocument = { paths: Record<string, Record<string, OpenApiOperation>> } & Record<string, unknown>;

describe('the OpenAPI document', () => {
  let dataDir: string;
  let store: Store;
  let app: AdminApp;
  let document: OpenApiDocument;
  const calls: CallView[] = [
    {
      id: 'call-1',
      state: 'ACTIVE',
      startedAt: new Date(0).toISOString(),
      dialled: '1002',
      connections: [
        {
          id: 'c1',
          address: '1001',
          role: 'originating',
          state: 'ESTABLISHED',
          terminalConnections: [{ id: 't1', terminal: 'SEP000000001001', state: 'TALKING' }],
        },
      ],
    },
  ];
  const registered: DeviceView = {
    name: 'SEP000000001001',
    type: 'sip-phone',
    lines: ['1001'],
    allowCtiControl: true,
    registration: {
      state: 'registered',
      bindings: [
        {
          contact: 'sip:1001@192.0.2.7:5062',
          expiresAt: new Date(0).toISOString(),
          expiresInSeconds: 60,
          source: 'udp:192.0.2.7:5062',
        },
      ],
    },
  };

  const traced: SipTraceItem = {
    seq: 1,
    at: new Date(0).toISOString(),
    direction: 'received',
    transport: 'udp',
    local: '192.0.2.1:5060',
    remote: '192.0.2.7:5062',
    device: 'SEP000000001001',
    callId: 'call-1',
    sipCallId: 'a84b4c76e66710@192.0.2.7',
    summary: 'BYE sip:1002@192.0.2.1 SIP/2.0',
    message: 'BYE sip:1002@192.0.2.1 SIP/2.0\r\nCall-ID: a84b4c76e66710@192.0.2.7\r\n\r\n',
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'strowger-openapi-'));
    store = await openStore({ dataDir });
    await store.applyConfig(demo, { actor: 'test setup' });
    await store.adminAccounts.create({ username: 'admin', password: 'admin-password-1', role: 'admin' }, 'test');
    let level = 'info';
    app = await createAdminServer({
      registrations: { listDevices: () => [registered] },
      registrationControl: { unregister: () => undefined },
      calls: { listCalls: () => calls },
      callControl: {
        hangUp: (id) =>
          calls.splice(
            calls.findIndex((call) => call.id === id),
            1,
          ),
      },
      callRecords: { listCallRecords: (query) => store.listCallRecords(query) },
      cti: { configuration: () => CtiConfiguration.fromSnapshot(snapshot) },
      ctiSessions: () => ({
        sessions: 1,
        providers: 1,
        items: [
          {
            providerId: 'p-1',
            userId: 'crm',
            userKind: 'application-user',
            appInfo: 'crm connector',
            source: '127.0.0.1:50000',
            openedAt: '2026-11-30T08:00:00.000Z',
            connected: true,
            terminals: 2,
            restrictedTerminals: 0,
            addresses: 2,
            restrictedAddresses: 0,
            observers: 1,
            seq: 12,
          },
        ],
      }),
      ctiAsyncApi: () => ({ asyncapi: '3.0.0' }),
      sipTrace: {
        items: () => [traced],
        subscribe: () => () => undefined,
      },
      live: { subscribe: () => () => undefined },
      runtime: {
        status: async () => ({
          version: '0.1.0',
          startedAt: new Date(0).toISOString(),
          uptimeSeconds: 1,
          pid: process.pid,
          logLevel: level,
          store: { kind: 'embedded', configVersion: 1 },
          listening: { sip: 'udp 127.0.0.1:5060', http: '127.0.0.1:8080', cti: 'ws://127.0.0.1:2748' },
          counts: { devices: 1, registeredDevices: 1, lines: 1, calls: 1, ctiSessions: 0, ctiProviders: 0 },
        }),
        logLevel: () => level,
        setLogLevel: (next) => {
          level = next;
        },
      },
      store,
      auth: {},
      health: { check: () => ({ store: { ok: true } }) },
      metrics: new Registry(),
      logger: false,
      errorLog: silentLogger,
    });
    const snapshot = await store.loadConfig();
    document = (await app.inject({ url: '/api/v1/openapi.json' })).json<OpenApiDocument>();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('MUST pass an OpenAPI 3.1 schema validator', async () => {
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('the reference page MUST be served from local files', async () => {
    const page = await app.inject({ url: '/api/v1/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toMatch(/https?:\/\/(?!localhost)[^"' ]*\.(js|css)/);
  });

  it('every operation in it MUST be called here, and every answer MUST match what it documents', async () => {
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(examples.map((example) => example.operation).sort()).toEqual([...operations].sort());

    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormatsPlugin.default(ajv);
    let tokenId = '';
    let importId = '';
    const mismatches: string[] = [];
    for (const example of examples) {
      const [method, path] = example.operation.split(' ') as [string, string];
      const url = example.url.replace('{token}', tokenId).replace('{import}', importId);
      const headers: Record<string, string> = { authorization };
      if (example.body !== undefined) headers['content-type'] = example.contentType ?? 'application/json';
      const response = await app.inject({
        method: method as 'GET',
        url,
        headers,
        ...(example.body === undefined
          ? {}
          : { payload: typeof example.body === 'string' ? example.body : JSON.stringify(example.body) }),
      });
      if (example.operation === 'POST /api/v1/auth/tokens') tokenId = response.json<{ id: string }>().id;
      if (example.operation === 'POST /api/v1/imports') importId = response.json<{ id: string }>().id;
      // Every example is a call that works; a 4xx here is a broken example or a broken route.
      if (response.statusCode >= 400) {
        mismatches.push(`${example.operation}: ${response.statusCode} ${response.body}`);
        continue;
      }
      const documented = document.paths[path]?.[method.toLowerCase()]?.responses ?? {};
      const answer = documented[String(response.statusCode)] ?? documented[`${String(response.statusCode)[0]}XX`];
      if (answer === undefined) {
        mismatches.push(`${example.operation}: answered ${response.statusCode}, which it does not document`);
        continue;
      }
      if (response.statusCode === 204) continue;
      const type = String(response.headers['content-type']).split(';')[0]!;
      const schema = answer.content?.[type]?.schema;
      if (schema === undefined) {
        mismatches.push(`${example.operation}: answered ${type}, which it does not document`);
        continue;
      }
      const body: unknown = type.includes('json') ? response.json() : response.body;
      const validate = ajv.compile(schema);
      if (!validate(body)) mismatches.push(`${example.operation}: ${ajv.errorsText(validate.errors)}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('an error answer MUST match the documented problem+json', async () => {
    const response = await app.inject({ url: '/api/v1/lines/0000', headers: { authorization } });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const schema =
      document.paths['/api/v1/lines/{dn}']?.get?.responses['4XX']?.content?.['application/problem+json']?.schema;
    expect(schema).toBeDefined();
    const ajv = new Ajv2020({ strict: false });
    expect(ajv.validate(schema!, response.json())).toBe(true);
  });
});
