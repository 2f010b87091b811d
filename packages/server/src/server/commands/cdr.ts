import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { callRecordsCsv, parseRecordTime } from '../../store/index.js';
import { addServerOptions, findServer, type ServerTarget } from './server-api.js';
import { withStore } from './store-options.js';

interface ExportOptions extends ServerTarget {
  since?: string;
  until?: string;
  output?: string;
  json?: boolean;
}

/** The most records GET /api/v1/call-records answers at once. */
const apiLimit = 100_000;

/** `strowger cdr export`: call detail records as CSV, from the running server or the store. */
export function registerCdrCommands(program: Command): void {
  const cdr = program.command('cdr').description('call detail records');
  addServerOptions(
    cdr
      .command('export')
      .description('write call detail records as CSV (one row per call, oldest first)')
      .option('--since <time>', 'only calls that ended at or after this time (ISO 8601)')
      .option('--until <time>', 'only calls that ended before this time (ISO 8601)')
      .option('-o, --output <file>', 'write to a file instead of standard output')
      .option('--json', 'write JSON (as GET /api/v1/call-records answers) instead of CSV'),
  ).action(async (options: ExportOptions) => {
    const since = parseRecordTime('--since', options.since);
    const until = parseRecordTime('--until', options.until);
    const server = findServer(options);
    const format = options.json === true ? 'json' : 'csv';
    let text: string;
    let count: number;
    if (server !== undefined) {
      text = await server.text('GET', '/api/v1/call-records', {
        query: { format, limit: String(apiLimit), since: since?.toISOString(), until: until?.toISOString() },
        timeoutMs: 5 * 60_000,
      });
      count =
        format === 'json'
          ? (JSON.parse(text) as { callRecords: unknown[] }).callRecords.length
          : Math.max(0, text.split('\n').filter((line) => line !== '').length - 1);
      if (format === 'json') text = `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
      if (count >= apiLimit) {
        console.error(
          `only the first ${apiLimit} call records were exported (the API's limit per request); export the rest in parts with --since and --until`,
        );
      }
    } else {
      const records = await withStore(options, (store) =>
        store.listCallRecords({ ...(since === undefined ? {} : { since }), ...(until === undefined ? {} : { until }) }),
      );
      count = records.length;
      text = format === 'json' ? `${JSON.stringify({ callRecords: records }, null, 2)}\n` : callRecordsCsv(records);
    }
    if (options.output === undefined) {
      process.stdout.write(text);
    } else {
      await writeFile(options.output, text);
      console.error(`wrote ${count} call record(s) to ${options.output}`);
    }
  });
}
