import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/index.js';
import { hashPassword } from '../store/index.js';
import type { AccountDirectory } from './auth/authenticator.js';
import type { DeviceView } from './device-view.js';
import { createAdminServer } from './http-server.js';
import type { LiveChange } from './live/live-feed.js';
import type { AdminApp } from './routes/config-objects.js';

const passwordHash = hashPassword('admin-password-1');
const accounts: AccountDirectory = {
  find: async (username) =>
    username === 'admin' ? { username, role: 'admin', passwordHash: await passwordHash } : undefined,
  findByToken: async () => undefined,
};
const authorization = `Basic ${Buffer.from('admin:admin-password-1').toString('base64')}`;

const phone: DeviceView = {
  name: 'SEP000000001001',
  type: 'sip-phone',
  lines: ['1001'],
  allowCtiControl: true,
  registration: { state: 'unregistered', bindings: [] },
};

describe('the live event stream and the web UI files', () => {
  let app: AdminApp;
  let url: string;
  let webRoot: string;
  const listeners = new Set<(change: LiveChange) => void>();

  beforeAll(async () => {
    webRoot = mkdtempSync(join(tmpdir(), 'strowger-web-'));
    mkdirSync(join(webRoot, 'assets'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Strowger</title><div id="root"></div>');
    writeFileSync(join(webRoot, 'assets', 'index-abc123.js'), 'console.log("ui")');
    app = await createAdminServer({
      registrations: { listDevices: () => [phone] },
      live: {
        subscribe: (listener) => {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
      },
      webRoot,
      auth: { accounts },
      health: { check: () => ({ store: { ok: true } }) },
      metrics: new Registry(),
      logger: false,
      errorLog: silentLogger,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app?.close();
    rmSync(webRoot, { recursive: true, force: true });
  });

  it('GET /api/v1/live MUST need credentials', async () => {
    const response = await fetch(`${url}/api/v1/live`, { headers: { 'x-requested-with': 'test' } });
    expect(response.status).toBe(401);
  });

  it('GET /api/v1/live MUST stream a snapshot, then each registration change as it happens', async () => {
    const response = await fetch(`${url}/api/v1/live`, { headers: { authorization } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (marker: string) => {
      while (!text.includes(marker)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended before ${marker}: ${text}`);
        text += decoder.decode(value);
      }
    };
    await readUntil('event: snapshot\n');
    await readUntil('\n\n');
    expect(text).toContain('"name":"SEP000000001001"');
    expect(listeners.size).toBe(1);
    phone.registration = { state: 'registered', bindings: [] };
    for (const listener of listeners) listener({ kind: 'registration', device: phone.name });
    await readUntil('event: registration\n');
    await readUntil('"state":"registered"');
    await reader.cancel();
  });

  it('the server MUST close with a stream open', async () => {
    const server = await createAdminServer({
      registrations: { listDevices: () => [phone] },
      live: { subscribe: () => () => undefined },
      auth: { accounts },
      health: { check: () => ({ store: { ok: true } }) },
      metrics: new Registry(),
      logger: false,
      errorLog: silentLogger,
    });
    await server.listen({ host: '127.0.0.1', port: 0 });
    const port = (server.server.address() as AddressInfo).port;
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/live`, { headers: { authorization } });
    expect(response.status).toBe(200);
    await server.close();
    // The stream was ended by the server, so reading it finishes.
    const body = await response.text();
    expect(body).toContain('event: snapshot');
  });

  it('the UI MUST be served at / without credentials, with its security policy, and never cached', async () => {
    const response = await fetch(`${url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toContain('<div id="root">');
  });

  it('a page of the UI MUST get index.html for the client-side router; an asset MUST be cached for long', async () => {
    const page = await fetch(`${url}/devices/SEP000000001001`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const asset = await fetch(`${url}/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('an unknown API path or asset MUST still be a problem+json 404, not the UI', async () => {
    for (const path of ['/api/v1/no-such-thing', '/assets/missing.js']) {
      const response = await fetch(`${url}${path}`);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type'), path).toContain('application/problem+json');
    }
  });
});
