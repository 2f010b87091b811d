import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parseConfigFile, readConfigFile, type ApplyResult, type KindCounts } from '../../store/index.js';
import { addStoreOptions, describeStore, withStore, type StoreLocation } from './store-options.js';

/** `strowger config apply|export`: the declarative configuration file in and out of the store. */
export function registerConfigCommands(program: Command): void {
  const config = program.command('config').description('apply or export the declarative YAML configuration');

  addStoreOptions(
    config
      .command('apply')
      .description('validate FILE and apply it in one transaction: all of it or, on any problem, none of it')
      .argument('<file>', 'YAML configuration file')
      .option('--prune', 'delete configuration the file does not mention (the file becomes the whole configuration)')
      .option('--dry-run', 'validate the file and report what would change, without applying it'),
  ).action(async (file: string, options: StoreLocation & { prune?: boolean; dryRun?: boolean }) => {
    const text = await readConfigFile(file);
    const doc = parseConfigFile(text, file);
    await withStore(options, async (store) => {
      if (options.dryRun === true) {
        const result = await store.applyConfig(doc, { prune: options.prune === true, source: file, dryRun: true });
        console.log(`${file} is valid; applying it would change: ${summarize(result)}`);
        return;
      }
      const result = await store.applyConfig(doc, { prune: options.prune === true, source: file });
      console.log(
        result.changed
          ? `applied ${file} to ${describeStore(options)} (configuration version ${result.version}): ${summarize(result)}`
          : `${file} matches the stored configuration (version ${result.version}); nothing changed`,
      );
    });
  });

  addStoreOptions(
    config
      .command('export')
      .description('print the stored configuration as YAML (passwords are not exported)')
      .option('-o, --output <file>', 'write to a file instead of standard output'),
  ).action(async (options: StoreLocation & { output?: string }) => {
    await withStore(options, async (store) => {
      const yaml = await store.exportConfig();
      if (options.output === undefined) {
        process.stdout.write(yaml);
      } else {
        await writeFile(options.output, yaml);
        console.error(`wrote the configuration to ${options.output}`);
      }
    });
  });
}

function summarize(result: ApplyResult): string {
  const kinds = [
    'devices',
    'lines',
    'voicemailProfiles',
    'lineGroups',
    'huntLists',
    'huntPilots',
    'endUsers',
    'applicationUsers',
  ] as const;
  const parts = kinds.map((kind) => describeCounts(kind, result[kind])).filter((text) => text !== undefined);
  return parts.length === 0 ? 'no changes' : parts.join('; ');
}

function describeCounts(kind: string, counts: KindCounts): string | undefined {
  const parts = Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([what, count]) => `${count} ${what}`);
  return parts.length === 0 ? undefined : `${kind} ${parts.join(', ')}`;
}
