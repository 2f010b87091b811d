import { SipParseError } from './parse-error.js';
import { formatParams, parseParams, parseUnsigned } from './grammar.js';
import type { AbsoluteUri, Params, SipUri, TelUri, Uri } from './types.js';

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*$/;
const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;
/** Characters allowed in the user and password parts once %-escapes are accounted for (§25.1). */
const USERINFO = /^(?:[A-Za-z0-9\-_.!~*'()&=+$,;?/:]|%[0-9A-Fa-f]{2})*$/;
const URI_HEADERS = /^(?:[A-Za-z0-9\-_.!~*'()[\]/?:+$=&@]|%[0-9A-Fa-f]{2})*$/;

export function isSipUri(uri: Uri): uri is SipUri {
  return uri.scheme === 'sip' || uri.scheme === 'sips';
}

export function isTelUri(uri: Uri): uri is TelUri {
  return uri.scheme === 'tel';
}

function isAlphaNum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * hostname = *( domainlabel "." ) toplabel [ "." ] (§25.1), where a label is letters, digits and
 * inner hyphens. A scan rather than a regular expression: every message carries several host names,
 * and a nested-quantifier pattern backtracks badly on long hostile input.
 */
function isHostname(host: string): boolean {
  if (host.length === 0) return false;
  const end = host.charCodeAt(host.length - 1) === 46 ? host.length - 1 : host.length;
  let labelStart = 0;
  for (let i = 0; i <= end; i++) {
    const code = i === end ? 46 : host.charCodeAt(i);
    if (code === 46) {
      if (i === labelStart || host.charCodeAt(i - 1) === 45) return false;
      labelStart = i + 1;
    } else if (code === 45) {
      if (i === labelStart) return false;
    } else if (!isAlphaNum(code)) {
      return false;
    }
  }
  return true;
}

function fail(text: string, why: string): never {
  throw new SipParseError(`invalid URI "${text}": ${why}`);
}

/** Parses `host[:port]`, with IPv6 references in brackets (RFC 3261 §25.1, RFC 5118). */
export function parseHostPort(text: string, whole: string = text): { host: string; port: number | undefined } {
  let host: string;
  let rest: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) fail(whole, 'unterminated IPv6 reference');
    host = text.slice(1, close);
    if (!IPV6.test(host) || !host.includes(':')) fail(whole, `"${host}" is not an IPv6 address`);
    rest = text.slice(close + 1);
  } else {
    const colon = text.indexOf(':');
    host = colon < 0 ? text : text.slice(0, colon);
    rest = colon < 0 ? '' : text.slice(colon);
    if (host.includes(':')) fail(whole, 'an IPv6 address must be in brackets');
    if (!(isHostname(host) || IPV4.test(host))) fail(whole, `"${host}" is not a host name or address`);
  }
  if (rest.length === 0) return { host, port: undefined };
  if (rest[0] !== ':') fail(whole, `unexpected "${rest}" after the host`);
  const port = parseUnsigned(rest.slice(1), 65_535);
  if (port === undefined) fail(whole, `"${rest.slice(1)}" is not a port number`);
  return { host, port };
}

export function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function parseSipUri(text: string, scheme: 'sip' | 'sips', rest: string): SipUri {
  let user: string | undefined;
  let password: string | undefined;
  let hostStart = 0;
  // The user part may contain ";" and "?" (user-unreserved) but never "@", so the first "@" ends it.
  const at = rest.indexOf('@');
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    const colon = userinfo.indexOf(':');
    user = colon < 0 ? userinfo : userinfo.slice(0, colon);
    password = colon < 0 ? undefined : userinfo.slice(colon + 1);
    if (user.length === 0) fail(text, 'empty user part');
    if (!USERINFO.test(user) || (password !== undefined && !USERINFO.test(password))) {
      fail(text, 'the user part has characters that must be escaped');
    }
    hostStart = at + 1;
  }
  let end = rest.length;
  const question = rest.indexOf('?', hostStart);
  if (question >= 0) end = question;
  const semicolon = rest.indexOf(';', hostStart);
  const hostEnd = semicolon >= 0 && semicolon < end ? semicolon : end;
  const { host, port } = parseHostPort(rest.slice(hostStart, hostEnd), text);
  const params = parseParams(rest, hostEnd, end);
  const headers = new Map<string, string>();
  if (question >= 0) {
    const query = rest.slice(question + 1);
    if (!URI_HEADERS.test(query)) fail(text, 'URI headers have characters that must be escaped');
    for (const pair of query.split('&')) {
      if (pair.length === 0) continue;
      const eq = pair.indexOf('=');
      headers.set(eq < 0 ? pair : pair.slice(0, eq), eq < 0 ? '' : pair.slice(eq + 1));
    }
  }
  return { scheme, user, password, host, port, params, headers };
}

function parseTelUri(text: string, rest: string): TelUri {
  const semicolon = rest.indexOf(';');
  const number = semicolon < 0 ? rest : rest.slice(0, semicolon);
  // RFC 3966: a global number starts with "+", a local one is digits with visual separators.
  if (!/^\+?[0-9A-Fa-f*#().-]+$/.test(number)) fail(text, `"${number}" is not a telephone number`);
  return { scheme: 'tel', number, params: parseParams(rest, semicolon < 0 ? rest.length : semicolon) };
}

/** Parses a SIP, SIPS or tel URI; any other absolute URI is kept as text (RFC 3261 §19.1, §25.1). */
export function parseUri(text: string): Uri {
  const colon = text.indexOf(':');
  if (colon <= 0) fail(text, 'no scheme');
  const schemeText = text.slice(0, colon);
  if (!SCHEME.test(schemeText)) fail(text, `"${schemeText}" is not a URI scheme`);
  const rest = text.slice(colon + 1);
  if (rest.length === 0) fail(text, 'nothing after the scheme');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 32 || c === 127 || c === 60 || c === 62 || c === 34)
      fail(text, 'contains a space, control character, quote or angle bracket');
  }
  const scheme = schemeText.toLowerCase();
  if (scheme === 'sip' || scheme === 'sips') return parseSipUri(text, scheme, rest);
  if (scheme === 'tel') return parseTelUri(text, rest);
  const other: AbsoluteUri = { scheme, raw: text };
  return other;
}

export function formatUri(uri: Uri): string {
  if (isSipUri(uri)) {
    let out = `${uri.scheme}:`;
    if (uri.user !== undefined) out += uri.password === undefined ? `${uri.user}@` : `${uri.user}:${uri.password}@`;
    out += formatHost(uri.host);
    if (uri.port !== undefined) out += `:${uri.port}`;
    out += formatParams(uri.params);
    if (uri.headers.size > 0) {
      out += `?${[...uri.headers].map(([name, value]) => `${name}=${value}`).join('&')}`;
    }
    return out;
  }
  if (isTelUri(uri)) return `tel:${uri.number}${formatParams(uri.params)}`;
  return (uri as AbsoluteUri).raw;
}

/** Resolves %-escapes for comparison; malformed escapes compare as written. */
function unescape(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Parameters keyed by their unescaped, lower-case names (`%6C%72` is `lr`). */
function normalizedParams(params: Params): Map<string, string | null> {
  const normalized = new Map<string, string | null>();
  for (const [name, value] of params) normalized.set(unescape(name).toLowerCase(), value);
  return normalized;
}

function paramsEqual(rawA: Params, rawB: Params): boolean {
  const a = normalizedParams(rawA);
  const b = normalizedParams(rawB);
  // §19.1.4: user, ttl, method, maddr and transport must match when present in either URI; any other
  // parameter only when it appears in both.
  for (const name of ['user', 'ttl', 'method', 'maddr', 'transport']) {
    const va = a.get(name);
    const vb = b.get(name);
    if ((va === undefined) !== (vb === undefined)) return false;
    if (va !== undefined && unescape(va ?? '').toLowerCase() !== unescape(vb ?? '').toLowerCase()) return false;
  }
  for (const [name, va] of a) {
    if (!b.has(name)) continue;
    const vb = b.get(name);
    if (unescape(va ?? '').toLowerCase() !== unescape(vb ?? '').toLowerCase()) return false;
  }
  return true;
}

/** URI equality of RFC 3261 §19.1.4 (SIP/SIPS), RFC 3966 §4 in outline (tel), exact text otherwise. */
export function uriEquals(a: Uri, b: Uri): boolean {
  if (a.scheme !== b.scheme) return false;
  if (isSipUri(a) && isSipUri(b)) {
    if ((a.user === undefined) !== (b.user === undefined)) return false;
    if (a.user !== undefined && unescape(a.user) !== unescape(b.user ?? '')) return false;
    if (unescape(a.password ?? '') !== unescape(b.password ?? '')) return false;
    if (a.host.toLowerCase() !== b.host.toLowerCase()) return false;
    if (a.port !== b.port) return false;
    if (!paramsEqual(a.params, b.params)) return false;
    if (a.headers.size !== b.headers.size) return false;
    for (const [name, value] of a.headers) {
      const other = [...b.headers].find(([n]) => n.toLowerCase() === name.toLowerCase());
      if (other === undefined || unescape(other[1]) !== unescape(value)) return false;
    }
    return true;
  }
  if (isTelUri(a) && isTelUri(b)) {
    const digits = (n: string) => n.replace(/[().-]/g, '').toLowerCase();
    return digits(a.number) === digits(b.number) && paramsEqual(a.params, b.params);
  }
  return (a as AbsoluteUri).raw === (b as AbsoluteUri).raw;
}
