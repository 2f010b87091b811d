import { formatUri } from './uri.js';
import type { SipMessageAny } from './message.js';

/**
 * Writes a message in canonical form: start line, headers in order with canonical names, a
 * Content-Length equal to the body's byte length (replacing any present), the empty line, the body.
 */
export function serializeMessage(message: SipMessageAny): Buffer {
  let head =
    message.kind === 'request'
      ? `${message.method} ${formatUri(message.uri)} SIP/2.0\r\n`
      : `SIP/2.0 ${message.status} ${message.reason}\r\n`;
  for (const field of message.headers) {
    if (field.name === 'Content-Length') continue;
    head += `${field.name}: ${field.value}\r\n`;
  }
  head += `Content-Length: ${message.body.byteLength}\r\n\r\n`;
  const headLength = Buffer.byteLength(head, 'utf8');
  const out = Buffer.allocUnsafe(headLength + message.body.byteLength);
  out.write(head, 0, 'utf8');
  out.set(message.body, headLength);
  return out;
}
