import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../src/switch/index.js';
import { expectNoCallLeft, phoneDevices, waitUntil } from '../support/leftovers.js';
import { plainEnv } from '../support/processes.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestPhone } from '../support/test-phone.js';

// The command line against a server running on the embedded database: it goes through the
// server's API (the data directory is the server's), and what it changes is live at once.
const config = `
lines:
  - { dn: '4001' }
  - { dn: '4002' }
  - { dn: '4003' }
devices:
${phoneDevices(['4001', '4002', '4003'])}
`;

const entry = fileURLToPath(new URL('../../src/server/cli.ts', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'strowger-live-config-'));
let server: TestServer;
const records: CallRecord[] = [];
let phones: TestPhone[] = [];

/** The strowger command as a person runs it, in a process of its own, on the test server's data directory. */
function strowger(args: string[], dataDir = server.dataDir): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', entry, ...args, '--data', dataDir],
      { timeout: 50_000, env: plainEnv() },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function phone(dn: string): Promise<TestPhone> {
  const started = await TestPhone.start({ dn, password: `pw-${dn}`, serverPort: server.sipPort });
  phones.push(started);
  return started;
}

beforeAll(async () => {
  server = await startTestServer({ config, callRecords: { write: (record) => records.push(record) } });
}, 60_000);
afterEach(async () => {
  await expectNoCallLeft(server);
  await Promise.all(phones.map((p) => p.close()));
  phones = [];
});
afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
}, 20_000);

describe('the command line with a server running on the embedded database', { timeout: 300_000 }, () => {
  it("strowger config apply MUST change a line's forwarding live: the next call follows it, no restart", async () => {
    const caller = await phone('4001');
    const bob = await phone('4002');
    const carol = await phone('4003');
    await Promise.all([caller.register(), bob.register(), carol.register()]);

    const before = await caller.call('4002');
    expect(bob.calls).toHaveLength(1);
    await before.hangUp();
    await waitUntil(() => server.strowger.engine.callCount === 0);

    const change = join(work, 'forward.yaml');
    writeFileSync(change, "lines:\n  - { dn: '4002', forward: { all: { destination: '4003' } } }\n");
    const dryRun = await strowger(['config', 'apply', change, '--dry-run']);
    expect(dryRun.stderr).toBe('');
    expect(dryRun.stdout).toContain('lines 1 updated');
    const applied = await strowger(['config', 'apply', change]);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(`applied ${change} to the running server at http://127.0.0.1:`);

    const after = await caller.call('4002');
    expect(carol.calls).toHaveLength(1);
    expect(bob.calls).toHaveLength(1);
    await after.hangUp();
    expect(await waitUntil(() => records.length >= 2)).toBe(true);
    expect(records.at(-1)?.redirections).toEqual([{ from: '4002', to: '4003', reason: 'forward-all' }]);

    const exported = await strowger(['config', 'export']);
    expect(exported.stdout).toMatch(/dn: "4002"\n\s+forward:\n\s+all:\n\s+destination: "4003"/);
    const audit = await server.fetchApi('/api/v1/audit-log?resource=line&key=4002');
    const [entry] = ((await audit.json()) as { items: Array<{ actor: string; after: unknown }> }).items;
    expect(entry).toMatchObject({ actor: 'local command line', after: { forward: { all: { destination: '4003' } } } });
  });

  it('status, devices, calls, calls hangup, devices unregister and log-level MUST work on the running server', async () => {
    const status = await strowger(['status', '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ running: true, store: { kind: 'embedded' } });
    const text = await strowger(['status']);
    expect(text.stdout).toMatch(/^Strowger \S+ is running \(pid \d+/);

    const caller = await phone('4001');
    const carol = await phone('4003');
    await Promise.all([caller.register(), carol.register()]);
    const devices = JSON.parse((await strowger(['devices', '--registered', '--json'])).stdout) as Array<{
      name: string;
    }>;
    expect(devices.map((d) => d.name).sort()).toEqual(['SEP000000004001', 'SEP000000004003']);

    await caller.call('4003');
    const calls = JSON.parse((await strowger(['calls', '--json'])).stdout) as Array<{ id: string }>;
    expect(calls).toHaveLength(1);
    const hangup = await strowger(['calls', 'hangup', calls[0]!.id]);
    expect(hangup.stdout).toContain('hung up');
    expect(await waitUntil(() => server.strowger.engine.callCount === 0)).toBe(true);

    const unregister = await strowger(['devices', 'unregister', 'SEP000000004003']);
    expect(unregister.stdout).toContain('SEP000000004003 unregistered');
    const still = JSON.parse((await strowger(['devices', '--registered', '--json'])).stdout) as Array<{ name: string }>;
    expect(still.map((d) => d.name)).toEqual(['SEP000000004001']);

    expect((await strowger(['log-level', 'debug'])).stdout).toContain('log level is now debug');
    expect((await strowger(['log-level'])).stdout.trim()).toBe('debug');
    expect(server.strowger.logger.level).toBe('debug');
    server.strowger.logger.level = 'silent';
    await strowger(['log-level', 'silent']).then((refused) => expect(refused.code).not.toBe(0));
  });
});

describe('the command line with no server running', { timeout: 300_000 }, () => {
  it('MUST work on the database directly: apply, list, audit; status MUST say none runs and exit 3', async () => {
    const dataDir = join(work, 'stopped');
    const file = join(work, 'stopped.yaml');
    writeFileSync(file, `lines:\n  - { dn: '4101' }\ndevices:\n${phoneDevices(['4101'])}\n`);
    const applied = await strowger(['config', 'apply', file], dataDir);
    expect(applied.stdout).toContain(`applied ${file} to embedded PostgreSQL in ${dataDir}`);
    const status = await strowger(['status'], dataDir);
    expect(status.code).toBe(3);
    expect(status.stdout).toContain('no Strowger server runs on the data directory');
    const devices = await strowger(['devices', '--json'], dataDir);
    expect(JSON.parse(devices.stdout)).toMatchObject([
      { name: 'SEP000000004101', registration: { state: 'unregistered' } },
    ]);
    const audit = JSON.parse((await strowger(['audit', '--json', '--resource', 'device'], dataDir)).stdout) as Array<{
      actor: string;
      action: string;
    }>;
    expect(audit).toMatchObject([{ action: 'create', actor: expect.stringMatching(/^command line \(/) }]);
    const hangup = await strowger(['calls', 'hangup', 'x'], dataDir);
    expect(hangup.code).toBe(1);
    expect(hangup.stderr).toContain('hanging up a call needs one');
  });
});
