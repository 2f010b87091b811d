import { isStrowgerError } from '../../core/index.js';
import type { ApplyOptions, ApplyResult } from '../apply-config.js';
import type { ConfigDocument } from '../config/config-schema.js';
import type { ConfigSnapshot } from '../snapshot.js';
import type { ImportKind } from './import-columns.js';
import { checkImportRows } from './import-checks.js';
import { readImportCsv, readImportRow, type ImportProblem, type ImportRow } from './import-rows.js';

export type ImportState = 'validating' | 'applying' | 'done' | 'failed';

/** What an import did or, for a dry run, would do, counted for its kind of object. */
export interface ImportSummary {
  kind: ImportKind | null;
  dryRun: boolean;
  /** Rows of objects the file has (the header and empty rows not counted). */
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  /** The configuration version after the apply (or still, for a dry run); null until known. */
  version: number | null;
}

/** An import as the API reports it while it runs and after. */
export interface ImportStatus {
  id: string;
  state: ImportState;
  /** Rows checked while validating; rows' worth of work written while applying. */
  progress: { done: number; total: number };
  problems: ImportProblem[];
  summary: ImportSummary;
}

/** What an import reads and changes: the configuration, through the same apply as `config apply`. */
export interface ImportTarget {
  current(): Promise<ConfigSnapshot>;
  apply(doc: ConfigDocument, options: ApplyOptions): Promise<ApplyResult>;
}

export interface BulkImportOptions {
  id: string;
  text: string;
  /** The file's kind; told from its header when not given. */
  kind?: ImportKind | undefined;
  dryRun: boolean;
  /** Who imports, for the audit log. */
  actor: string;
  /** Names the file in messages and the audit entry. */
  source?: string;
  target: ImportTarget;
  /** Called whenever the state or progress changes (often: keep it cheap). */
  onChange?: (status: ImportStatus) => void;
}

/** Rows checked between two turns of the event loop, so that a large file never holds it for long. */
const rowsPerTurn = 500;
/** At most this many problems are listed; a file that bad has a systematic fault the first ones show. */
export const maxImportProblems = 10_000;

const sectionCounts = { phones: 'devices', lines: 'lines', users: 'endUsers' } as const;

/**
 * A bulk import of phones, lines or end users from CSV (CUCM's Bulk Administration Tool): reads and
 * checks every row, reporting every problem by row and column, then — unless a dry run — applies all
 * rows as one configuration document in one transaction, the same path as `config apply`, so it is
 * all or nothing and the engine follows it as it commits.
 */
export class BulkImport {
  readonly #options: BulkImportOptions;
  readonly #status: ImportStatus;

  constructor(options: BulkImportOptions) {
    this.#options = options;
    this.#status = {
      id: options.id,
      state: 'validating',
      progress: { done: 0, total: 0 },
      problems: [],
      summary: {
        kind: options.kind ?? null,
        dryRun: options.dryRun,
        rows: 0,
        created: 0,
        updated: 0,
        unchanged: 0,
        version: null,
      },
    };
  }

  /** The status now (a copy: it goes on changing while the import runs). */
  get status(): ImportStatus {
    const status = this.#status;
    return {
      ...status,
      progress: { ...status.progress },
      problems: [...status.problems],
      summary: { ...status.summary },
    };
  }

  /** Runs the import to its end; never rejects: a failure is the state `failed` with its problems. */
  async run(): Promise<ImportStatus> {
    try {
      await this.#run();
    } catch (error) {
      this.#fail(problemsOf(error, []));
    }
    return this.status;
  }

  async #run(): Promise<void> {
    const { text, kind, dryRun } = this.#options;
    const read = readImportCsv(text, kind);
    if (read.parsed === undefined) return this.#fail(read.problems);
    const { parsed } = read;
    const spec = parsed.spec;
    this.#status.summary.kind = spec.kind;
    this.#status.summary.rows = parsed.cells.length;
    this.#progress(0, parsed.cells.length);
    const problems: ImportProblem[] = [...read.problems];
    const rows: ImportRow[] = [];
    for (let start = 0; start < parsed.cells.length; start += rowsPerTurn) {
      for (const cells of parsed.cells.slice(start, start + rowsPerTurn)) {
        const result = readImportRow(parsed, cells);
        problems.push(...result.problems);
        if (result.row !== undefined) rows.push(result.row);
      }
      this.#progress(Math.min(start + rowsPerTurn, parsed.cells.length), parsed.cells.length);
      await nextTurn();
    }
    const current = await this.#options.target.current();
    problems.push(...checkImportRows(spec.kind, rows, current));
    if (problems.length > 0) return this.#fail(problems);
    if (rows.length === 0) {
      return this.#fail([{ row: 2, column: '', message: 'the file has a header but no rows to import' }]);
    }

    const doc: ConfigDocument = { [spec.section]: rows.map((row) => row.object) };
    const source = this.#options.source ?? `the ${spec.kind} file`;
    if (!dryRun) this.#setState('applying', 0);
    let result: ApplyResult;
    try {
      result = await this.#options.target.apply(doc, {
        dryRun,
        source,
        actor: this.#options.actor,
        auditAs: {
          resource: 'bulk-import',
          key: this.#options.id,
          after: { kind: spec.kind, source, rows: rows.length },
          note: `bulk import of ${rows.length} ${spec.kind}`,
        },
        onProgress: (done, total) => {
          if (!dryRun && total > 0) this.#progress(Math.floor((done / total) * rows.length), rows.length);
        },
      });
    } catch (error) {
      return this.#fail(problemsOf(error, rows));
    }
    const counts = result[sectionCounts[spec.kind]];
    Object.assign(this.#status.summary, {
      created: counts.created,
      updated: counts.updated,
      // The apply counts every object of the kind it kept; the file's own unchanged rows are the rest.
      unchanged: rows.length - counts.created - counts.updated,
      version: result.version,
    });
    this.#setState('done', rows.length);
  }

  #progress(done: number, total: number): void {
    const progress = this.#status.progress;
    if (progress.done === done && progress.total === total) return;
    this.#status.progress = { done, total };
    this.#options.onChange?.(this.status);
  }

  #setState(state: ImportState, done: number): void {
    this.#status.state = state;
    this.#status.progress = { done, total: this.#status.summary.rows };
    this.#options.onChange?.(this.status);
  }

  #fail(problems: ImportProblem[]): void {
    const listed = problems.slice(0, maxImportProblems);
    if (problems.length > maxImportProblems) {
      listed.push({
        row: 0,
        column: '',
        message: `and ${problems.length - maxImportProblems} more problems; fix these and import again to see the rest`,
      });
    }
    this.#status.problems = listed;
    this.#status.state = 'failed';
    this.#options.onChange?.(this.status);
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * An error of the apply as problems: the configuration's own rules name their object ("device X:",
 * "lines[3]:"), which is found among the rows; anything else is the whole file's problem (row 0).
 */
function problemsOf(error: unknown, rows: readonly ImportRow[]): ImportProblem[] {
  const details = isStrowgerError(error) ? error.details?.problems : undefined;
  if (!Array.isArray(details)) {
    const message = isStrowgerError(error) ? error.message : 'the import failed; the server log has the details';
    return [{ row: 0, column: '', message }];
  }
  const byKey = new Map(rows.map((row) => [row.key, row]));
  return details.map((detail: unknown) => {
    const text = String(detail);
    const indexed = /^(?:devices|lines|endUsers)\[(\d+)\]/.exec(text);
    const named = /^(?:device|line|user|end user) ([^\s:]+)/.exec(text);
    const row = indexed !== null ? rows[Number(indexed[1])] : named !== null ? byKey.get(named[1]!) : undefined;
    return { row: row?.row ?? 0, column: '', message: text };
  });
}
