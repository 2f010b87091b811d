import { Value } from '@sinclair/typebox/value';
import { LineCounter, parseDocument, isCollection, isMap, isNode, isPair, isScalar, type Document } from 'yaml';
import { ErrorCode, StrowgerError } from '../../core/index.js';
import { maxConfigFileBytes } from './config-file.js';
import { ConfigDocumentSchema, ForwardTargetSchema, type ConfigDocument } from './config-schema.js';

export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  /** Dotted path into the document, e.g. `devices[2].sip.password`. */
  path: string;
  message: string;
}

function pathText(segments: Array<string | number>): string {
  let out = '';
  for (const segment of segments)
    out += typeof segment === 'number' ? `[${segment}]` : out === '' ? segment : `.${segment}`;
  return out || '(document)';
}

function position(
  doc: Document,
  counter: LineCounter,
  segments: Array<string | number>,
): { line: number; col: number } {
  // The deepest node that exists along the path: a missing key points at its parent object.
  for (let length = segments.length; length >= 0; length--) {
    const node = doc.getIn(segments.slice(0, length), true);
    if (isNode(node) && node.range !== undefined && node.range !== null) return counter.linePos(node.range[0]);
  }
  return { line: 1, col: 1 };
}

/** Where a key itself is written (for an unknown key, the key is what to fix, not its value). */
function keyPosition(
  doc: Document,
  counter: LineCounter,
  segments: Array<string | number>,
): { line: number; col: number } {
  const parent = doc.getIn(segments.slice(0, -1), true);
  const key = segments.at(-1);
  if (isMap(parent)) {
    for (const pair of parent.items) {
      if (isScalar(pair.key) && String(pair.key.value) === String(key) && pair.key.range)
        return counter.linePos(pair.key.range[0]);
    }
  }
  return position(doc, counter, segments);
}

/** The longest value quoted in a message: a 50 MB value is named by its start and its length. */
const maxShownLength = 60;

/** A value as a message quotes it: JSON, cut short with its full length when long. */
export function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const quoted =
    typeof value === 'string' ? JSON.stringify(text.slice(0, maxShownLength)) : text.slice(0, maxShownLength);
  return text.length > maxShownLength ? `${quoted}… (${text.length} characters)` : quoted;
}

/** The allowed key closest to a misspelt one, when it is close enough to be what was meant. */
export function didYouMean(key: string, allowed: string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of allowed) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase());
    if (best === undefined || distance < best.distance) best = { name, distance };
  }
  return best !== undefined && best.distance <= Math.max(1, Math.floor(best.name.length / 3)) ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3 || a.length > 64 || b.length > 64) return Math.max(a.length, b.length);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}

function unknownKey(key: string, allowed: string[]): string {
  const guess = didYouMean(key, allowed);
  return (
    `unknown key ${shown(key)}` +
    (guess !== undefined ? ` (did you mean "${guess}"?)` : '') +
    (allowed.length > 0 ? `; allowed here: ${allowed.join(', ')}` : '')
  );
}

const forwardTargetKeys = ['destination', 'voicemail'];

function isForwardTarget(schema: { description?: string }): boolean {
  return schema.description === ForwardTargetSchema.description;
}

function firstUnknownKey(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return Object.keys(value).find((key) => !forwardTargetKeys.includes(key));
}

/**
 * A forward target is one of two objects, so the schema's own error is only "expected union value";
 * this says which of the two was meant and what is wrong with it.
 */
function forwardTargetProblem(value: unknown): string {
  const forms = 'a forward target is { destination: "<number>" } or { voicemail: true }';
  if (typeof value === 'string' || typeof value === 'number') {
    const text = String(value);
    if (text.toLowerCase() === 'voicemail') return `${forms}; write { voicemail: true }`;
    return `${forms}; write { destination: "${text.slice(0, 32)}" }`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return forms;
  const keys = Object.keys(value);
  const unknown = firstUnknownKey(value);
  if (unknown !== undefined) return `${unknownKey(unknown, forwardTargetKeys)}; ${forms}`;
  if (keys.length !== 1) return `${forms}, not both`;
  const record = value as Record<string, unknown>;
  if ('voicemail' in record) return `voicemail: ${shown(record.voicemail)} is not valid; ${forms}`;
  if (typeof record.destination === 'number')
    return `expected text, got the number ${record.destination}; quote it: "${record.destination}"`;
  return `destination ${shown(record.destination)} is not a directory number; ${forms}`;
}

export interface SchemaLike {
  type?: string;
  description?: string;
  pattern?: string;
  maxLength?: number;
  anyOf?: Array<{ const?: unknown }>;
  properties?: Record<string, unknown>;
}

/** Turns one TypeBox error into a sentence that says what is expected. */
export function explainSchemaError(
  error: { message: string; schema: SchemaLike; value: unknown },
  key: string | number | undefined,
  parent: SchemaLike | undefined,
): string {
  const { schema, value } = error;
  if (error.message.startsWith('Unexpected property')) {
    return unknownKey(String(key), Object.keys(parent?.properties ?? {}));
  }
  if (isForwardTarget(error.schema)) return forwardTargetProblem(value);
  if (schema.anyOf !== undefined && schema.anyOf.every((option) => option.const !== undefined)) {
    return `${shown(value)} is not one of: ${schema.anyOf.map((option) => String(option.const)).join(', ')}`;
  }
  if (schema.type === 'string' && typeof value === 'number') {
    return `expected text, got the number ${value}; quote it: "${value}"`;
  }
  if (schema.type === 'string' && typeof value === 'string' && schema.maxLength !== undefined) {
    if (value.length > schema.maxLength)
      return `${shown(value)} is longer than the ${schema.maxLength} characters allowed here`;
  }
  if (schema.description !== undefined && schema.pattern !== undefined) {
    return `${shown(value)} is not valid: ${schema.description}`;
  }
  return error.message.replace(/^Expected/, 'expected');
}

/** Deeper than any configuration needs (the deepest key is six levels down), shallow enough to walk. */
const maxDepth = 16;
/** Aliases (`*name`) expanded at most this many times: a "billion laughs" file is refused, not expanded. */
const maxAliasCount = 100;

/** The first node nested deeper than maxDepth, walked without recursion. */
function tooDeep(doc: Document): { range?: [number, number, number] | null } | undefined {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: doc.contents, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (!isCollection(node)) continue;
    if (depth >= maxDepth) return node;
    for (const item of node.items) {
      if (isPair(item)) stack.push({ node: item.value, depth: depth + 1 });
      else stack.push({ node: item, depth: depth + 1 });
    }
  }
  return undefined;
}

function configInvalid(fileName: string, problems: ConfigProblem[]): StrowgerError {
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  const list = problems.map((p) => `  ${p.file}:${p.line}:${p.column} ${p.path}: ${p.message}`).join('\n');
  return new StrowgerError(
    ErrorCode.ConfigInvalid,
    `${fileName} has ${problems.length} problem(s); nothing was applied:\n${list}`,
    { details: { problems } },
  );
}

/**
 * Parses and validates a configuration file. Every problem is collected — YAML syntax, schema,
 * duplicates within the file — and reported together, each with its file, line, column and path.
 * Input is bounded before it is parsed: the text's size, nesting depth and alias expansion.
 */
export function parseConfigFile(text: string, fileName: string): ConfigDocument {
  if (text.length > maxConfigFileBytes) {
    throw new StrowgerError(
      ErrorCode.ConfigInvalid,
      `${fileName} has ${text.length} characters, more than the ${maxConfigFileBytes} a configuration may have; ` +
        'split it into several files and apply them one after another (apply merges)',
      { details: { length: text.length, maxLength: maxConfigFileBytes } },
    );
  }
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const problems: ConfigProblem[] = [];
  const at = (offset: number, message: string) => {
    const pos = counter.linePos(offset);
    problems.push({ file: fileName, line: pos.line, column: pos.col, path: '(document)', message });
  };
  for (const error of doc.errors) {
    // The parser recurses into flow collections; a stack overflow there is a document nested too deep.
    const nested = /Maximum call stack size exceeded/.test(error.message);
    at(
      error.pos[0],
      nested
        ? `nested too deeply; a configuration needs at most ${maxDepth} levels`
        : `YAML syntax: ${shownLine(error.message.split('\n')[0] ?? '')}`,
    );
  }
  if (problems.length === 0) {
    const deep = tooDeep(doc);
    if (deep !== undefined) at(deep.range?.[0] ?? 0, `nested deeper than ${maxDepth} levels; no configuration key is`);
  }
  if (problems.length > 0) throw configInvalid(fileName, problems);

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount }) ?? {};
  } catch (error) {
    // yaml throws a ReferenceError when aliases would expand past maxAliasCount.
    if (!(error instanceof ReferenceError)) throw error;
    at(
      0,
      `its aliases (*name) would expand more than ${maxAliasCount} times; write the values out instead of nesting aliases`,
    );
    throw configInvalid(fileName, problems);
  }
  const seen = new Set<string>();
  for (const error of Value.Errors(ConfigDocumentSchema, value)) {
    const segments = error.path
      .split('/')
      .slice(1)
      .map((part) => (/^\d+$/.test(part) ? Number(part) : part.replace(/~1/g, '/').replace(/~0/g, '~')));
    const path = pathText(segments);
    // A union reports one error per branch; the first says enough.
    if (seen.has(path)) continue;
    seen.add(path);
    const unexpected = error.message.startsWith('Unexpected property');
    // A misspelt key inside a forward target is found by forwardTargetProblem; point at that key.
    const strayKey = isForwardTarget(error.schema) ? firstUnknownKey(error.value) : undefined;
    const pos =
      unexpected || strayKey !== undefined
        ? keyPosition(doc, counter, strayKey === undefined ? segments : [...segments, strayKey])
        : position(doc, counter, segments);
    problems.push({
      file: fileName,
      line: pos.line,
      column: pos.col,
      path: shownPath(path),
      message: explainSchemaError(
        error as never,
        segments.at(-1),
        unexpected ? (error.schema as SchemaLike) : undefined,
      ),
    });
  }
  if (problems.length === 0) problems.push(...duplicates(doc, counter, fileName, value as ConfigDocument));
  if (problems.length > 0) throw configInvalid(fileName, problems);
  return value as ConfigDocument;
}

/** A YAML parser message quotes source; a long line is cut like a long value. */
function shownLine(message: string): string {
  return message.length > 200 ? `${message.slice(0, 200)}…` : message;
}

/** A path can hold a key the file made up, as long as the file wishes: cut it like a value. */
function shownPath(path: string): string {
  return path.length > 120 ? `${path.slice(0, 120)}…` : path;
}

function duplicates(doc: Document, counter: LineCounter, file: string, value: ConfigDocument): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const check = <T>(
    section: 'devices' | 'lines' | 'endUsers' | 'applicationUsers',
    items: T[] | undefined,
    key: (item: T) => string,
    field: string,
  ) => {
    const first = new Map<string, number>();
    (items ?? []).forEach((item, index) => {
      const name = key(item);
      const earlier = first.get(name);
      if (earlier === undefined) {
        first.set(name, index);
        return;
      }
      const pos = position(doc, counter, [section, index, field]);
      problems.push({
        file,
        line: pos.line,
        column: pos.col,
        path: `${section}[${index}].${field}`,
        message: `"${name}" is already defined at ${section}[${earlier}]; each must be unique`,
      });
    });
  };
  check('devices', value.devices, (d) => d.name, 'name');
  check('lines', value.lines, (l) => l.dn, 'dn');
  check('endUsers', value.endUsers, (u) => u.userId, 'userId');
  check('applicationUsers', value.applicationUsers, (u) => u.userId, 'userId');
  (value.devices ?? []).forEach((device, index) => {
    const at = (field: string, message: string) => {
      const pos = position(doc, counter, ['devices', index, field]);
      problems.push({ file, line: pos.line, column: pos.col, path: `devices[${index}].${field}`, message });
    };
    if (device.sip !== undefined && device.type !== 'sip-phone')
      at('sip', `only a sip-phone has SIP credentials; ${device.type} ${device.name} is registered by its application`);
    if (device.type === 'sip-phone' && device.sip === undefined)
      at('name', `sip-phone ${device.name} needs sip: { username, password } to register`);
    if (device.type === 'cti-port' && (device.lines ?? []).length !== 1) at('lines', `a cti-port has exactly one line`);
    if (new Set(device.lines ?? []).size !== (device.lines ?? []).length)
      at('lines', 'a line appears twice on this device');
  });
  (value.endUsers ?? []).forEach((user, index) => {
    if (user.password !== undefined && user.passwordHash !== undefined) {
      const pos = position(doc, counter, ['endUsers', index, 'passwordHash']);
      problems.push({
        file,
        line: pos.line,
        column: pos.col,
        path: `endUsers[${index}]`,
        message: 'give password or passwordHash, not both',
      });
    }
  });
  return problems;
}
