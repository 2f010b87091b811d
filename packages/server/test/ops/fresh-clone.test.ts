import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { descendants, eventually, isAlive, killTree, plainEnv, portIsFree, runCommand } from '../support/processes.js';

// The README's first command on a fresh clone, as a new user runs it: `npm ci && npm start -- --demo`,
// then `npx strowger`. It clones the committed state of this repository (HEAD), so run it after
// committing. npm ci prefers the local npm cache, so it costs about a minute rather than a download.
const root = resolve(fileURLToPath(new URL('../../../..', import.meta.url)));
const isGitCheckout = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: root }).status === 0;
const work = mkdtempSync(join(tmpdir(), 'strowger-fresh-clone-'));
const clone = join(work, 'strowger');
// Removing a node_modules tree takes a while on a busy machine.
afterAll(() => rmSync(work, { recursive: true, force: true }), 180_000);

// npm ci and the build run at the lowest priority (nice 19: `nice` execs the command, so the pid is
// npm's), so that the test files running beside this one keep their CPU share.
function run(command: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync('nice', ['-n', '19', command, ...args], {
    cwd: clone,
    env: plainEnv(),
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe.skipIf(!isGitCheckout)('a fresh clone', { timeout: 600_000 }, () => {
  it("the README's npm ci && npm start -- --demo MUST start the server, stop on SIGTERM and leave npx strowger working", async () => {
    execFileSync('git', ['clone', '--quiet', root, clone]);

    const install = run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund']);
    expect(install.status, install.output).toBe(0);
    // The README says Node 20.19: no dependency may ask for more.
    expect(install.output).not.toContain('EBADENGINE');

    // Linked by npm ci already; before the build it says what to do instead of "not found".
    const early = run('npx', ['--no-install', 'strowger', '--version']);
    expect(early.status).toBe(1);
    expect(early.output).toContain('Run "npm run build"');

    const server = runCommand(
      'nice',
      [
        '-n',
        '19',
        'npm',
        'start',
        '--',
        '--demo',
        '--data',
        join(work, 'data'),
        '--bind',
        '127.0.0.1',
        '--sip-port',
        '0',
        '--cti-port',
        '0',
        '--http-port',
        '0',
      ],
      { cwd: clone },
    );
    try {
      const [, port] = await server.waitFor(/HTTP {2}http:\/\/127\.0\.0\.1:(\d+)/, 400_000);
      await server.waitFor(/Stop with Ctrl-C/, 10_000);
      expect(server.output()).toContain('Demo configuration applied to this new data directory');
      const tree = [server.child.pid!, ...descendants(server.child.pid!)];
      process.kill(server.child.pid!, 'SIGTERM');
      await server.exited;
      const gone = await eventually(() => tree.every((pid) => !isAlive(pid)), 20_000);
      expect(gone, `left running after SIGTERM to npm start: ${tree.filter(isAlive).join(', ')}`).toBe(true);
      expect(await portIsFree(Number(port))).toBe(true);
    } finally {
      killTree(server);
    }

    const version = run('npx', ['--no-install', 'strowger', '--version']);
    expect(version.status, version.output).toBe(0);
    expect(version.output.trim()).toBe('0.1.0');
  });
});
