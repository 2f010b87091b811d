import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Argument, type Command } from 'commander';
import { logLevels } from '../../admin/index.js';
import type { ServerStatus } from '../../admin/index.js';
import { addServerOptions, findServer, requireServer, type ServerTarget } from './server-api.js';
import { withStore } from './store-options.js';

/** Exit status of `strowger status` when no server runs (as `systemctl status` does for a stopped unit). */
export const notRunningExitCode = 3;

/** `strowger status`, `strowger log-level [LEVEL]` and `strowger admin reset-password NAME`. */
export function registerServerCommands(program: Command): void {
  addServerOptions(
    program
      .command('status')
      .description('is a server running on the data directory, and what does it serve')
      .option('--json', 'print JSON instead of text'),
  ).action(async (options: ServerTarget & { json?: boolean }) => {
    const server = findServer(options);
    if (server === undefined) {
      const where = options.db === undefined ? `the data directory ${resolve(options.data)}` : 'this database';
      if (options.json === true) console.log(JSON.stringify({ running: false }, null, 2));
      else console.log(`no Strowger server runs on ${where}`);
      process.exitCode = notRunningExitCode;
      return;
    }
    const status = await server.json<ServerStatus>('GET', '/api/v1/status');
    console.log(options.json === true ? JSON.stringify({ running: true, ...status }, null, 2) : formatStatus(status));
  });

  addServerOptions(
    program
      .command('log-level')
      .description("show or change the running server's log level (until its next start)")
      .addArgument(new Argument('[level]', 'the new level').choices(logLevels)),
  ).action(async (level: string | undefined, options: ServerTarget) => {
    const server = requireServer(options, 'the log level');
    const answer =
      level === undefined
        ? await server.json<{ level: string }>('GET', '/api/v1/log-level')
        : await server.json<{ level: string }>('PUT', '/api/v1/log-level', { body: { level } });
    console.log(level === undefined ? answer.level : `log level is now ${answer.level}`);
  });

  const admin = program.command('admin').description('admin accounts of the HTTP API');
  addServerOptions(
    admin
      .command('reset-password')
      .description('give an admin account a new random password, printed once (for a lost password)')
      .argument('<username>', 'the account, e.g. admin'),
  ).action(async (username: string, options: ServerTarget) => {
    const password = randomBytes(18).toString('base64url');
    const server = findServer(options);
    if (server !== undefined) {
      await server.json('PUT', `/api/v1/admin-accounts/${encodeURIComponent(username)}`, { body: { password } });
    } else {
      await withStore(options, (store) =>
        store.adminAccounts.update(username, { password }, 'command line (reset-password)'),
      );
    }
    console.log(`new password of ${username}, shown only now:\n  ${password}`);
  });
}

export function formatStatus(status: ServerStatus): string {
  const { counts } = status;
  return [
    `Strowger ${status.version} is running (pid ${status.pid}, up ${duration(status.uptimeSeconds)}, log level ${status.logLevel})`,
    `  store  ${status.store.kind} database, configuration version ${status.store.configVersion}`,
    `  SIP    ${status.listening.sip}`,
    `  HTTP   ${status.listening.http}`,
    `  CTI    ${status.listening.cti}`,
    `  ${counts.registeredDevices} of ${counts.devices} devices registered, ${counts.lines} lines, ${counts.calls} calls, ` +
      `${counts.ctiSessions} CTI sessions with ${counts.ctiProviders} providers`,
  ].join('\n');
}

function duration(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  return m > 0 ? `${m}m ${seconds % 60}s` : `${seconds}s`;
}
