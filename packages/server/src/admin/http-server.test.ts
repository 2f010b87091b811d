import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Counter, Registry } from 'prom-client';
import type { FastifyInstance } from 'fastify';
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

describe('admin HTTP server', () => {
  let app: FastifyInstance;
  let healthy = true;
  const registry = new Registry();
  new Counter({ name: 'strowger_test_total', help: 'a counter the test looks for', registers: [registry] }).inc(3);

  beforeAll(async () => {
    app = await createAdminServer({
      devices: { listDevices: () => devices },
      health: { check: () => ({ sip: { ok: healthy }, store: { ok: true } }) },
      metrics: registry,
      logger: false,
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

  it('GET /api/v1/devices MUST list devices with their registration state, filterable', async () => {
    const all = await app.inject({ url: '/api/v1/devices' });
    expect(all.json().devices).toHaveLength(2);
    const registered = await app.inject({ url: '/api/v1/devices?registered=true' });
    expect(registered.json().devices.map((d: DeviceView) => d.name)).toEqual(['SEP000000001001']);
    const routePoints = await app.inject({ url: '/api/v1/devices?type=cti-route-point' });
    expect(routePoints.json().devices.map((d: DeviceView) => d.name)).toEqual(['CTIRP_IVR']);
  });

  it('a bad query MUST get 400 problem+json naming the problem', async () => {
    const response = await app.inject({ url: '/api/v1/devices?type=fax' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'INVALID_ARGUMENT', status: 400 });
    expect(response.json().detail).toContain('type');
  });

  it('an unknown device MUST get 404 with a message saying where to look', async () => {
    const response = await app.inject({ url: '/api/v1/devices/SEPNOPE' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'NOT_FOUND' });
    expect(response.json().detail).toContain('/api/v1/devices');
  });
});
