import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  descendants,
  eventually,
  isAlive,
  killTree,
  plainEnv,
  portIsFree,
  runCommand,
  type RunningCommand,
} from '../support/processes.js';

// Every documented way of running the server, started as a person (or a supervisor) would and
// stopped with SIGTERM: the whole process tree must go, and its ports and data directory with it.
// Needs the build (npm test builds first).
const root = resolve(fileURLToPath(new URL('../../../..', import.meta.url)));
const cli = join(root, 'packages/server/dist/server/cli.js');
const work = mkdtempSync(join(tmpdir(), 'strowger-stopping-'));
const dataDir = join(work, 'data');
const serverFlags = [
  '--data',
  dataDir,
  '--bind',
  '127.0.0.1',
  '--sip-port',
  '0',
  '--cti-port',
  '0',
  '--http-port',
  '0',
];
let running: RunningCommand | undefined;
let tree: number[] = [];

afterEach(() => {
  if (running !== undefined) killTree(running, tree);
  running = undefined;
  tree = [];
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function start(command: string, args: string[], env?: NodeJS.ProcessEnv) {
  running = runCommand(command, args, { cwd: root, ...(env === undefined ? {} : { env }) });
  const [, port] = await running.waitFor(/HTTP {2}http:\/\/127\.0\.0\.1:(\d+)/, 90_000);
  await running.waitFor(/Stop with Ctrl-C/, 10_000);
  tree = descendants(running.child.pid!);
  return { running, httpUrl: `http://127.0.0.1:${port}`, httpPort: Number(port) };
}

/** fetch() on the running server's API with the credential it keeps in its data directory for the command line. */
function fetchLocal(httpUrl: string, path: string): Promise<Response> {
  const file = join(dataDir, 'admin-api.json');
  // Readable by its owner only: whoever may read the data directory may already do anything to it.
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const { token } = JSON.parse(readFileSync(file, 'utf8')) as { token: string };
  return fetch(`${httpUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
}

/** SIGTERM to the process a person started; everything it started must be gone, and the port free. */
async function stopWithSigterm(httpPort: number) {
  const command = running!;
  const everyone = [command.child.pid!, ...tree];
  process.kill(command.child.pid!, 'SIGTERM');
  await command.exited;
  const gone = await eventually(() => everyone.every((pid) => !isAlive(pid)), 20_000);
  expect(gone, `still running after SIGTERM: ${everyone.filter(isAlive).join(', ')}\n${command.output()}`).toBe(true);
  expect(await portIsFree(httpPort)).toBe(true);
  running = undefined;
}

describe('stopping every documented way of running the server', { timeout: 150_000 }, () => {
  it('node dist/server/cli.js start --demo MUST apply the demo to a new data directory and stop on SIGTERM', async () => {
    const { running: server, httpPort } = await start(process.execPath, [cli, 'start', '--demo', ...serverFlags]);
    expect(server.output()).toContain('Demo configuration applied to this new data directory');
    // No default password: the first start makes one and shows it once.
    expect(server.output()).toMatch(
      /the admin account "admin" was created with this password, shown only now:\n {2}\S{20,}/,
    );
    await stopWithSigterm(httpPort);
    expect(server.output()).toContain('Strowger stopped');
    expect(() => statSync(join(dataDir, 'admin-api.json'))).toThrow();
  });

  it('npx strowger start --demo MUST keep the changes made since and stop, with its shell, on SIGTERM', async () => {
    const change = join(work, 'change.yaml');
    writeFileSync(
      change,
      "devices:\n  - { name: SEP000000001001, type: sip-phone, description: 'Changed by the admin', lines: ['1001'], sip: { username: '1001' } }\n",
    );
    execFileSync(process.execPath, [cli, 'config', 'apply', change, '--data', dataDir], { env: plainEnv() });
    const { running: server, httpUrl, httpPort } = await start('npx', ['strowger', 'start', '--demo', ...serverFlags]);
    expect(server.output()).toContain('Demo configuration not applied: this data directory is already configured');
    const device = (await (await fetchLocal(httpUrl, '/api/v1/devices/SEP000000001001')).json()) as {
      description?: string;
    };
    expect(device.description).toBe('Changed by the admin');
    // npx runs the command through "sh -c": the shell and the server below it must both go.
    expect(tree.length).toBeGreaterThanOrEqual(1);
    await stopWithSigterm(httpPort);
  });

  it('STROWGER_CONFIG MUST name the configuration file applied at start, as --config does', async () => {
    const extra = join(work, 'extra.yaml');
    writeFileSync(
      extra,
      "lines:\n  - { dn: '1099' }\ndevices:\n  - { name: CTIRP_EXTRA, type: cti-route-point, lines: ['1099'] }\n",
    );
    const { httpUrl, httpPort } = await start(
      process.execPath,
      [cli, 'start', ...serverFlags],
      plainEnv({ STROWGER_CONFIG: extra }),
    );
    expect((await fetchLocal(httpUrl, '/api/v1/devices/CTIRP_EXTRA')).status).toBe(200);
    await stopWithSigterm(httpPort);
  });
});
