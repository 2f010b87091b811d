import type { Command } from 'commander';
import type { MobilityLoginView } from '../../admin/index.js';
import { addServerOptions, requireServer, type ServerTarget } from './server-api.js';

interface OutputOptions {
  json?: boolean;
}

/**
 * `strowger em login|logout|list`: Extension Mobility from the command line, through the running
 * server's admin API (the server holds the logins and the phones' line appearances). The subcommands
 * take the server options of `em` itself (strowger em list --data DIR, or --url and --token).
 */
export function registerExtensionMobilityCommand(program: Command): void {
  const em = addServerOptions(
    program
      .command('em')
      .description('Extension Mobility: log end users in on phones and out again (asks the running server)'),
  );
  const server = () => requireServer(em.opts<ServerTarget>(), 'Extension Mobility');

  em.command('login')
    .description("log an end user in on a phone; the phone takes the profile's lines until logout")
    .requiredOption('--user <userId>', 'the end user')
    .requiredOption('--device <name>', 'the phone (its extensionMobility must be true)')
    .option('--profile <name>', "a device profile the user may use (the user's default when absent)")
    .option('--pin <digits>', "the user's PIN, checked when given (five wrong ones lock the user out for a while)")
    .option('--json', 'print JSON')
    .action(async (options: OutputOptions & { user: string; device: string; profile?: string; pin?: string }) => {
      const login = await server().json<MobilityLoginView>('POST', '/api/v1/extension-mobility/login', {
        body: {
          user: options.user,
          device: options.device,
          ...(options.profile === undefined ? {} : { profile: options.profile }),
          ...(options.pin === undefined ? {} : { pin: options.pin }),
        },
      });
      console.log(
        options.json === true
          ? JSON.stringify(login, null, 2)
          : `${login.userId} is logged in on ${login.device} with profile ${login.profile}${login.expiresAt === undefined ? '' : ` until ${login.expiresAt}`}`,
      );
    });

  em.command('logout')
    .description('log a phone out; it gets its own lines back')
    .requiredOption('--device <name>', 'the phone')
    .option('--json', 'print JSON')
    .action(async (options: OutputOptions & { device: string }) => {
      const login = await server().json<MobilityLoginView>('POST', '/api/v1/extension-mobility/logout', {
        body: { device: options.device },
      });
      console.log(
        options.json === true
          ? JSON.stringify(login, null, 2)
          : `${login.userId} is logged out of ${login.device}; it has its own lines again`,
      );
    });

  em.command('list')
    .description('list the Extension Mobility logins in force')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: OutputOptions) => {
      const { logins } = await server().json<{ logins: MobilityLoginView[] }>('GET', '/api/v1/extension-mobility');
      console.log(options.json === true ? JSON.stringify(logins, null, 2) : formatLoginTable(logins));
    });
}
export function formatLoginTable(logins: readonly MobilityLoginView[]): string {
  if (logins.length === 0) return 'nobody is logged in with Extension Mobility';
  const header = ['DEVICE', 'USER', 'PROFILE', 'SINCE', 'UNTIL'];
  const rows = logins.map((l) => [l.device, l.userId, l.profile, l.loggedInAt, l.expiresAt ?? '-']);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const format = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [format(header), ...rows.map(format)].join('\n');
}
