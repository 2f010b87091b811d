import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { callRecordsCsv, parseRecordTime } from '../../store/index.js';
import { addStoreOptions, withStore, type StoreLocation } from './store-options.js';

interface ExportOptions extends StoreLocation {
  since?: string;
  until?: string;
  output?: string;
}

/** `strowger cdr export`: call detail records as CSV, from the store. */
export function registerCdrCommands(program: Command): void {
  const cdr = program.command('cdr').description('call detail records');
  addStoreOptions(
    cdr
      .command('export')
      .description('write call detail records as CSV (one row per call, oldest first)')
      .option('--since <time>', 'only calls that ended at or after this time (ISO 8601)')
      .option('--until <time>', 'only calls that ended before this time (ISO 8601)')
      .option('-o, --output <file>', 'write to a file instead of standard output'),
  ).action(async (options: ExportOptions) => {
    const since = parseRecordTime('--since', options.since);
    const until = parseRecordTime('--until', options.until);
    await withStore(options, async (store) => {
      const records = await store.listCallRecords({
        ...(since === undefined ? {} : { since }),
        ...(until === undefined ? {} : { until }),
      });
      const csv = callRecordsCsv(records);
      if (options.output === undefined) {
        process.stdout.write(csv);
      } else {
        await writeFile(options.output, csv);
        console.error(`wrote ${records.length} call record(s) to ${options.output}`);
      }
    });
  });
}
