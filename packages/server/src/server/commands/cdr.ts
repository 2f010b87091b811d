import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { callRecordsCsv, parseRecordTime } from '../../store/index.js';
import { addServerOptions, findServer, type ServerTarget } from './server-api.js';
import { withStore } from './store-options.js';

interface ExportOptions extends ServerTarget {
  since?: string;
  until?: string;
  output?: string;
}

/** `strowger cdr export`: call detail records as CSV, from the running server or the store. */
export function registerCdrCommands(program: Command): void {
  const cdr = program.command('cdr').description('call detail records');
  addServerOptions(
    cdr
      .command('export')
      .description('write call detail records as CSV (one row per call, oldest first)')
      .option('--since <time>', 'only calls that ended at or after this time (ISO 8601)')
      .option('--until <time>', 'only calls that ended before this time (ISO 8601)')
      .option('-o, --output <file>', 'write to a file instead of standard output'),
  ).action(async (options: ExportOptions) => {
    const since = parseRecordTime('--since', options.since);
    const until = parseRecordTime('--until', options.until);
    const server = findServer(options);
    const csv =
      server !== undefined
        ? await server.text('GET', '/api/v1/call-records', {
            query: { format: 'csv', limit: '100000', since: since?.toISOString(), until: until?.toISOString() },
          })
        : await withStore(options, async (store) =>
            callRecordsCsv(
              await store.listCallRecords({
                ...(since === undefined ? {} : { since }),
                ...(until === undefined ? {} : { until }),
              }),
            ),
          );
    if (options.output === undefined) {
      process.stdout.write(csv);
    } else {
      await writeFile(options.output, csv);
      const rows = Math.max(0, csv.split('\n').filter((line) => line !== '').length - 1);
      console.error(`wrote ${rows} call record(s) to ${options.output}`);
    }
  });
}
