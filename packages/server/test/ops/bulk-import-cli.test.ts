import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainEnv } from '../support/processes.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// `strowger import` as a person runs it: against the running server (through its API, live), and on
// the database directly when none runs.
const entry = fileURLToPath(new URL('../../src/server/cli.ts', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'strowger-import-cli-'));
let server: TestServer;

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

function file(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

beforeAll(async () => {
  server = await startTestServer();
}, 60_000);
afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
}, 20_000);

describe('strowger import', { timeout: 300_000 }, () => {
  it('MUST check a file with --dry-run, import it into the running server, and follow with phones that use its lines', async () => {
    const lines = file('lines.csv', 'dn,description,forward.busy\n7101,Desk 7101,voicemail\n7102,Desk 7102,\n');
    const dryRun = await strowger(['import', lines, '--dry-run']);
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toContain(
      `${lines}: 2 lines are valid; importing them into the running server at http://127.0.0.1:`,
    );
    expect(dryRun.stdout).toContain('would create 2 and update 0');
    // Not a terminal here: progress comes as plain lines (how many depends on how fast it went).
    expect(dryRun.stderr).toMatch(/^done: 2\/2 rows$/m);
    expect(dryRun.stderr).not.toContain('\r');
    expect(server.strowger.snapshot.lines.some((line) => line.dn === '7101')).toBe(false);

    const applied = await strowger(['import', lines]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(
      /^imported 2 lines from .* into the running server at http:\/\/127\.0\.0\.1:\d+ \(configuration version \d+\): 2 created, 0 updated, 0 unchanged$/m,
    );
    expect(applied.stderr).toMatch(/^done: 2\/2 rows$/m);
    // Live: the engine serves the new lines as soon as the command has answered.
    expect(server.strowger.snapshot.lines.find((line) => line.dn === '7101')?.forward).toEqual({
      busy: { voicemail: true },
    });

    const phones = file(
      'phones.csv',
      'name,lines,sip.username,sip.password\nSEP000000007101,7101,7101,pw-7101\nSEP000000007102,7102;7199,7102,pw-7102\n',
    );
    const refused = await strowger(['import', phones]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      'row 3, column "lines": line 7199 does not exist; import them with a lines file first',
    );
    expect(refused.stdout).toContain(`${phones}: 1 problem; nothing was imported`);
    expect(server.strowger.snapshot.devices.some((device) => device.name === 'SEP000000007101')).toBe(false);

    const fixed = file('phones-fixed.csv', 'name,lines,sip.username,sip.password\nSEP000000007101,7101,7101,pw-7101\n');
    const imported = await strowger(['import', fixed, '--kind', 'phones']);
    expect(imported.code).toBe(0);
    expect(server.strowger.snapshot.devices.find((device) => device.name === 'SEP000000007101')?.lines).toEqual([
      '7101',
    ]);
  });

  it('MUST work on the database directly when no server runs, and refuse a file whose kind it cannot tell', async () => {
    const dataDir = join(work, 'stopped');
    const lines = file('direct.csv', 'dn\n7201\n7202\n7203\n');
    const applied = await strowger(['import', lines], dataDir);
    expect(applied.stderr).not.toContain('strowger:');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(`imported 3 lines from ${lines} into embedded PostgreSQL in ${dataDir}`);
    const unknown = await strowger(['import', file('unknown.csv', 'description\nx\n')], dataDir);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toMatch(/^row 1: cannot tell what the file holds/m);
  });
});
