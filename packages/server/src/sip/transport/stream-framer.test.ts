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

  it('an absurd Content-Length MUST be an error carrying the headers, so a 400 can be sent', () => {
    const framer = new StreamFramer({ maxBodyBytes: 65_536 });
    const events = framer.push(Buffer.from(message().replace('Content-Length: 0', 'Content-Length: 2147483648')));
    expect(events[0]).toMatchObject({ kind: 'error' });
    expect(events[0]?.kind === 'error' && events[0].headerBytes?.toString()).toMatch(/^OPTIONS sip:a@b SIP\/2.0\r\n/);
  });

  it('an over-long header MUST be an error carrying its complete lines, closed as a header section', () => {
    const framer = new StreamFramer({ maxHeaderBytes: 1024 });
    const head = 'OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nX-Pad: ';
    const events = framer.push(Buffer.from(head + 'a'.repeat(2048)));
    expect(events[0]?.kind === 'error' && events[0].headerBytes?.toString()).toBe(
      'OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\n\r\n',
    );
  });

  it('after a framing error it MUST hold nothing and take nothing more', () => {
    const framer = new StreamFramer({ maxHeaderBytes: 1024 });
    framer.push(Buffer.alloc(2048, 'a'));
    expect(framer.bufferedBytes).toBe(0);
    expect(framer.push(Buffer.from(message()))).toEqual([]);
    expect(framer.bufferedBytes).toBe(0);
  });

  it('a header arriving a byte at a time MUST come out whole, and what it holds MUST be counted', () => {
    const framer = new StreamFramer();
    const bytes = Buffer.from(message('body') + message('x'));
    const events = [];
    for (let i = 0; i < bytes.length; i++) {
      events.push(...framer.push(bytes.subarray(i, i + 1)));
      if (i === 10) expect(framer.bufferedBytes).toBe(11);
    }
    expect(events.map((event) => event.kind === 'message' && event.bytes.toString())).toEqual([
      message('body'),
      message('x'),
    ]);
    expect(framer.bufferedBytes).toBe(0);
  });
});
