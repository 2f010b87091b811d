/**
 * The auth-param grammar of RFC 7616 §3.3–3.4 / RFC 3261 §25.1: `Digest name=value, name="quoted"`.
 * Parsing never throws: malformed input comes back as `undefined` so a peer's bytes cannot crash us.
 */
export interface DigestParams {
  readonly scheme: string;
  /** Parameter names lower-cased; quoted values unquoted with escapes resolved. */
  readonly params: ReadonlyMap<string, string>;
}

function isTokenChar(c: string): boolean {
  return /[A-Za-z0-9\-.!%*_+`'~]/.test(c);
}

/** Parses one challenge or credentials value; `undefined` when it is not well formed. */
export function parseDigestHeader(value: string): DigestParams | undefined {
  const text = value.trim();
  let i = 0;
  while (i < text.length && isTokenChar(text[i] as string)) i++;
  const scheme = text.slice(0, i);
  if (scheme.length === 0) return undefined;
  const params = new Map<string, string>();
  for (;;) {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === ',')) i++;
    if (i >= text.length) break;
    const nameStart = i;
    while (i < text.length && isTokenChar(text[i] as string)) i++;
    const name = text.slice(nameStart, i).toLowerCase();
    if (name.length === 0) return undefined;
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (text[i] !== '=') return undefined;
    i++;
    while (text[i] === ' ' || text[i] === '\t') i++;
    let paramValue = '';
    if (text[i] === '"') {
      i++;
      let closed = false;
      while (i < text.length) {
        const ch = text[i] as string;
        if (ch === '\\' && i + 1 < text.length) {
          paramValue += text[i + 1];
          i += 2;
          continue;
        }
        if (ch === '"') {
          closed = true;
          i++;
          break;
        }
        paramValue += ch;
        i++;
      }
      if (!closed) return undefined;
    } else {
      const valueStart = i;
      while (i < text.length && isTokenChar(text[i] as string)) i++;
      paramValue = text.slice(valueStart, i);
      if (paramValue.length === 0) return undefined;
    }
    if (params.has(name)) return undefined; // RFC 7616 §3.4: each directive at most once
    params.set(name, paramValue);
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (i < text.length && text[i] !== ',') return undefined;
  }
  return { scheme, params };
}

/**
 * Splits a WWW-Authenticate value that joins several challenges with commas: a top-level comma
 * followed by `Scheme name=` starts a new challenge; commas between parameters or inside quotes do not.
 */
export function splitChallenges(value: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let inQuote = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (inQuote) {
      if (ch === '\\') i++;
      else if (ch === '"') inQuote = false;
      continue;
    }
    if (ch === '"') inQuote = true;
    else if (ch === ',' && /^\s*[A-Za-z][A-Za-z0-9-]*\s+[A-Za-z0-9-]+\s*=/.test(value.slice(i + 1))) {
      parts.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(value.slice(start).trim());
  return parts.filter((part) => part.length > 0);
}

function quoteValue(value: string): string {
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

/** Formats `Digest a="x", b=y`; names in `unquoted` are written as tokens (algorithm, nc, qop in credentials, stale). */
export function formatDigestHeader(params: ReadonlyArray<[string, string]>, unquoted: ReadonlySet<string>): string {
  return `Digest ${params.map(([name, value]) => `${name}=${unquoted.has(name) ? value : quoteValue(value)}`).join(', ')}`;
}
