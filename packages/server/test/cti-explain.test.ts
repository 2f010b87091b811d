import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AccessExplanation, UserAccessReportView } from '../src/admin/index.js';
import { registerCtiCommands } from '../src/server/commands/cti.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/** Either answer of the explainer, or a problem+json body. */
type Answer = Partial<AccessExplanation> & Partial<UserAccessReportView> & { detail?: string };

/** The access explainer over HTTP and from the command line, on a live server with the demo configuration. */
describe('GET /api/v1/cti/explain and strowger cti explain', () => {
  let server: TestServer;
  const explain = async (query: string) => {
    const response = await server.fetchApi(`/api/v1/cti/explain?${query}`);
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      body: (await response.json()) as Answer,
    };
  };

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.stop());

  it('MUST let an end user observe and control its own phone, granted by the device association', async () => {
    const { status, body } = await explain('user=alice&device=SEP000000001001');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      observe: true,
      control: true,
      code: null,
      user: { userId: 'alice', kind: 'end-user' },
    });
    expect(body.decidedBy).toMatchObject({
      setting: 'controlled-device',
      subject: 'SEP000000001001',
      effect: 'grants',
    });
    expect(body.rules?.map((r) => r.setting)).toEqual([
      'access-control-group',
      'controlled-device',
      'access-control-group',
      'extension-mobility-flag',
      'device-cti-flag',
    ]);
  });

  it('MUST refuse a device outside the domain with ACCESS_TO_DEVICE_DENIED, and a restricted one even to a superprovider that acquired it', async () => {
    const outside = await explain('user=ivr&device=SEP000000001002');
    expect(outside.body).toMatchObject({ observe: false, control: false, code: 'ACCESS_TO_DEVICE_DENIED' });
    const restricted = await explain('user=screenpop&device=SEP000000001004&acquired=SEP000000001004');
    expect(restricted.body).toMatchObject({
      observe: false,
      inDomain: true,
      restricted: true,
      code: 'DEVICE_RESTRICTED',
    });
    expect(restricted.body.decidedBy).toMatchObject({ setting: 'device-cti-flag', value: false, effect: 'blocks' });
  });

  it('MUST judge a shared line on each device it appears on', async () => {
    const { body } = await explain('user=alice&line=1001');
    expect(body).toMatchObject({ observe: true, line: '1001' });
    expect(body.appearances?.map((a) => [a.device, a.code])).toEqual([
      ['SEP000000001001', null],
      ['SEP000000001003', 'ACCESS_TO_DEVICE_DENIED'],
    ]);
  });

  it('the per-user report MUST answer the seed case: the all-devices role is unneeded, and the provider sees nothing', async () => {
    const { body } = await explain('user=screenpop');
    expect(body.reach).toEqual({ terminals: 0, observableTerminals: 0, addresses: 0, observableAddresses: 0 });
    expect(body.unneeded?.map((s) => s.subject)).toEqual(['Standard CTI Allow Control of All Devices']);
    const acquiring = await explain('user=screenpop&acquired=SEP000000001001,SEP000000001002');
    expect(acquiring.body.unneeded).toEqual([]);
    expect(acquiring.body.reach?.observableTerminals).toBe(2);
  });

  it('an unknown user, device or line MUST get 404 problem+json saying what exists', async () => {
    const user = await explain('user=mallory');
    expect(user.status).toBe(404);
    expect(user.type).toContain('application/problem+json');
    expect(user.body.detail).toContain('the end users are: alice, bob; the application users are: ivr, screenpop');
    const device = await explain('user=alice&device=SEPNOPE');
    expect(device.status).toBe(404);
    expect(device.body.detail).toContain('CTIRP_MAIN');
    const line = await explain('user=alice&line=9999');
    expect(line.status).toBe(404);
    expect(line.body.detail).toContain('1001');
    const notOnDevice = await explain('user=alice&device=SEP000000001001&line=1002');
    expect(notOnDevice.status).toBe(404);
    expect(notOnDevice.body.detail).toContain('its lines are: 1001');
    const badKind = await explain('user=alice&kind=robot');
    expect(badKind.status).toBe(400);
  });

  it('MUST follow a configuration change without a restart', async () => {
    const before = server.strowger.snapshot.version;
    await server.strowger.store.applyConfig({
      devices: [
        {
          name: 'SEP000000001002',
          type: 'sip-phone',
          description: "Bob's desk phone",
          lines: ['1002'],
          allowCtiControl: false,
          sip: { username: '1002', password: 'demo-1002' },
        },
      ],
    });
    await expect.poll(() => server.strowger.snapshot.version, { timeout: 5000 }).toBeGreaterThan(before);
    const { body } = await explain('user=bob&device=SEP000000001002');
    expect(body).toMatchObject({ observe: false, code: 'DEVICE_RESTRICTED' });
  });

  it('strowger cti explain MUST print the verdict table, the report with its unneeded settings, and --json', async () => {
    const device = await run(['cti', 'explain', '--user', 'alice', '--device', 'SEP000000001001']);
    expect(device).toContain('End user alice may observe and control SEP000000001001.');
    expect(device).toMatch(/controlled-device\s+SEP000000001001\s+yes\s+grants/);
    const report = await run(['cti', 'explain', '--user', 'screenpop']);
    expect(report).toContain('unneeded: access-control-group Standard CTI Allow Control of All Devices');
    const json = await run(['cti', 'explain', '--user', 'ivr', '--device', 'CTIRP_MAIN', '--json']);
    expect(JSON.parse(json)).toMatchObject({ observe: true, control: true });
  });

  it("the strowger command MUST exit 1 with the server's sentence for an unknown user", async () => {
    const unknown = await cli(['cti', 'explain', '--user', 'mallory']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no user mallory; the end users are: alice, bob');
  }, 60_000);

  /** The command in this process, as the strowger program parses it; what it prints is returned. */
  async function run(args: string[]): Promise<string> {
    const program = new Command('strowger').exitOverride();
    registerCtiCommands(program);
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((text: string) => void printed.push(text));
    try {
      await program.parseAsync(['node', 'strowger', ...args, '--data', server.dataDir]);
    } finally {
      log.mockRestore();
    }
    return printed.join('\n');
  }

  function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const entry = fileURLToPath(new URL('../src/server/cli.ts', import.meta.url));
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', entry, ...args, '--data', server.dataDir],
        { timeout: 50_000 },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }
});
