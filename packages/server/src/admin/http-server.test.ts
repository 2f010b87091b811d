import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Counter, Registry } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger, type Logger } from '../core/index.js';
import { hashPassword } from '../store/index.js';
import type { AccountDirectory } from './auth/authenticator.js';
import { createAdminServer } from './http-server.js';
import type { DeviceView } from './device-view.js';

const devices: DeviceView[] = [
  {
    name: 'SEP000000001001',
    type: 'sip-phone',
    lines: ['1001'],
    allowCtiControl: true,
    registration: {
      state: 'registered',
      bindings: [
        {
          contact: 'sip:1001@192.0.2.7:5062',
          expiresAt: '2026-01-01T00:00:00.000Z',
          expiresInSeconds: 60,
          userAgent: 'test phone',
          source: 'udp:192.0.2.7:5062',
        },
      ],
    },
  },
  {
    name: 'CTIRP_IVR',
    type: 'cti-route-point',
    lines: ['5000'],
    allowCtiControl: true,
    registration: { state: 'unregistered', bindings: [] },
  },
];

const passwordHash = hashPassword('admin-password-1');
/** One account, in memory: these tests are about HTTP, not the store. */
const accounts: AccountDirectory = {
  find: async (username) =>
    username === 'admin' ? { username, role: 'admin', passwordHash: await passwordHash } : undefined,
  findByToken: async () => undefined,
};
const authorization = `Basic ${Buffer.from('admin:admin-password-1').toString('base64')}`;
const headers = { authorization };

describe('admin HTTP server', () => {
  let app: FastifyInstance;
  const errors: Array<{ obj: Record<string, unknown>; msg?: string }> = [];
  const errorLog: Logger = {
    ...silentLogger,
    error: (obj, msg) => errors.push({ obj: obj as Record<string, unknown>, ...(msg === undefined ? {} : { msg }) }),
  };
  let healthy = true;
  const registry = new Registry();
  new Counter({ name: 'strowger_test_total', help: 'a counter the test looks for', registers: [registry] }).inc(3);

  beforeAll(async () => {
    app = await createAdminServer({
      registrations: { listDevices: () => devices },
      auth: { accounts },
      health: { check: () => ({ sip: { ok: healthy }, store: { ok: true } }) },
      metrics: registry,
      logger: false,
      errorLog,
      callRecords: {
        listCallRecords: async () => {
          throw new Error('connection to the database lost');
        },
      },
    });
  });
  afterAll(async () => app.close());

  it('GET /healthz MUST answer 200 while every component is ready and 503 otherwise', async () => {
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    healthy = false;
    const down = await app.inject({ url: '/healthz' });
    healthy = true;
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ status: 'unavailable', components: { sip: { ok: false } } });
  });

  it('GET /metrics MUST serve the Prometheus text format', async () => {
    const response = await app.inject({ url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toContain('strowger_test_total 3');
  });

  it('GET /metrics from another machine MUST need credentials; from this one it MUST NOT', async () => {
    const remote = await app.inject({ url: '/metrics', remoteAddress: '192.0.2.50' });
    expect(remote.statusCode).toBe(401);
    const signed = await app.inject({ url: '/metrics', remoteAddress: '192.0.2.50', headers });
    expect(signed.statusCode).toBe(200);
    expect((await app.inject({ url: '/metrics', remoteAddress: '::1' })).statusCode).toBe(200);
  });

  it('GET /api/v1/registrations MUST list devices with their registration state, filterable', async () => {
    const all = await app.inject({ url: '/api/v1/registrations', headers });
    expect(all.json().items).toHaveLength(2);
    const registered = await app.inject({ url: '/api/v1/registrations?registered=true', headers });
    expect(registered.json().items.map((d: DeviceView) => d.name)).toEqual(['SEP000000001001']);
    const routePoints = await app.inject({ url: '/api/v1/registrations?type=cti-route-point', headers });
    expect(routePoints.json().items.map((d: DeviceView) => d.name)).toEqual(['CTIRP_IVR']);
  });

  it('a bad query MUST get 400 problem+json naming the problem', async () => {
    const response = await app.inject({ url: '/api/v1/registrations?type=fax', headers });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'INVALID_ARGUMENT', status: 400 });
    expect(response.json().detail).toContain('type');
  });

  it('an unknown device MUST get 404 with a message saying where to look', async () => {
    const response = await app.inject({ url: '/api/v1/registrations/SEPNOPE', headers });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'NOT_FOUND' });
    expect(response.json().detail).toContain('/api/v1/registrations');
  });

  it('every 5xx MUST be logged with its cause, while the reply keeps the cause to itself', async () => {
    errors.length = 0;
    const response = await app.inject({ url: '/api/v1/call-records', headers });
    expect(response.statusCode).toBe(500);
    expect(response.json().detail).toBe('internal error; the server log has the details');
    expect(response.body).not.toContain('database lost');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.msg).toBe('HTTP request failed');
    expect((errors[0]?.obj.err as Error).message).toBe('connection to the database lost');
    expect(errors[0]?.obj).toMatchObject({ method: 'GET', url: '/api/v1/call-records', status: 500 });
  });

  it.each([
    '-000001-01-01T00:00:00Z',
    '+275760-09-13T00:00:00Z',
    '0000-01-01',
    '2026-02-30',
    '2026-11-24T25:00:00Z',
    '2026-11-24T08:00:00',
    'yesterday',
  ])('since=%s MUST be refused with 400 naming the field, never reach the database', async (since) => {
    errors.length = 0;
    const response = await app.inject({ url: `/api/v1/call-records?since=${encodeURIComponent(since)}`, headers });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(response.json().detail).toContain('since');
    expect(errors).toEqual([]);
  });

  it('a URL with bad percent-encoding MUST get 400 problem+json', async () => {
    const response = await app.inject({ url: '/api/v1/registrations/%E0%A4%A', headers });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'INVALID_ARGUMENT', status: 400 });
    expect(response.json().detail).toContain('RFC 3986');
  });

  it('a path segment over the limit MUST get 414 problem+json', async () => {
    const response = await app.inject({ url: `/api/v1/registrations/${'A'.repeat(5000)}`, headers });
    expect(response.statusCode).toBe(414);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().detail).toContain('longer than 100 characters');
    expect(response.json().detail.length).toBeLessThan(400);
  });

  it('a method a route does not answer MUST get 405 with Allow; an unknown path 404, both problem+json', async () => {
    const post = await app.inject({ method: 'POST', url: '/api/v1/registrations', headers });
    expect(post.statusCode).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expect(post.headers['content-type']).toContain('application/problem+json');
    expect(post.json()).toMatchObject({ status: 405, code: 'UNSUPPORTED' });
    const named = await app.inject({ method: 'DELETE', url: '/api/v1/registrations/SEP000000001001?x=1', headers });
    expect(named.statusCode).toBe(405);
    const unknown = await app.inject({ method: 'POST', url: '/api/v1/nothing-here', headers });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
  });

  it('a request the HTTP parser refuses (headers over the limit) MUST still get problem+json', async () => {
    const server = await createAdminServer({
      registrations: { listDevices: () => devices },
      auth: { accounts },
      health: { check: () => ({ sip: { ok: true }, store: { ok: true } }) },
      metrics: registry,
      errorLog,
    });
    try {
      await server.listen({ host: '127.0.0.1', port: 0 });
      const { port } = server.server.address() as AddressInfo;
      const answer = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
        const request = httpRequest({ host: '127.0.0.1', port, path: `/healthz?${'q'.repeat(20_000)}` }, (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, type: response.headers['content-type'] ?? '', body }),
          );
        });
        request.on('error', reject);
        request.end();
      });
      expect(answer.status).toBe(431);
      expect(answer.type).toContain('application/problem+json');
      expect(JSON.parse(answer.body)).toMatchObject({ status: 431, code: 'INVALID_ARGUMENT' });
    } finally {
      await server.close();
    }
  });
});
