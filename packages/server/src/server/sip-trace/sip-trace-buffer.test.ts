import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/index.js';
import type { SipTraceItem } from '../../admin/index.js';
import { SipTraceBuffer } from './sip-trace-buffer.js';

const local = { address: '127.0.0.1', port: 5060 };
const phone = { address: '127.0.0.1', port: 5062 };

function message(callId: string, size = 0): Buffer {
  const head = `INVITE sip:1002@127.0.0.1 SIP/2.0\r\nCall-ID: ${callId}\r\n\r\n`;
  return Buffer.from(head + 'x'.repeat(Math.max(0, size - head.length)));
}

function capture(buffer: SipTraceBuffer, callId: string, size = 0): void {
  buffer.capture('received', 'udp', local, phone, callId, message(callId, size));
}

describe('the SIP trace buffer', () => {
  it('MUST keep at most perCallMessages of one call, its first ones, and count the rest as dropped', () => {
    const buffer = new SipTraceBuffer({ clock: new FakeClock(), limits: { perCallMessages: 3 } });
    for (let i = 0; i < 5; i++) capture(buffer, 'a');
    capture(buffer, 'b');
    buffer.label('a', { callId: 'call-a' });
    expect(buffer.items({ callId: 'call-a' }, 100).map((item) => item.seq)).toEqual([1, 2, 3]);
    expect(buffer.stats).toMatchObject({ messages: 4, dropped: 2 });
  });

  it('MUST keep at most maxMessages in all, dropping the oldest, and forget a call whose messages are all gone', () => {
    const buffer = new SipTraceBuffer({ clock: new FakeClock(), limits: { maxMessages: 3 } });
    capture(buffer, 'old');
    buffer.label('old', { callId: 'call-old', device: 'SEP1' });
    for (let i = 0; i < 3; i++) capture(buffer, `new-${i}`);
    expect(buffer.stats.messages).toBe(3);
    expect(buffer.items({}, 100).map((item) => item.sipCallId)).toEqual(['new-0', 'new-1', 'new-2']);
    expect(buffer.items({ callId: 'call-old' }, 100)).toEqual([]);
    expect(buffer.items({ device: 'SEP1' }, 100)).toEqual([]);
  });

  it('MUST keep at most maxBytes in all', () => {
    const buffer = new SipTraceBuffer({ clock: new FakeClock(), limits: { maxBytes: 2500 } });
    for (let i = 0; i < 10; i++) capture(buffer, `c-${i}`, 1000);
    expect(buffer.stats).toMatchObject({ messages: 2, bytes: 2000 });
    // Over a long run the evicted prefix is let go of too: the bounds hold for ever.
    for (let i = 0; i < 5000; i++) capture(buffer, `d-${i}`, 1000);
    expect(buffer.stats).toMatchObject({ messages: 2, bytes: 2000 });
  });

  it('MUST serve a message as it was: summary, whole text, addresses, time, and the labels given later', () => {
    const clock = new FakeClock(Date.parse('2026-11-30T10:00:00.000Z'));
    const buffer = new SipTraceBuffer({ clock });
    capture(buffer, 'abc');
    buffer.label('abc', { callId: 'call-1', device: 'SEP000000001001' });
    expect(buffer.items({ device: 'SEP000000001001' }, 10)).toEqual([
      {
        seq: 1,
        at: '2026-11-30T10:00:00.000Z',
        direction: 'received',
        transport: 'udp',
        local: '127.0.0.1:5060',
        remote: '127.0.0.1:5062',
        device: 'SEP000000001001',
        callId: 'call-1',
        sipCallId: 'abc',
        summary: 'INVITE sip:1002@127.0.0.1 SIP/2.0',
        message: 'INVITE sip:1002@127.0.0.1 SIP/2.0\r\nCall-ID: abc\r\n\r\n',
      },
    ]);
  });

  it('a label given before the first message MUST apply to it (a call we send the INVITE of)', () => {
    const buffer = new SipTraceBuffer({ clock: new FakeClock() });
    buffer.label('out', { callId: 'call-2', device: 'SEP2' });
    capture(buffer, 'out');
    expect(buffer.items({ callId: 'call-2' }, 10)).toHaveLength(1);
  });

  it('a subscriber MUST hear new messages that match, and a call’s earlier ones once it comes to match', () => {
    const buffer = new SipTraceBuffer({ clock: new FakeClock() });
    const heard: SipTraceItem[] = [];
    capture(buffer, 'x');
    const stop = buffer.subscribe({ device: 'SEP1' }, (item) => heard.push(item));
    capture(buffer, 'x');
    capture(buffer, 'y');
    expect(heard).toEqual([]);
    buffer.label('x', { device: 'SEP1' });
    expect(heard.map((item) => item.seq)).toEqual([1, 2]);
    capture(buffer, 'x');
    stop();
    capture(buffer, 'x');
    expect(heard.map((item) => item.seq)).toEqual([1, 2, 4]);
  });
});
