import { SipParseError } from './parse-error.js';
import { listHeaders, canonicalHeaderName, headerKey } from './header-names.js';
import { parseUnsigned, splitList } from './grammar.js';
import { parseContactValue, parseNameAddress } from './name-address.js';
import { parseVia } from './via.js';
import type {
  ContactValue,
  CSeq,
  HeaderField,
  NameAddress,
  SipRequestInit,
  SipResponseInit,
  Uri,
  Via,
} from './types.js';

/**
 * A stored header field: the public name/value plus the lower-case long-form key used for lookups.
 * Immutable, so the parser's fields are adopted as they are instead of being copied.
 */
class StoredField implements HeaderField {
  constructor(
    readonly name: string,
    readonly value: string,
    readonly key: string,
  ) {}
}

const emptyBody = new Uint8Array(0);

/**
 * What RFC 3261 §7 requests and responses share: ordered header fields and a body. Structured headers
 * are parsed on first use and cached until a header of that name changes.
 */
export abstract class SipMessage {
  #fields: StoredField[];
  /** Parsed views of structured headers, made on first use; `compact` lets them go. */
  #cache: Map<string, unknown> | undefined;
  body: Uint8Array;

  protected constructor(headers: readonly HeaderField[] | undefined, body: Uint8Array | undefined) {
    this.#fields =
      headers === undefined
        ? []
        : headers.map((field) => (field instanceof StoredField ? field : storedField(field.name, field.value)));
    this.body = body ?? emptyBody;
  }

  /** The header fields in order; change them through the methods below so cached views stay right. */
  get headers(): readonly HeaderField[] {
    return this.#fields;
  }

  getHeader(name: string): string | undefined {
    const key = headerKey(name);
    for (const field of this.#fields) if (field.key === key) return field.value;
    return undefined;
  }

  getHeaders(name: string): string[] {
    const key = headerKey(name);
    const values: string[] = [];
    for (const field of this.#fields) if (field.key === key) values.push(field.value);
    return values;
  }

  hasHeader(name: string): boolean {
    return this.getHeader(name) !== undefined;
  }

  setHeader(name: string, value: string): void {
    const key = headerKey(name);
    const index = this.#fields.findIndex((field) => field.key === key);
    const field = storedField(name, value);
    if (index < 0) {
      this.#fields.push(field);
    } else {
      this.#fields = this.#fields.filter((candidate, i) => i === index || candidate.key !== key);
      this.#fields[index] = field;
    }
    this.#cache?.delete(key);
  }

  /** Replaces every field of `name` with one field per value, where the first of them stood. */
  setHeaderValues(name: string, values: readonly string[]): void {
    const key = headerKey(name);
    const index = this.#fields.findIndex((field) => field.key === key);
    const kept = this.#fields.filter((field) => field.key !== key);
    const fresh = values.map((value) => storedField(name, value));
    kept.splice(index < 0 ? kept.length : index, 0, ...fresh);
    this.#fields = kept;
    this.#cache?.delete(key);
  }

  appendHeader(name: string, value: string): void {
    const field = storedField(name, value);
    this.#fields.push(field);
    this.#cache?.delete(field.key);
  }

  prependHeader(name: string, value: string): void {
    const field = storedField(name, value);
    // A new field goes before the first field of the same name (a new top Via), or first of all.
    const index = this.#fields.findIndex((candidate) => candidate.key === field.key);
    this.#fields.splice(index < 0 ? 0 : index, 0, field);
    this.#cache?.delete(field.key);
  }

  removeHeader(name: string): number {
    const key = headerKey(name);
    const before = this.#fields.length;
    this.#fields = this.#fields.filter((field) => field.key !== key);
    this.#cache?.delete(key);
    return before - this.#fields.length;
  }

  /** Every element of a list header, over repeated fields and comma-separated values (§7.3.1). */
  getList(name: string): string[] {
    const values = this.getHeaders(name);
    if (values.length === 0) return values;
    const out: string[] = [];
    for (const value of values) for (const part of splitList(value)) out.push(part);
    return out;
  }

  /**
   * Drops the parsed views of structured headers (they are made again if read). A message kept only
   * for retransmission — a completed transaction's request and response, for 32 s — then costs little
   * more than its text.
   */
  compact(): void {
    this.#cache = undefined;
  }

  #cached<T>(key: string, compute: () => T): T {
    this.#cache ??= new Map();
    if (this.#cache.has(key)) return this.#cache.get(key) as T;
    const value = compute();
    this.#cache.set(key, value);
    return value;
  }

  #required(name: string): string {
    const value = this.getHeader(name);
    if (value === undefined) throw new SipParseError(`missing ${canonicalHeaderName(name)} header`);
    return value;
  }

  get via(): Via[] {
    return this.#cached('via', () => {
      const list = this.getList('via').map(parseVia);
      if (list.length === 0) throw new SipParseError('missing Via header');
      return list;
    });
  }

  get topVia(): Via {
    return this.via[0] as Via;
  }

  get from(): NameAddress {
    return this.#cached('from', () => parseNameAddress(this.#single('From')));
  }

  get to(): NameAddress {
    return this.#cached('to', () => parseNameAddress(this.#single('To')));
  }

  get callId(): string {
    return this.#cached('call-id', () => {
      const value = this.#single('Call-ID');
      // callid = word [ "@" word ]: no whitespace inside (§25.1).
      if (value.length === 0 || /[\s]/.test(value)) throw new SipParseError(`invalid Call-ID "${value}"`);
      return value;
    });
  }

  get cseq(): CSeq {
    return this.#cached('cseq', () => {
      const value = this.#single('CSeq');
      const match = /^(\d{1,10})[ \t]+([A-Za-z0-9\-.!%*_+`'~]+)$/.exec(value);
      const seq = match === null ? undefined : parseUnsigned(match[1] as string, 2 ** 31 - 1);
      if (match === null || seq === undefined)
        throw new SipParseError(`invalid CSeq "${value}": expected a number below 2^31 and a method`);
      return { seq, method: match[2] as string };
    });
  }

  get contacts(): ContactValue[] {
    return this.#cached('contact', () => this.getList('contact').map(parseContactValue));
  }

  get route(): NameAddress[] {
    return this.#cached('route', () => this.getList('route').map(parseNameAddress));
  }

  get recordRoute(): NameAddress[] {
    return this.#cached('record-route', () => this.getList('record-route').map(parseNameAddress));
  }

  get maxForwards(): number | undefined {
    return this.#cached('max-forwards', () => this.#optionalNumber('Max-Forwards', 255));
  }

  get expires(): number | undefined {
    return this.#cached('expires', () => this.#optionalNumber('Expires', 2 ** 32 - 1));
  }

  get contentLength(): number | undefined {
    return this.#cached('content-length', () => this.#optionalNumber('Content-Length', 2 ** 31 - 1));
  }

  get contentType(): string | undefined {
    return this.getHeader('Content-Type');
  }

  /** A header that must appear exactly once. */
  #single(name: string): string {
    const values = this.getHeaders(name);
    if (values.length > 1) throw new SipParseError(`more than one ${canonicalHeaderName(name)} header`);
    return this.#required(name);
  }

  #optionalNumber(name: string, max: number): number | undefined {
    const values = this.getHeaders(name);
    if (values.length === 0) return undefined;
    if (values.length > 1 && new Set(values).size > 1)
      throw new SipParseError(`conflicting ${canonicalHeaderName(name)} headers`);
    const n = parseUnsigned(values[0] as string, max);
    if (n === undefined)
      throw new SipParseError(
        `invalid ${canonicalHeaderName(name)} "${values[0]}": expected a number from 0 to ${max}`,
      );
    return n;
  }
}

const nameMemo = new Map<string, { key: string; name: string }>();

/** A header field with its canonical name and lookup key; the parser builds its fields with it. */
export function headerField(name: string, value: string): HeaderField {
  return storedField(name, value);
}

function storedField(name: string, value: string): StoredField {
  // Header names repeat endlessly across messages; remember their spellings (bounded, so a peer
  // inventing names cannot grow it without limit).
  let names = nameMemo.get(name);
  if (names === undefined) {
    names = { key: headerKey(name), name: canonicalHeaderName(name) };
    if (nameMemo.size < 2048) nameMemo.set(name, names);
  }
  return new StoredField(names.name, value, names.key);
}

export class SipRequest extends SipMessage {
  readonly kind = 'request' as const;
  method: string;
  uri: Uri;

  constructor(init: SipRequestInit) {
    super(init.headers, init.body);
    this.method = init.method;
    this.uri = init.uri;
  }
}

export class SipResponse extends SipMessage {
  readonly kind = 'response' as const;
  status: number;
  reason: string;

  constructor(init: SipResponseInit) {
    super(init.headers, init.body);
    this.status = init.status;
    this.reason = init.reason ?? '';
  }
}

export type SipMessageAny = SipRequest | SipResponse;

/** Whether `name` is a header whose value may hold a comma-separated list. */
export function isListHeader(name: string): boolean {
  return listHeaders.has(headerKey(name));
}
