import { describe, expect, it } from 'vitest';
import { StreamFramer } from './stream-framer.js';

const message = (body = '') =>
  `OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

describe('StreamFramer (RFC 3261 §18.3, RFC 5626 §3.5.1)', () => {
  it('a message split over many chunks MUST come out whole, once', () => {
    const framer = new StreamFramer();
    const bytes = Buffer.from(message('hello'));
    const events = [];
    for (let i = 0; i < bytes.length; i += 7) events.push(...framer.push(bytes.subarray(i, i + 7)));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'message' });
    expect(events[0]?.kind === 'message' && events[0].bytes.toString()).toBe(message('hello'));
  });

  it('several messages in one chunk MUST each come out, and a double CRLF MUST be a ping', () => {
    const framer = new StreamFramer();
    const events = framer.push(Buffer.from(`${message('a')}\r\n\r\n${message('bc')}`));
    expect(events.map((event) => event.kind)).toEqual(['message', 'ping', 'message']);
    expect(framer.bufferedBytes).toBe(0);
  });

  it('a message without Content-Length MUST be an error carrying its headers', () => {
    const events = new StreamFramer().push(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nVia: x\r\n\r\n'));
    expect(events[0]).toMatchObject({ kind: 'error', reason: 'Content-Length is required on a stream' });
  });

  it('a peer that sends more header bytes than the limit without an end MUST be cut off', () => {
    const events = new StreamFramer({ maxHeaderBytes: 1024 }).push(Buffer.alloc(2048, 'a'));
    expect(events[0]).toMatchObject({ kind: 'error' });
  });
});
