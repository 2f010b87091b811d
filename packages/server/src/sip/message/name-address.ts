import { SipParseError } from './parse-error.js';
import { endOfQuoted, formatParams, parseParams, quote, skipWhitespace, unquote, isToken } from './grammar.js';
import { formatUri, parseUri } from './uri.js';
import type { ContactValue, NameAddress } from './types.js';

/**
 * Parses `name-addr` (`"Display" <uri>;params`) or `addr-spec` (`uri;params`) as used by From, To,
 * Contact, Route, Record-Route and Refer-To (RFC 3261 §20.10, §25.1). In the addr-spec form every
 * `;` after the URI starts a header parameter, never a URI parameter.
 */
export function parseNameAddress(text: string): NameAddress {
  const value = text.trim();
  let i = 0;
  let displayName: string | undefined;
  if (value.charCodeAt(0) === 34) {
    const end = endOfQuoted(value, 0);
    displayName = unquote(value.slice(0, end));
    i = skipWhitespace(value, end);
    if (value[i] !== '<') throw new SipParseError(`a quoted display name must be followed by <URI> in "${text}"`);
  }
  const open = value.indexOf('<', i);
  if (open >= 0 && (displayName !== undefined || !value.slice(0, open).includes(';'))) {
    if (displayName === undefined) {
      const tokens = value.slice(0, open).trim();
      if (tokens.length > 0) {
        // An unquoted display name is a sequence of tokens separated by whitespace (§25.1).
        for (const word of tokens.split(/[ \t]+/)) {
          if (!isToken(word)) throw new SipParseError(`display name "${tokens}" must be quoted in "${text}"`);
        }
        displayName = tokens;
      }
    }
    const close = value.indexOf('>', open);
    if (close < 0) throw new SipParseError(`missing ">" in "${text}"`);
    const uri = parseUri(value.slice(open + 1, close));
    return { displayName, uri, params: parseParams(value, close + 1) };
  }
  if (value.includes('<') || value.includes('>')) throw new SipParseError(`misplaced angle bracket in "${text}"`);
  const semicolon = value.indexOf(';');
  // SEMI allows whitespace before the ";" (RFC 4475 "wsinv": `sip:a@b ;tag=1`).
  const uriText = (semicolon < 0 ? value : value.slice(0, semicolon)).trimEnd();
  // §20.10: a URI containing a comma, question mark or semicolon must be enclosed in angle brackets.
  if (/[,?]/.test(uriText)) throw new SipParseError(`a URI with "," or "?" must be in angle brackets: "${text}"`);
  if (/[ \t]/.test(uriText))
    throw new SipParseError(`a URI with a display name or spaces must be in angle brackets: "${text}"`);
  const uri = parseUri(uriText);
  return { displayName: undefined, uri, params: parseParams(value, semicolon < 0 ? value.length : semicolon) };
}

export function formatNameAddress(value: NameAddress): string {
  const display = value.displayName === undefined ? '' : `${quote(value.displayName)} `;
  return `${display}<${formatUri(value.uri)}>${formatParams(value.params)}`;
}

export function parseContactValue(text: string): ContactValue {
  return text.trim() === '*' ? { wildcard: true } : parseNameAddress(text);
}

export function isWildcard(value: ContactValue): value is { readonly wildcard: true } {
  return 'wildcard' in value;
}
