import { SipParseError } from './parse-error.js';
import type { Params } from './types.js';

/** Character classes of RFC 3261 §25.1, as 128-entry lookup tables (faster than regular expressions). */
function table(chars: string, ranges: Array<[string, string]> = []): Uint8Array {
  const t = new Uint8Array(128);
  for (const ch of chars) t[ch.charCodeAt(0)] = 1;
  for (const [from, to] of ranges) for (let c = from.charCodeAt(0); c <= to.charCodeAt(0); c++) t[c] = 1;
  return t;
}

const alphanum: Array<[string, string]> = [
  ['a', 'z'],
  ['A', 'Z'],
  ['0', '9'],
];
/** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
export const TOKEN = table("-.!%*_+`'~", alphanum);

export function isToken(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || TOKEN[c] === 0) return false;
  }
  return true;
}

export function isWhitespace(code: number): boolean {
  return code === 32 || code === 9;
}

/** Index of the first character at or after `from` that is not SP/HTAB. */
export function skipWhitespace(text: string, from: number): number {
  let i = from;
  while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
  return i;
}

/**
 * Index just past the closing quote of the quoted-string starting at `start` (which is a `"`),
 * honouring quoted-pair escapes (§25.1). Throws when the string is not terminated.
 */
export function endOfQuoted(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) {
      i++;
      continue;
    }
    if (c === 34 /* " */) return i + 1;
  }
  throw new SipParseError(`unterminated quoted string in "${text}"`);
}

/** The contents of a quoted-string with quoted-pair escapes resolved. */
export function unquote(text: string): string {
  if (text.length < 2 || text.charCodeAt(0) !== 34 || text.charCodeAt(text.length - 1) !== 34) return text;
  let out = '';
  for (let i = 1; i < text.length - 1; i++) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length - 1) {
      out += text[++i];
    } else {
      out += ch;
    }
  }
  return out;
}

export function quote(text: string): string {
  return `"${text.replace(/(["\\])/g, '\\$1')}"`;
}

/**
 * Splits a header value at top-level commas: not inside quoted strings and not inside `<…>`
 * (§7.3.1: a list header's elements are comma-separated; commas in URIs or quoted text do not count).
 */
export function splitList(value: string): string[] {
  // Most list headers hold one element: no comma means nothing to split.
  if (value.indexOf(',') < 0) {
    const only = value.trim();
    return only.length === 0 ? [] : [only];
  }
  const parts: string[] = [];
  let start = 0;
  let angle = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 34) {
      i = endOfQuoted(value, i) - 1;
    } else if (c === 60 /* < */) {
      angle++;
    } else if (c === 62 /* > */) {
      if (angle > 0) angle--;
    } else if (c === 44 /* , */ && angle === 0) {
      parts.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (angle !== 0) throw new SipParseError(`unbalanced "<" in "${value}"`);
  parts.push(value.slice(start).trim());
  return parts.filter((part) => part.length > 0);
}

/**
 * Parses `;name[=value]` parameters from `text` starting at `from` (which points at a `;` or the end).
 * Names are lower-cased (§19.1.4, §7.3.1); values keep their spelling, quoted strings keep their quotes
 * so they serialise unchanged. Whitespace around `;` and `=` is allowed (SWS in §25.1).
 */
export function parseParams(text: string, from: number, stopAt?: number): Params {
  const params: Params = new Map();
  let i = from;
  const end = stopAt ?? text.length;
  for (;;) {
    i = skipWhitespace(text, i);
    if (i >= end) return params;
    if (text.charCodeAt(i) !== 59 /* ; */) throw new SipParseError(`expected ";" before parameter in "${text}"`);
    i = skipWhitespace(text, i + 1);
    const nameStart = i;
    while (i < end && !isWhitespace(text.charCodeAt(i)) && text[i] !== '=' && text[i] !== ';') i++;
    const name = text.slice(nameStart, i);
    if (name.length === 0) throw new SipParseError(`empty parameter name in "${text}"`);
    i = skipWhitespace(text, i);
    if (i < end && text[i] === '=') {
      i = skipWhitespace(text, i + 1);
      let valueEnd: number;
      if (text.charCodeAt(i) === 34) {
        valueEnd = endOfQuoted(text, i);
      } else {
        valueEnd = i;
        while (valueEnd < end && !isWhitespace(text.charCodeAt(valueEnd)) && text[valueEnd] !== ';') valueEnd++;
      }
      const value = text.slice(i, valueEnd);
      if (value.length === 0) throw new SipParseError(`parameter "${name}" has an empty value in "${text}"`);
      params.set(name.toLowerCase(), value);
      i = valueEnd;
    } else {
      params.set(name.toLowerCase(), null);
    }
  }
}

export function formatParams(params: Params): string {
  let out = '';
  for (const [name, value] of params) out += value === null ? `;${name}` : `;${name}=${value}`;
  return out;
}

/** A non-negative decimal integer no larger than `max`, or undefined when `text` is not one. */
export function parseUnsigned(text: string, max = 2 ** 32 - 1): number | undefined {
  if (text.length === 0 || text.length > 10) return undefined;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    n = n * 10 + c;
  }
  return n <= max ? n : undefined;
}
