import { SipParseError } from './parse-error.js';
import { isToken, parseUnsigned } from './grammar.js';
import { headerField, SipRequest, SipResponse, type SipMessageAny } from './message.js';
import { isSipUri, parseUri } from './uri.js';
import type { HeaderField } from './types.js';

const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function isLws(code: number): boolean {
  return code === 32 || code === 9;
}

function trimLws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isLws(text.charCodeAt(start))) start++;
  while (end > start && isLws(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/**
 * Splits the header section into unfolded header fields (RFC 3261 §7.3.1: a line starting with SP or
 * HTAB continues the previous one, and the fold counts as a single space).
 */
function readHeaderFields(head: string, from: number): HeaderField[] {
  const fields: HeaderField[] = [];
  let pos = from;
  let name = '';
  let value = '';
  // Only LWS is trimmed: String.trim would also eat characters such as U+FEFF that belong to a value.
  const flush = () => {
    if (name.length > 0) fields.push(headerField(name, trimLws(value)));
  };
  while (pos < head.length) {
    let end = head.indexOf('\r\n', pos);
    if (end < 0) end = head.length;
    const first = head.charCodeAt(pos);
    if (first === 32 || first === 9) {
      if (name.length === 0) throw new SipParseError('a header section may not start with a continuation line');
      value += ` ${trimLws(head.slice(pos, end))}`;
    } else {
      flush();
      const colon = head.indexOf(':', pos);
      if (colon < 0 || colon > end)
        throw new SipParseError(`header line without ":": "${head.slice(pos, Math.min(end, pos + 60))}"`);
      // HCOLON = *( SP / HTAB ) ":" SWS — whitespace may come between the name and the colon.
      let nameEnd = colon;
      while (nameEnd > pos && (head.charCodeAt(nameEnd - 1) === 32 || head.charCodeAt(nameEnd - 1) === 9)) nameEnd--;
      name = head.slice(pos, nameEnd);
      if (!isToken(name)) throw new SipParseError(`invalid header name "${name}"`);
      value = head.slice(colon + 1, end);
    }
    pos = end + 2;
  }
  flush();
  return fields;
}

/** Checks that every header a response copies can be read; the exception says which cannot. */
function checkResponseHeaders(message: SipMessageAny): void {
  void message.via;
  void message.from;
  void message.to;
  void message.callId;
  void message.cseq;
}

function parseRequestLine(line: string): { method: string; uriText: string; version: string } {
  // Request-Line = Method SP Request-URI SP SIP-Version (§7.1, §25.1): single spaces, no others.
  const first = line.indexOf(' ');
  const last = line.lastIndexOf(' ');
  if (first <= 0 || last === first) throw new SipParseError(`invalid request line "${line}"`);
  return { method: line.slice(0, first), uriText: line.slice(first + 1, last), version: line.slice(last + 1) };
}

function isSipVersion(text: string): boolean {
  return /^SIP\/\d+\.\d+$/i.test(text);
}

/**
 * Parses one SIP message: a whole UDP datagram or one framed message from a stream (RFC 3261 §7).
 * Tolerant where the RFC asks (extra whitespace, folding, compact names, unknown headers and schemes)
 * and strict where it asks for rejection; a rejected request whose response headers are readable
 * comes back as `SipParseError.partial` so the caller can answer it.
 */
export function parseMessage(data: Uint8Array): SipMessageAny {
  const buffer = asBuffer(data);
  let start = 0;
  // §7.5: CRLFs before the start line are ignored.
  while (start + 1 < buffer.length && buffer[start] === 13 && buffer[start + 1] === 10) start += 2;
  const headerEnd = buffer.indexOf(CRLFCRLF, start);
  if (headerEnd < 0) throw new SipParseError('no empty line ends the header section');
  const head = buffer.toString('utf8', start, headerEnd);
  const lineEnd = head.indexOf('\r\n');
  const startLine = lineEnd < 0 ? head : head.slice(0, lineEnd);
  const fields = readHeaderFields(head, lineEnd < 0 ? head.length : lineEnd + 2);
  const available = buffer.length - (headerEnd + 4);

  if (startLine.startsWith('SIP/') || startLine.startsWith('sip/')) {
    return parseResponse(startLine, fields, buffer, headerEnd + 4, available);
  }
  return parseRequest(startLine, fields, buffer, headerEnd + 4, available);
}

function takeBody(message: SipMessageAny, buffer: Buffer, offset: number, available: number): void {
  const declared = message.contentLength;
  if (declared === undefined) {
    message.body = buffer.subarray(offset);
    return;
  }
  // §18.3: a Content-Length beyond the datagram is an error; bytes beyond it are ignored.
  if (declared > available) {
    throw new SipParseError(`Content-Length ${declared} is larger than the ${available} bytes of body received`);
  }
  message.body = buffer.subarray(offset, offset + declared);
}

function parseRequest(
  line: string,
  fields: HeaderField[],
  buffer: Buffer,
  offset: number,
  available: number,
): SipRequest {
  // The method alone decides whether this is a request at all; the rest of the line is checked
  // strictly below, where a mistake is answered with 400 (RFC 4475 "lwsstart", "trws").
  const space = line.indexOf(' ');
  const method = space < 0 ? line : line.slice(0, space);
  if (!isToken(method)) throw new SipParseError(`invalid request line "${line.slice(0, 80)}"`);
  // The URI is parsed below; until then a placeholder keeps the partial request answerable.
  const request = new SipRequest({ method, uri: { scheme: 'invalid', raw: '' }, headers: fields });
  if (request.getHeader('Via') === undefined) throw new SipParseError('a request without a Via cannot be answered');
  const reject = (message: string, status = 400): never => {
    throw new SipParseError(message, request, status);
  };
  try {
    const { uriText, version } = parseRequestLine(line);
    if (!isSipVersion(version)) reject(`invalid SIP version "${version}"`);
    if (version.toUpperCase() !== 'SIP/2.0') reject(`SIP version ${version} is not supported`, 505);
    checkResponseHeaders(request);
    request.uri = parseUri(uriText);
    // §19.1.1: headers are not allowed in a Request-URI (RFC 4475 "escruri").
    if (isSipUri(request.uri) && request.uri.headers.size > 0) reject('a Request-URI must not carry headers');
    const cseq = request.cseq;
    // §8.1.1.5: the CSeq method matches the request method exactly.
    if (cseq.method !== method) reject(`CSeq method ${cseq.method} does not match the request method ${method}`);
    void request.maxForwards;
    void request.expires;
    void request.contacts;
    if (method !== 'INVITE' && method !== 'REGISTER') {
      // Route is read only when needed elsewhere; parsing it here keeps malformed values out of dialogs.
      void request.route;
    }
    takeBody(request, buffer, offset, available);
  } catch (error) {
    if (!(error instanceof SipParseError) || error.partial !== undefined) throw error;
    reject(error.message);
  }
  return request;
}

function parseResponse(
  line: string,
  fields: HeaderField[],
  buffer: Buffer,
  offset: number,
  available: number,
): SipResponse {
  // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (§7.2); an empty reason is tolerated.
  const first = line.indexOf(' ');
  const version = first < 0 ? line : line.slice(0, first);
  if (version.toUpperCase() !== 'SIP/2.0') throw new SipParseError(`unsupported SIP version in status line "${line}"`);
  const rest = first < 0 ? '' : line.slice(first + 1);
  const second = rest.indexOf(' ');
  const codeText = second < 0 ? rest : rest.slice(0, second);
  const status = codeText.length === 3 ? parseUnsigned(codeText) : undefined;
  if (status === undefined || status < 100 || status > 699) throw new SipParseError(`invalid status code in "${line}"`);
  const response = new SipResponse({ status, reason: second < 0 ? '' : rest.slice(second + 1), headers: fields });
  checkResponseHeaders(response);
  takeBody(response, buffer, offset, available);
  return response;
}
