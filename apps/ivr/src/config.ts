import { readFile } from 'node:fs/promises';
import { Value } from '@sinclair/typebox/value';
import { ErrorCode, StrowgerError } from '@strowger/core';
import { LineCounter, isNode, parseDocument, type Document } from 'yaml';
import { BusinessHoursSchema, IvrConfigSchema, MenuSchema, type IvrConfig } from './config-schema.js';

export interface ConfigProblem {
  readonly line: number;
  readonly column: number;
  /** Dotted path of the key, e.g. `menus.main.options.1`. */
  readonly path: string;
  readonly message: string;
}

function pathText(segments: readonly (string | number)[]): string {
  let out = '';
  for (const segment of segments)
    out += typeof segment === 'number' ? `[${segment}]` : out === '' ? segment : `.${segment}`;
  return out || '(document)';
}

/** The line and column of the deepest node along the path that exists (a missing key: its parent). */
function position(doc: Document, counter: LineCounter, segments: readonly (string | number)[]) {
  for (let length = segments.length; length >= 0; length--) {
    const node = doc.getIn(segments.slice(0, length), true);
    if (isNode(node) && node.range !== undefined && node.range !== null) return counter.linePos(node.range[0]);
  }
  return { line: 1, col: 1 };
}

function invalid(fileName: string, problems: ConfigProblem[]): StrowgerError {
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  const list = problems.map((p) => `  ${fileName}:${p.line}:${p.column} ${p.path}: ${p.message}`).join('\n');
  return new StrowgerError(ErrorCode.ConfigInvalid, `${fileName} has ${problems.length} problem(s):\n${list}`, {
    details: { problems },
  });
}

/** Checks across keys the schema cannot make: every name refers to something defined. */
function referenceProblems(config: IvrConfig): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const menus = Object.keys(config.menus);
  const menuMissing = (name: string) =>
    `menu "${name}" is not defined under menus (defined: ${menus.join(', ') || 'none'})`;
  for (const [name, menu] of Object.entries(config.menus)) {
    for (const [key, action] of Object.entries(menu.options)) {
      if ('menu' in action && !(action.menu in config.menus))
        problems.push({ path: ['menus', name, 'options', key], message: menuMissing(action.menu) });
      if ('operator' in action && config.operator === undefined)
        problems.push({
          path: ['menus', name, 'options', key],
          message: 'operator is chosen but no operator number is set',
        });
    }
  }
  for (const [name, attendant] of Object.entries(config.autoAttendants)) {
    for (const key of ['menu', 'afterHoursMenu', 'holidayMenu'] as const) {
      const menu = attendant[key];
      if (menu !== undefined && !(menu in config.menus))
        problems.push({ path: ['autoAttendants', name, key], message: menuMissing(menu) });
    }
    const timeZone = attendant.businessHours?.timeZone;
    if (timeZone !== undefined) {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone });
      } catch {
        problems.push({
          path: ['autoAttendants', name, 'businessHours', 'timeZone'],
          message: `"${timeZone}" is not a time zone; use an IANA name such as Europe/Berlin or America/New_York`,
        });
      }
    }
    if (attendant.afterHoursMenu !== undefined && attendant.businessHours === undefined)
      problems.push({
        path: ['autoAttendants', name, 'afterHoursMenu'],
        message: 'an after-hours menu needs businessHours saying when the business is open',
      });
  }
  config.routePoints.forEach((routePoint, index) => {
    if (typeof routePoint.application === 'object' && !(routePoint.application.autoAttendant in config.autoAttendants))
      problems.push({
        path: ['routePoints', index, 'application', 'autoAttendant'],
        message: `auto-attendant "${routePoint.application.autoAttendant}" is not defined under autoAttendants`,
      });
  });
  const seen = new Map<string, string>();
  const unique = (path: (string | number)[], key: string, what: string) => {
    const earlier = seen.get(key);
    if (earlier !== undefined) problems.push({ path, message: `${what} is already used by ${earlier}` });
    else seen.set(key, pathText(path));
  };
  config.routePoints.forEach((rp, index) => {
    unique(['routePoints', index, 'name'], `device:${rp.name}`, `device name ${rp.name}`);
    unique(['routePoints', index, 'number'], `number:${rp.number}`, `number ${rp.number}`);
  });
  config.ports.forEach((port, index) => {
    unique(['ports', index, 'name'], `device:${port.name}`, `device name ${port.name}`);
    unique(['ports', index, 'dn'], `number:${port.dn}`, `number ${port.dn}`);
  });
  if (config.dialByExtensionPattern !== undefined) {
    try {
      new RegExp(config.dialByExtensionPattern);
    } catch (error) {
      problems.push({
        path: ['dialByExtensionPattern'],
        message: `is not a regular expression: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
  return problems;
}

/**
 * Parses and validates the IVR's YAML configuration, filling in defaults. Every problem is reported
 * at once, each with its line, column and the key to fix.
 */
export function parseConfig(text: string, fileName: string): IvrConfig {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const problems: ConfigProblem[] = doc.errors.map((error) => {
    const pos = counter.linePos(error.pos[0]);
    return {
      line: pos.line,
      column: pos.col,
      path: '(document)',
      message: `YAML syntax: ${error.message.split('\n')[0]}`,
    };
  });
  if (problems.length > 0) throw invalid(fileName, problems);
  const value = Value.Default(IvrConfigSchema, doc.toJS({ maxAliasCount: 100 }) ?? {});
  // TypeBox fills defaults in objects but not in a record's entries: the menus get theirs here.
  const menus = (value as { menus?: unknown }).menus;
  if (typeof menus === 'object' && menus !== null) {
    for (const [name, menu] of Object.entries(menus))
      (menus as Record<string, unknown>)[name] = Value.Default(MenuSchema, menu);
  }
  const attendants = (value as { autoAttendants?: unknown }).autoAttendants;
  if (typeof attendants === 'object' && attendants !== null) {
    for (const attendant of Object.values(attendants)) {
      const hours = (attendant as { businessHours?: unknown } | null)?.businessHours;
      if (typeof hours === 'object' && hours !== null) Value.Default(BusinessHoursSchema, hours);
    }
  }
  const seen = new Set<string>();
  for (const error of Value.Errors(IvrConfigSchema, value)) {
    const segments = error.path
      .split('/')
      .slice(1)
      .map((part) => (/^\d+$/.test(part) ? Number(part) : part.replace(/~1/g, '/').replace(/~0/g, '~')));
    const path = pathText(segments);
    // A union reports one error per branch; the first says enough.
    if (seen.has(path)) continue;
    seen.add(path);
    const pos = position(doc, counter, segments);
    const shown = error.value === undefined ? 'missing' : `${JSON.stringify(error.value)?.slice(0, 60)}`;
    // YAML reads 5000 as a number: numbers and PINs are written in quotes.
    const hint =
      typeof error.value === 'number' && error.schema.type === 'string' ? `; write it in quotes: "${error.value}"` : '';
    problems.push({ line: pos.line, column: pos.col, path, message: `${error.message} (found: ${shown})${hint}` });
  }
  if (problems.length > 0) throw invalid(fileName, problems);
  const config = value as IvrConfig;
  for (const problem of referenceProblems(config)) {
    const pos = position(doc, counter, problem.path);
    problems.push({ line: pos.line, column: pos.col, path: pathText(problem.path), message: problem.message });
  }
  if (problems.length > 0) throw invalid(fileName, problems);
  return config;
}

export async function loadConfig(fileName: string): Promise<IvrConfig> {
  let text: string;
  try {
    text = await readFile(fileName, 'utf8');
  } catch (error) {
    throw new StrowgerError(
      ErrorCode.NotFound,
      `cannot read the configuration ${fileName}: ${error instanceof Error ? error.message : String(error)}; ` +
        'start from ivr.example.yaml',
      { cause: error },
    );
  }
  return parseConfig(text, fileName);
}
