import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parseConfigFile, readConfigFile, type ApplyResult, type KindCounts } from '../../store/index.js';
import { addServerOptions, findServer, type ServerTarget } from './server-api.js';
import { commandLineActor, describeStore, withStore } from './store-options.js';

interface ApplyOptions extends ServerTarget {
  prune?: boolean;
  dryRun?: boolean;
}

/**
 * `strowger config apply|export`: the declarative configuration file in and out of the store —
 * through the running server's API when one runs (so the change is live, and the embedded database
 * needs no stop), else on the database directly.
 */
export function registerConfigCommands(program: Command): void {
  const config = program.command('config').description('apply or export the declarative YAML configuration');

  addServerOptions(
    config
      .command('apply')
      .description('validate FILE and apply it in one transaction: all of it or, on any problem, none of it')
      .argument('<file>', 'YAML configuration file')
      .option('--prune', 'delete configuration the file does not mention (the file becomes the whole configuration)')
      .option('--dry-run', 'validate the file and report what would change, without applying it'),
  ).action(async (file: string, options: ApplyOptions) => {
    const text = await readConfigFile(file);
    const server = findServer(options);
    let result: ApplyResult;
    let where: string;
    if (server !== undefined) {
      result = await server.json<ApplyResult>('POST', '/api/v1/config/apply', {
        query: {
          source: file,
          ...(options.dryRun === true ? { dryRun: 'true' } : {}),
          ...(options.prune === true ? { prune: 'true' } : {}),
        },
        body: text,
        contentType: 'application/yaml',
        // A large file with many user passwords takes a while to hash; the server answers when done.
        timeoutMs: 15 * 60_000,
      });
      where = `the running server at ${server.baseUrl}`;
    } else {
      const doc = parseConfigFile(text, file);
      result = await withStore(options, (store) =>
        store.applyConfig(doc, {
          prune: options.prune === true,
          source: file,
          dryRun: options.dryRun === true,
          actor: commandLineActor(),
        }),
      );
      where = describeStore(options);
    }
    if (options.dryRun === true) {
      console.log(`${file} is valid; applying it would change: ${summarize(result)}`);
    } else {
      console.log(
        result.changed
          ? `applied ${file} to ${where} (configuration version ${result.version}): ${summarize(result)}`
          : `${file} matches the stored configuration (version ${result.version}); nothing changed`,
      );
    }
  });

  addServerOptions(
    config
      .command('export')
      .description('print the stored configuration as YAML (secrets only as hashes)')
      .option('-o, --output <file>', 'write to a file instead of standard output'),
  ).action(async (options: ServerTarget & { output?: string }) => {
    const server = findServer(options);
    const yaml =
      server !== undefined
        ? await server.text('GET', '/api/v1/config')
        : await withStore(options, (store) => store.exportConfig());
    if (options.output === undefined) {
      process.stdout.write(yaml);
    } else {
      await writeFile(options.output, yaml);
      console.error(`wrote the configuration to ${options.output}`);
    }
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
