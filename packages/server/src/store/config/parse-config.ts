import { Value } from '@sinclair/typebox/value';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { ErrorCode, StrowgerError } from '../../core/index.js';
import { ConfigDocumentSchema, type ConfigDocument } from './config-schema.js';

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

interface SchemaLike {
  type?: string;
  description?: string;
  pattern?: string;
  anyOf?: Array<{ const?: unknown }>;
  properties?: Record<string, unknown>;
}

/** Turns one TypeBox error into a sentence that says what is expected. */
function explain(
  error: { message: string; schema: SchemaLike; value: unknown },
  key: string | number | undefined,
  parent: SchemaLike | undefined,
): string {
  const { schema, value } = error;
  if (error.message.startsWith('Unexpected property')) {
    const allowed = Object.keys(parent?.properties ?? {});
    return `unknown key "${String(key)}"${allowed.length > 0 ? `; allowed here: ${allowed.join(', ')}` : ''}`;
  }
  if (schema.anyOf !== undefined && schema.anyOf.every((option) => option.const !== undefined)) {
    return `${JSON.stringify(value)} is not one of: ${schema.anyOf.map((option) => String(option.const)).join(', ')}`;
  }
  if (schema.type === 'string' && typeof value === 'number') {
    return `expected text, got the number ${value}; quote it: "${value}"`;
  }
  if (schema.description !== undefined && schema.pattern !== undefined) {
    return `${JSON.stringify(value)} is not valid: ${schema.description}`;
  }
  return error.message.replace(/^Expected/, 'expected');
}

/**
 * Parses and validates a configuration file. Every problem is collected — YAML syntax, schema,
 * duplicates within the file — and reported together, each with its file, line, column and path.
 */
export function parseConfigFile(text: string, fileName: string): ConfigDocument {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const problems: ConfigProblem[] = [];
  for (const error of doc.errors) {
    const pos = counter.linePos(error.pos[0]);
    problems.push({
      file: fileName,
      line: pos.line,
      column: pos.col,
      path: '(document)',
      message: `YAML syntax: ${error.message.split('\n')[0]}`,
    });
  }
  if (problems.length === 0) {
    const value: unknown = doc.toJS() ?? {};
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
      const pos = position(doc, counter, segments);
      problems.push({
        file: fileName,
        line: pos.line,
        column: pos.col,
        path,
        message: explain(
          error as never,
          segments.at(-1),
          error.message.startsWith('Unexpected property') ? (error.schema as SchemaLike) : undefined,
        ),
      });
    }
    if (problems.length === 0) problems.push(...duplicates(doc, counter, fileName, value as ConfigDocument));
  }
  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    const list = problems.map((p) => `  ${p.file}:${p.line}:${p.column} ${p.path}: ${p.message}`).join('\n');
    throw new StrowgerError(
      ErrorCode.ConfigInvalid,
      `${fileName} has ${problems.length} problem(s); nothing was applied:\n${list}`,
      {
        details: { problems },
      },
    );
  }
  return (doc.toJS() ?? {}) as ConfigDocument;
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
