import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { ErrorCode, StrowgerError } from '../../core/index.js';
import {
  BulkImport,
  decodeConfigBytes,
  importKinds,
  maxImportBytes,
  type ImportKind,
  type ImportStatus,
} from '../../store/index.js';
import { ImportProgressDisplay } from './import-progress.js';
import { addServerOptions, findServer, type ServerApi, type ServerTarget } from './server-api.js';
import { commandLineActor, describeStore, withStore } from './store-options.js';

interface ImportOptions extends ServerTarget {
  kind?: ImportKind;
  dryRun?: boolean;
}

/** How often the command asks the running server how its import is doing. */
const pollMs = 200;

/**
 * `strowger import FILE.csv`: bulk import of phones, lines or end users (docs/bulk-import.md),
 * through the running server's API when one runs — so the engine follows the change at once — or on
 * the database directly. Shows progress, prints every problem by row and column, and exits non-zero
 * when there is any.
 */
export function registerImportCommand(program: Command): void {
  addServerOptions(
    program
      .command('import')
      .description('import phones, lines or end users from a CSV file: all rows or, on any problem, none')
      .argument('<file>', 'CSV file whose first row names the columns (see docs/bulk-import.md)')
      .addOption(
        new Option(
          '--kind <kind>',
          'what the file holds (default: told by its key column: name, dn or userId)',
        ).choices(importKinds),
      )
      .option('--dry-run', 'check every row and say what would change, without changing anything'),
  ).action(async (file: string, options: ImportOptions) => {
    const text = await readImportFile(file);
    const display = new ImportProgressDisplay(process.stderr, options.dryRun === true);
    const server = findServer(options);
    const status =
      server !== undefined
        ? await importThroughServer(server, text, file, options, display)
        : await withStore(options, (store) =>
            new BulkImport({
              id: randomUUID(),
              text,
              kind: options.kind,
              dryRun: options.dryRun === true,
              actor: commandLineActor(),
              source: file,
              target: { current: () => store.loadConfig(), apply: (doc, apply) => store.applyConfig(doc, apply) },
              onChange: (s) => display.update(s),
            }).run(),
          );
    display.finish(status);
    const where = server !== undefined ? `the running server at ${server.baseUrl}` : describeStore(options);
    console.log(outcomeText(status, file, where));
    if (status.state !== 'done') process.exitCode = 1;
  });
}

async function readImportFile(file: string): Promise<string> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    throw new StrowgerError(ErrorCode.InvalidArgument, `cannot read ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (size > maxImportBytes) {
    throw new StrowgerError(
      ErrorCode.InvalidArgument,
      `${file} has ${size} bytes, more than the ${maxImportBytes} an import may have; split it into several files`,
    );
  }
  return decodeConfigBytes(await readFile(file), file);
}

async function importThroughServer(
  server: ServerApi,
  text: string,
  file: string,
  options: ImportOptions,
  display: ImportProgressDisplay,
): Promise<ImportStatus> {
  const { id } = await server.json<{ id: string }>('POST', '/api/v1/imports', {
    query: { dryRun: options.dryRun === true ? 'true' : 'false', kind: options.kind, source: file },
    body: text,
    contentType: 'text/csv',
  });
  for (;;) {
    const status = await server.json<ImportStatus>('GET', `/api/v1/imports/${encodeURIComponent(id)}`);
    display.update(status);
    if (status.state === 'done' || status.state === 'failed') return status;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** What the command prints at the end: every problem by row and column, or what was (or would be) done. */
export function outcomeText(status: ImportStatus, file: string, where: string): string {
  const { summary } = status;
  const kind = summary.kind ?? 'rows';
  if (status.state !== 'done') {
    const lines = status.problems.map((p) =>
      p.row === 0
        ? p.message
        : `row ${p.row}${p.column === '' ? '' : `, column ${JSON.stringify(p.column)}`}: ${p.message}`,
    );
    return [
      ...lines,
      `${file}: ${status.problems.length} problem${status.problems.length === 1 ? '' : 's'}; nothing was ${summary.dryRun ? 'changed' : 'imported'}`,
    ].join('\n');
  }
  const counts = `${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged`;
  return summary.dryRun
    ? `${file}: ${summary.rows} ${kind} are valid; importing them into ${where} would create ${summary.created} and update ${summary.updated} (${summary.unchanged} unchanged)`
    : `imported ${summary.rows} ${kind} from ${file} into ${where} (configuration version ${summary.version ?? '?'}): ${counts}`;
}
