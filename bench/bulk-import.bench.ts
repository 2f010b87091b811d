/**
 * Bulk import benchmark: 10,000 lines, 10,000 phones (one line each, SIP credentials) and 10,000 end
 * users (owning their phone, primary extension, a group) imported as three CSV files through the
 * admin API of a server on the embedded database — each file checked with a dry run, then applied —
 * with the progress the command line shows. The times go into docs/performance.md.
 *
 *   npm run bench:import
 *   ROWS=2000 HASHED_USERS=100 npm run bench:import
 *
 * End users of the main run have no password or PIN: each is an scrypt hash (about 50 ms of a core
 * by design), so 10,000 of them would measure scrypt. HASHED_USERS more users with a password and a
 * PIN are imported after, to give the cost per hashed user.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImportStatus } from '../packages/server/dist/store/index.js';
import { ImportProgressDisplay } from '../packages/server/dist/server/commands/import-progress.js';
import { startBenchServer } from './bench-support.js';

const rows = Number(process.env.ROWS ?? 10_000);
const hashedUsers = Number(process.env.HASHED_USERS ?? 200);
const password = 'bench-admin-password';
const authorization = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;

const dn = (i: number) => String(200_000 + i);
const phone = (i: number) => `SEP${String(i).padStart(12, '0')}`;

const files = {
  lines: () =>
    `dn,description,forward.busy,forward.noAnswer,forward.noAnswerSeconds,maxCalls,busyTrigger\n` +
    Array.from({ length: rows }, (_, i) => `${dn(i)},Desk ${i},voicemail,voicemail,20,4,2`).join('\n'),
  phones: () =>
    `name,description,lines,sip.username,sip.password,allowCtiControl\n` +
    Array.from({ length: rows }, (_, i) => `${phone(i)},Desk ${i},${dn(i)},${dn(i)},pw-${i}-secret,true`).join('\n'),
  users: () =>
    `userId,displayName,primaryExtension,devices,groups\n` +
    Array.from({ length: rows }, (_, i) => `user${i},User ${i},${dn(i)},${phone(i)},Standard CTI Enabled`).join('\n'),
  hashedUsers: () =>
    `userId,displayName,password,pin\n` +
    Array.from({ length: hashedUsers }, (_, i) => `hashed${i},Hashed ${i},secret-${i}-password,${1000 + i}`).join('\n'),
};

async function importOnce(
  base: string,
  csv: string,
  dryRun: boolean,
  label: string,
): Promise<{ ms: number; status: ImportStatus }> {
  const display = new ImportProgressDisplay(process.stderr, dryRun);
  const started = performance.now();
  const posted = await fetch(`${base}/api/v1/imports?dryRun=${dryRun}`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'text/csv' },
    body: csv,
  });
  if (posted.status !== 202) throw new Error(`${label}: POST answered ${posted.status} ${await posted.text()}`);
  const { id } = (await posted.json()) as { id: string };
  for (;;) {
    const status = (await (
      await fetch(`${base}/api/v1/imports/${id}`, { headers: { authorization } })
    ).json()) as ImportStatus;
    display.update(status);
    if (status.state === 'done' || status.state === 'failed') {
      display.finish(status);
      const ms = performance.now() - started;
      if (status.state === 'failed') throw new Error(`${label}: ${JSON.stringify(status.problems.slice(0, 5))}`);
      return { ms, status };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const workDir = await mkdtemp(join(tmpdir(), 'strowger-bench-import-'));
const server = await startBenchServer(workDir, "lines:\n  - { dn: '1000' }\n", { adminPassword: password });
const results: Array<{ what: string; rows: number; dryRunMs: number; applyMs: number; created: number }> = [];
try {
  const base = `http://127.0.0.1:${server.addresses.http.port}`;
  console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}; ${rows} rows a file`);
  for (const [what, make] of [
    ['lines', files.lines],
    ['phones', files.phones],
    ['users', files.users],
    ['users with password and PIN', files.hashedUsers],
  ] as const) {
    const csv = make();
    const count = what === 'users with password and PIN' ? hashedUsers : rows;
    if (count === 0) continue;
    const dryRun = await importOnce(base, csv, true, `${what} dry run`);
    const apply = await importOnce(base, csv, false, `${what} apply`);
    results.push({ what, rows: count, dryRunMs: dryRun.ms, applyMs: apply.ms, created: apply.status.summary.created });
    console.log(
      `${what.padEnd(28)} ${String(count).padStart(6)} rows  dry run ${(dryRun.ms / 1000).toFixed(2)} s  apply ${(apply.ms / 1000).toFixed(2)} s  (${apply.status.summary.created} created, engine serving version ${server.snapshot.version})`,
    );
  }
  const expected = rows + 1;
  if (server.snapshot.lines.length !== expected || server.snapshot.devices.length !== rows) {
    throw new Error(
      `the engine serves ${server.snapshot.lines.length} lines and ${server.snapshot.devices.length} devices`,
    );
  }
  await recordFigures(results);
} finally {
  await server.stop();
  await rm(workDir, { recursive: true, force: true });
}

/** Replaces the benchmark's section of docs/performance.md (between its markers) with these figures. */
async function recordFigures(figures: typeof results): Promise<void> {
  const path = fileURLToPath(new URL('../docs/performance.md', import.meta.url));
  const doc = await readFile(path, 'utf8');
  const start = '<!-- bench:bulk-import start -->';
  const end = '<!-- bench:bulk-import end -->';
  const table = [
    start,
    `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench:import\` (Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}):`,
    '',
    '| file | rows | dry run | apply | apply per row |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...figures.map(
      (f) =>
        `| ${f.what} | ${f.rows.toLocaleString('en')} | ${(f.dryRunMs / 1000).toFixed(2)} s | ${(f.applyMs / 1000).toFixed(2)} s | ${(f.applyMs / f.rows).toFixed(2)} ms |`,
    ),
    end,
  ].join('\n');
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from < 0 || to < 0) throw new Error(`docs/performance.md has no ${start} … ${end} markers`);
  await writeFile(path, doc.slice(0, from) + table + doc.slice(to + end.length));
  console.log('figures written to docs/performance.md');
}
