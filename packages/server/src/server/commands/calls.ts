import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CallView } from '../../admin/index.js';
import { addServerOptions, findServer, requireServer, type ServerTarget } from './server-api.js';

interface CallsOptions extends ServerTarget {
  json?: boolean;
  device?: string;
  dn?: string;
}

/**
 * `strowger calls`: the live calls of the running server, each party with its JTAPI states (none
 * when no server runs). `strowger calls hangup ID`: end one for every party.
 */
export function registerCallsCommand(program: Command): void {
  const calls = addServerOptions(
    program
      .command('calls')
      .description('list live calls with their connections and states')
      .option('--device <name>', 'only calls on this device')
      .option('--dn <number>', 'only calls on this directory number')
      .option('--json', 'print JSON instead of a table'),
  ).action(async (options: CallsOptions) => {
    const list = await fetchCalls(options);
    console.log(options.json === true ? JSON.stringify(list, null, 2) : formatCallTable(list, Date.now()));
  });

  // The subcommand takes the server options of `calls` itself (strowger calls hangup ID --data DIR).
  calls
    .command('hangup')
    .description('hang up a live call for every party')
    .argument('<id>', 'the call id')
    .action(async (id: string) => {
      const server = requireServer(calls.opts<ServerTarget>(), 'hanging up a call');
      await server.call('DELETE', `/api/v1/calls/${encodeURIComponent(id)}`);
      console.log(`call ${id} hung up`);
    });
}

async function fetchCalls(options: CallsOptions): Promise<CallView[]> {
  const server = findServer(options);
  if (server === undefined) {
    console.error(`no Strowger server runs on ${resolve(options.data)}, so no call is in progress`);
    return [];
  }
  const body = await server.json<{ calls: CallView[] }>('GET', '/api/v1/calls', {
    query: { device: options.device, dn: options.dn },
  });
  return body.calls;
}

/** One line per party: call, number, role, connection state, and each device with its state. */
export function formatCallTable(calls: readonly CallView[], now: number): string {
  if (calls.length === 0) return 'no calls';
  const rows: string[][] = [];
  for (const call of calls) {
    const seconds = Math.max(0, Math.round((now - Date.parse(call.startedAt)) / 1000));
    for (const [index, connection] of call.connections.entries()) {
      rows.push([
        index === 0 ? call.id : '',
        index === 0 ? `${seconds}s` : '',
        connection.address,
        connection.role === 'originating' ? 'from' : 'to',
        connection.state,
        connection.terminalConnections.map((tc) => `${tc.terminal} ${tc.state}`).join(', ') || '-',
      ]);
    }
  }
  const header = ['CALL', 'AGE', 'NUMBER', 'ROLE', 'CONNECTION', 'DEVICES'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
