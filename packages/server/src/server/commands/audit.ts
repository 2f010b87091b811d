import type { Command } from 'commander';
import { ErrorCode, StrowgerError } from '../../core/index.js';
import { parseRecordTime, type AuditEntry } from '../../store/index.js';
import { addServerOptions, findServer, type ServerTarget } from './server-api.js';
import { withStore } from './store-options.js';

interface AuditOptions extends ServerTarget {
  actor?: string;
  resource?: string;
  key?: string;
  since?: string;
  limit: string;
  json?: boolean;
}

type AuditView = Omit<AuditEntry, 'at'> & { at: string };

/** `strowger audit`: the newest changes, who made them and what they changed. */
export function registerAuditCommand(program: Command): void {
  addServerOptions(
    program
      .command('audit')
      .description('list the newest configuration and account changes: who, when, what')
      .option('--actor <name>', 'only changes by this account (or "local command line")')
      .option('--resource <kind>', 'only this kind: device, line, end-user, settings, admin-account…')
      .option('--key <key>', 'only this object (name, number or user id)')
      .option('--since <time>', 'only changes at or after this time (ISO 8601)')
      .option('--limit <count>', 'at most this many (1–1000)', '50')
      .option('--json', 'print JSON instead of a table'),
  ).action(async (options: AuditOptions) => {
    const limit = Number(options.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new StrowgerError(
        ErrorCode.InvalidArgument,
        `--limit must be a whole number from 1 to 1000; got "${options.limit}"`,
      );
    }
    const since = parseRecordTime('--since', options.since);
    const filter = { actor: options.actor, resource: options.resource, key: options.key };
    const server = findServer(options);
    const entries: AuditView[] =
      server !== undefined
        ? (
            await server.json<{ items: AuditView[] }>('GET', '/api/v1/audit-log', {
              query: { ...filter, since: since?.toISOString(), limit: String(limit) },
            })
          ).items
        : (
            await withStore(options, (store) => store.listAuditEntries({ ...filter, since, offset: 0, limit }))
          ).entries.map((entry) => ({ ...entry, at: entry.at.toISOString() }));
    console.log(options.json === true ? JSON.stringify(entries, null, 2) : formatAudit(entries));
  });
}

export function formatAudit(entries: readonly AuditView[]): string {
  if (entries.length === 0) return 'no changes';
  const rows = entries.map((e) => [e.at, e.actor, e.action, e.resource, e.key, e.note ?? '']);
  const header = ['WHEN', 'WHO', 'ACTION', 'RESOURCE', 'KEY', 'NOTE'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
