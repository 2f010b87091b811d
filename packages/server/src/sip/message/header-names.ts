/**
 * Header names: RFC 3261 §7.3.3 compact forms and the canonical spelling we write. Names are matched
 * case-insensitively (§7.3.1); anything not listed keeps the spelling it arrived with.
 */
const compactForms: Record<string, string> = {
  a: 'accept-contact',
  b: 'referred-by',
  c: 'content-type',
  d: 'request-disposition',
  e: 'content-encoding',
  f: 'from',
  i: 'call-id',
  j: 'reject-contact',
  k: 'supported',
  l: 'content-length',
  m: 'contact',
  n: 'identity-info',
  o: 'event',
  r: 'refer-to',
  s: 'subject',
  t: 'to',
  u: 'allow-events',
  v: 'via',
  x: 'session-expires',
  y: 'identity',
};

const canonical: Record<string, string> = {
  'accept-contact': 'Accept-Contact',
  'allow-events': 'Allow-Events',
  'call-id': 'Call-ID',
  'content-encoding': 'Content-Encoding',
  'content-length': 'Content-Length',
  'content-type': 'Content-Type',
  cseq: 'CSeq',
  'identity-info': 'Identity-Info',
  'max-forwards': 'Max-Forwards',
  'min-expires': 'Min-Expires',
  'mime-version': 'MIME-Version',
  'proxy-authenticate': 'Proxy-Authenticate',
  'proxy-authorization': 'Proxy-Authorization',
  'record-route': 'Record-Route',
  'refer-to': 'Refer-To',
  'referred-by': 'Referred-By',
  'reject-contact': 'Reject-Contact',
  'request-disposition': 'Request-Disposition',
  rseq: 'RSeq',
  rack: 'RAck',
  'session-expires': 'Session-Expires',
  'sip-etag': 'SIP-ETag',
  'sip-if-match': 'SIP-If-Match',
  'user-agent': 'User-Agent',
  'www-authenticate': 'WWW-Authenticate',
};

// Header names repeat endlessly (every message has Via, From, To…), so the spellings seen are
// remembered instead of lower-casing each one again. Bounded: hostile traffic cannot grow it.
const keyMemo = new Map<string, string>();

/** The lower-case long form of a header name, whatever case or compact form it arrived in. */
export function headerKey(name: string): string {
  const known = keyMemo.get(name);
  if (known !== undefined) return known;
  const lower = name.toLowerCase();
  const key = compactForms[lower] ?? lower;
  if (keyMemo.size < 4096) keyMemo.set(name, key);
  return key;
}

/** The spelling we write for a header: canonical for known names, capitalised per word otherwise. */
export function canonicalHeaderName(name: string): string {
  const key = headerKey(name);
  const known = canonical[key];
  if (known !== undefined) return known;
  let out = '';
  let upper = true;
  for (const ch of key) {
    out += upper ? ch.toUpperCase() : ch;
    upper = ch === '-';
  }
  return out;
}

/**
 * Headers whose grammar is a comma-separated list (RFC 3261 §7.3.1), so that a value holding several
 * elements may be split. Authorization-style headers are not lists even though they contain commas.
 */
export const listHeaders = new Set([
  'via',
  'contact',
  'route',
  'record-route',
  'allow',
  'supported',
  'require',
  'proxy-require',
  'unsupported',
  'accept',
  'accept-encoding',
  'accept-language',
  'content-encoding',
  'allow-events',
  'in-reply-to',
  'warning',
  'error-info',
  'alert-info',
  'call-info',
]);
