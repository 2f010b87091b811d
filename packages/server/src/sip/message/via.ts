import { SipParseError } from './parse-error.js';
import { formatParams, isToken, parseParams, skipWhitespace } from './grammar.js';
import { formatHost, parseHostPort } from './uri.js';
import type { Via } from './types.js';

/** Reads a token, allowing LWS around the "/" separators of sent-protocol (§25.1 SLASH = SWS "/" SWS). */
function readProtocolPart(text: string, from: number): { part: string; next: number } {
  let i = skipWhitespace(text, from);
  const start = i;
  while (i < text.length && text[i] !== '/' && text[i] !== ' ' && text[i] !== '\t') i++;
  return { part: text.slice(start, i), next: skipWhitespace(text, i) };
}

/** Parses one via-parm: `SIP/2.0/UDP host[:port];params` (RFC 3261 §20.42, §25.1). */
export function parseVia(text: string): Via {
  const name = readProtocolPart(text, 0);
  if (name.part.toUpperCase() !== 'SIP' || text[name.next] !== '/')
    throw new SipParseError(`invalid Via "${text}": expected SIP/2.0/transport`);
  const version = readProtocolPart(text, name.next + 1);
  if (version.part !== '2.0' || text[version.next] !== '/')
    throw new SipParseError(`invalid Via "${text}": expected SIP/2.0/transport`);
  const transport = readProtocolPart(text, version.next + 1);
  if (!isToken(transport.part)) throw new SipParseError(`invalid Via "${text}": bad transport`);
  let semicolon = text.indexOf(';', transport.next);
  if (semicolon < 0) semicolon = text.length;
  let sentBy = text.slice(transport.next, semicolon);
  if (/[ \t]/.test(sentBy)) {
    // RFC 3261 allows LWS around the ":" of sent-by's port (COLON = SWS ":" SWS).
    sentBy = sentBy.trim().replace(/[ \t]*:[ \t]*(?=\d+$)/, ':');
  }
  if (sentBy.length === 0) throw new SipParseError(`invalid Via "${text}": no sent-by host`);
  if (/[ \t]/.test(sentBy)) throw new SipParseError(`invalid Via "${text}": unexpected space in sent-by`);
  const { host, port } = parseHostPort(sentBy, text);
  const i = semicolon;
  const params = parseParams(text, i);
  const ttl = params.get('ttl');
  if (ttl !== undefined && (ttl === null || !/^\d{1,3}$/.test(ttl) || Number(ttl) > 255)) {
    throw new SipParseError(`invalid Via "${text}": ttl must be 0-255`);
  }
  const rport = params.get('rport');
  if (rport !== undefined && rport !== null && !/^\d{1,5}$/.test(rport))
    throw new SipParseError(`invalid Via "${text}": bad rport`);
  return { transport: transport.part.toUpperCase(), host, port, params };
}

export function formatVia(via: Via): string {
  const port = via.port === undefined ? '' : `:${via.port}`;
  return `SIP/2.0/${via.transport} ${formatHost(via.host)}${port}${formatParams(via.params)}`;
}
