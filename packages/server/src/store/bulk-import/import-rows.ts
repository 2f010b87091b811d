import { Value } from '@sinclair/typebox/value';
import { CsvError, parse } from 'csv-parse/sync';
import { didYouMean, explainSchemaError, shown, type SchemaLike } from '../config/parse-config.js';
import {
  importSpecs,
  kindOfHeader,
  type ImportColumn,
  type ImportKind,
  type ImportKindSpec,
} from './import-columns.js';

/**
 * One problem of an import file: the row as a spreadsheet numbers it (the header is row 1, the
 * first object row 2) and the column's name from the header ("" when the problem is the whole row's).
 */
export interface ImportProblem {
  row: number;
  column: string;
  message: string;
}

/** A row read and checked against the schema: its number, and the configuration object it asks for. */
export interface ImportRow {
  row: number;
  /** Its key (device name, directory number, user id), as written. */
  key: string;
  /** The columns the row gave a value in: what the checks of references look at. */
  given: ReadonlySet<string>;
  object: Record<string, unknown>;
}

export interface ParsedImport {
  spec: ImportKindSpec;
  header: string[];
  /** The object rows in file order, text not yet checked against the schema. */
  cells: Array<{ row: number; values: string[] }>;
}

/** The largest import file: ten thousand phones take about a megabyte; this leaves room for a hundred thousand. */
export const maxImportBytes = 16 * 1024 * 1024;

/**
 * Reads the CSV text: the header row and the rows under it. The kind comes from `kind` or, when not
 * given, from the header's key column (`name` for phones, `dn` for lines, `userId` for users).
 * Problems of the header (unknown columns, no key column) come back with the rows, which are still
 * checked unless the key column is missing.
 */
export function readImportCsv(
  text: string,
  kind: ImportKind | undefined,
): { parsed?: ParsedImport; problems: ImportProblem[] } {
  if (text.length > maxImportBytes) {
    const message = `the file has ${text.length} characters, more than the ${maxImportBytes} an import may have; split it into several files`;
    return { problems: [{ row: 1, column: '', message }] };
  }
  let records: string[][];
  try {
    // Empty lines are kept as records (and skipped below) so that row numbers stay the file's rows.
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false, trim: true });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const lines: unknown = Reflect.get(error, 'lines');
    const row = typeof lines === 'number' ? lines : 1;
    return { problems: [{ row, column: '', message: `not valid CSV: ${error.message}` }] };
  }
  const header = records[0];
  if (header === undefined || header.every((name) => name === '')) {
    return {
      problems: [{ row: 1, column: '', message: 'the file is empty; its first row names the columns' }],
    };
  }
  const chosen = kind ?? kindOfHeader(header);
  if (chosen === undefined) {
    return {
      problems: [
        {
          row: 1,
          column: '',
          message:
            'cannot tell what the file holds: its header needs exactly one of the columns "name" (phones), "dn" (lines) or "userId" (users), or give the kind (--kind, ?kind=)',
        },
      ],
    };
  }
  const spec = importSpecs[chosen];
  const problems = headerProblems(header, spec);
  // Without its key column no row can be checked; past an unknown column the rows still are.
  if (!header.includes(spec.key)) return { problems };
  const cells: ParsedImport['cells'] = [];
  records.forEach((values, index) => {
    if (index === 0 || values.every((value) => value === '')) return;
    cells.push({ row: index + 1, values });
  });
  return { parsed: { spec, header, cells }, problems };
}

function headerProblems(header: readonly string[], spec: ImportKindSpec): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const known = spec.columns.map((c) => c.name);
  const seen = new Set<string>();
  header.forEach((name, index) => {
    const column = name === '' ? `(column ${index + 1})` : name;
    if (name === '') {
      problems.push({ row: 1, column, message: 'a column without a name; name it or remove it' });
    } else if (!known.includes(name)) {
      const guess = didYouMean(name, known);
      problems.push({
        row: 1,
        column,
        message:
          `unknown column for ${spec.kind}` +
          (guess === undefined ? '' : ` (did you mean "${guess}"?)`) +
          `; the columns are: ${known.join(', ')}`,
      });
    } else if (seen.has(name)) {
      problems.push({ row: 1, column, message: 'this column appears twice; keep one' });
    }
    seen.add(name);
  });
  if (!header.includes(spec.key)) {
    problems.push({ row: 1, column: spec.key, message: `the header has no "${spec.key}" column; every row needs one` });
  }
  return problems;
}

/**
 * Turns one row into its configuration object and checks it with the configuration's own schema,
 * naming each problem by row and column.
 */
export function readImportRow(
  parsed: ParsedImport,
  cells: { row: number; values: string[] },
): { row?: ImportRow; problems: ImportProblem[] } {
  const { spec, header } = parsed;
  const { row, values } = cells;
  const problems: ImportProblem[] = [];
  const object: Record<string, unknown> = {};
  const given = new Set<string>();
  if (values.length > header.length) {
    problems.push({
      row,
      column: `(column ${header.length + 1})`,
      message: `the row has ${values.length} cells but the header names ${header.length} columns`,
    });
  }
  header.forEach((name, index) => {
    const text = values[index] ?? '';
    const column = spec.columns.find((candidate) => candidate.name === name);
    if (column === undefined || text === '') return;
    const value = cellValue(column, text);
    if ('problem' in value) {
      problems.push({ row, column: name, message: value.problem });
      return;
    }
    given.add(name);
    setAt(object, column.path, value.value);
  });
  if (spec.kind === 'phones' && object.type === undefined) object.type = 'sip-phone';
  const key = values[header.indexOf(spec.key)] ?? '';
  if (key === '') problems.push({ row, column: spec.key, message: `every row needs a ${spec.key}` });
  // The schema's problems, each on the column its path starts with (one per column is enough).
  const named = new Set(problems.map((p) => p.column));
  for (const error of Value.Errors(spec.schema, object)) {
    const path = error.path.split('/').slice(1);
    const column = columnOf(spec, path);
    const name = column?.name ?? spec.key;
    if (named.has(name)) continue;
    named.add(name);
    problems.push({ row, column: name, message: schemaProblem(column, path, error) });
  }
  // In the order of the row's columns, as a person reads it.
  const position = (name: string) => (header.includes(name) ? header.indexOf(name) : header.length);
  problems.sort((a, b) => position(a.column) - position(b.column));
  return problems.length > 0 ? { problems } : { row: { row, key, given, object }, problems };
}

type CellValue = { value: unknown } | { problem: string };

function cellValue(column: ImportColumn, text: string): CellValue {
  switch (column.type) {
    case 'text':
      return { value: text };
    case 'integer':
      return /^[0-9]{1,9}$/.test(text) ? { value: Number(text) } : { problem: `${shown(text)} is not a whole number` };
    case 'boolean': {
      const lower = text.toLowerCase();
      if (['true', 'yes', '1'].includes(lower)) return { value: true };
      if (['false', 'no', '0'].includes(lower)) return { value: false };
      return { problem: `${shown(text)} is not true or false (yes/no and 1/0 also do)` };
    }
    case 'list':
      return {
        value: text
          .split(';')
          .map((item) => item.trim())
          .filter((item) => item !== ''),
      };
    case 'forward':
      return { value: text.toLowerCase() === 'voicemail' ? { voicemail: true } : { destination: text } };
  }
}

function setAt(object: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let target = object;
  for (const key of path.slice(0, -1)) {
    const next = target[key];
    if (next !== null && typeof next === 'object' && !Array.isArray(next)) {
      target = next as Record<string, unknown>;
    } else {
      const created: Record<string, unknown> = {};
      target[key] = created;
      target = created;
    }
  }
  target[path.at(-1)!] = value;
}

/** The column whose path is the longest start of `path`. */
function columnOf(spec: ImportKindSpec, path: readonly string[]): ImportColumn | undefined {
  let best: ImportColumn | undefined;
  for (const column of spec.columns) {
    if (column.path.every((part, index) => path[index] === part)) {
      if (best === undefined || column.path.length > best.path.length) best = column;
    }
  }
  return best;
}

/** A schema error as a sentence about the cell: a list names its item, a forward target its form. */
function schemaProblem(
  column: ImportColumn | undefined,
  path: readonly string[],
  error: { message: string; schema: unknown; value: unknown },
): string {
  if (column === undefined) return error.message;
  if (column.type === 'forward') {
    const target = error.value as { destination?: unknown } | undefined;
    return `${shown(target?.destination ?? error.value)} is not a number to forward to; write a directory number or "voicemail"`;
  }
  const bounds = error.schema as { minimum?: number; maximum?: number };
  if (typeof error.value === 'number' && bounds.maximum !== undefined && error.value > bounds.maximum)
    return `${error.value} is more than ${bounds.maximum}, the most allowed here`;
  if (typeof error.value === 'number' && bounds.minimum !== undefined && error.value < bounds.minimum)
    return `${error.value} is less than ${bounds.minimum}, the least allowed here`;
  const detail = explainSchemaError(
    error as { message: string; schema: SchemaLike; value: unknown },
    path.at(-1),
    undefined,
  );
  const item = path[column.path.length];
  return column.type === 'list' && item !== undefined && /^\d+$/.test(item)
    ? `item ${Number(item) + 1} (${shown(error.value)}): ${detail}`
    : detail;
}
