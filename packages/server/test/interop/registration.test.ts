import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceView } from '../../src/admin/index.js';
import { requireSipp, runSipp, type SippRun } from '../support/sipp.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// SIPp (Debian's sip-tester) as the phone: a real, independent SIP implementation.
let server: TestServer;

beforeAll(async () => {
  requireSipp();
  server = await startTestServer();
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

async function device(name: string): Promise<DeviceView> {
  const response = await server.fetchApi(`/api/v1/registrations/${name}`);
  expect(response.status).toBe(200);
  return (await response.json()) as DeviceView;
}

function explain(run: SippRun): string {
  return `sipp exited ${run.code}\n${run.errors}\n${run.output.slice(-2000)}`;
}

describe.each(['udp', 'tcp'] as const)('SIPp over %s', (transport) => {
  it('registers a configured phone with digest authentication and gets 200', async () => {
    const name = transport === 'udp' ? 'SEP000000001001' : 'SEP000000001003';
    const user = transport === 'udp' ? '1001' : '1003';
    const serviceEvents: string[] = [];
    const off = server.strowger.engine.events.on('device', (event) => {
      if (event.type === 'terminal.inService') serviceEvents.push(`${event.type} ${event.terminal}`);
      if (event.type === 'address.inService') serviceEvents.push(`${event.type} ${event.address} on ${event.terminal}`);
    });
    const run = await runSipp({
      scenario: 'uac-register-digest.xml',
      port: server.sipPort,
      transport,
      service: user,
      username: user,
      password: `demo-${user}`,
    });
    expect(run.code, explain(run)).toBe(0);

    const view = await device(name);
    expect(view.registration.state).toBe('registered');
    const binding = view.registration.bindings[0];
    expect(binding?.userAgent).toBe('SIPp interop test');
    expect(binding?.source).toMatch(new RegExp(`^${transport}:127\\.0\\.0\\.1:\\d+$`));
    expect(binding?.expiresInSeconds).toBeGreaterThan(100);
    // The engine reports the phone, and each of its lines, in service (CiscoTermInServiceEv for the CTI layer).
    off();
    expect(serviceEvents).toEqual([
      `terminal.inService ${name}`,
      ...view.lines.map((dn) => `address.inService ${dn} on ${name}`),
    ]);
  });

  it('refuses a wrong password with 403 and never registers the phone', async () => {
    const run = await runSipp({
      scenario: 'uac-register-wrong-password.xml',
      port: server.sipPort,
      transport,
      service: '1004',
      username: '1004',
      password: 'not-the-password',
    });
    expect(run.code, explain(run)).toBe(0);
    expect((await device('SEP000000001004')).registration.state).toBe('unregistered');
  });

  it('answers an unknown user exactly like a wrong password (no account enumeration)', async () => {
    const run = await runSipp({
      scenario: 'uac-register-wrong-password.xml',
      port: server.sipPort,
      transport,
      service: '7777',
      username: '7777',
      password: 'whatever',
    });
    expect(run.code, explain(run)).toBe(0);
  });

  it('answers OPTIONS with 200 and an Allow header', async () => {
    const run = await runSipp({ scenario: 'uac-options.xml', port: server.sipPort, transport });
    expect(run.code, explain(run)).toBe(0);
  });
});

describe('registration lifecycle', () => {
  it('un-registers with Expires: 0 and the device shows unregistered', async () => {
    const run = await runSipp({
      scenario: 'uac-register-then-unregister.xml',
      port: server.sipPort,
      transport: 'udp',
      service: '1002',
      username: '1002',
      password: 'demo-1002',
    });
    expect(run.code, explain(run)).toBe(0);
    expect((await device('SEP000000001002')).registration.state).toBe('unregistered');
  });

  it('counts the outcomes in /metrics', async () => {
    const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
    expect(text).toMatch(/strowger_sip_register_requests_total\{outcome="registered"\} [1-9]/);
    expect(text).toMatch(/strowger_sip_register_requests_total\{outcome="rejected"\} [1-9]/);
    expect(text).toMatch(
      /strowger_sip_messages_received_total\{method="REGISTER",class="request",transport="tcp"\} [1-9]/,
    );
    expect(text).toMatch(/strowger_sip_messages_sent_total\{method="OPTIONS",class="2xx",transport="udp"\} [1-9]/);
  });
});
