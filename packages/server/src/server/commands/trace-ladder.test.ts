import { describe, expect, it } from 'vitest';
import type { SipTraceItem } from '../../admin/index.js';
import { arrowLabel, LadderRenderer } from './trace-ladder.js';

const start = Date.parse('2026-11-30T10:00:00.000Z');

function item(
  seq: number,
  ms: number,
  direction: 'received' | 'sent',
  remote: string,
  device: string | undefined,
  summary: string,
  sdp = false,
): SipTraceItem {
  return {
    seq,
    at: new Date(start + ms).toISOString(),
    direction,
    transport: 'udp',
    local: '127.0.0.1:5060',
    remote,
    device,
    callId: 'call-1',
    sipCallId: 'abc@host',
    summary,
    message: `${summary}\r\nCall-ID: abc@host\r\n${sdp ? 'Content-Type: application/sdp\r\n' : ''}\r\n`,
  };
}

const call = [
  item(1, 0, 'received', '127.0.0.1:5062', undefined, 'INVITE sip:1002@127.0.0.1 SIP/2.0', true),
  item(2, 1, 'sent', '127.0.0.1:5062', undefined, 'SIP/2.0 407 Proxy Authentication Required'),
  item(3, 5, 'received', '127.0.0.1:5062', 'SEP1001', 'INVITE sip:1002@127.0.0.1 SIP/2.0', true),
  item(4, 6, 'sent', '127.0.0.1:5064', 'SEP1002', 'INVITE sip:1002@127.0.0.1:5064 SIP/2.0', true),
  item(5, 40, 'received', '127.0.0.1:5064', 'SEP1002', 'SIP/2.0 180 Ringing'),
  item(6, 41, 'sent', '127.0.0.1:5062', 'SEP1001', 'SIP/2.0 180 Ringing'),
  item(7, 1250, 'received', '127.0.0.1:5064', 'SEP1002', 'SIP/2.0 200 OK', true),
];

describe('the SIP ladder in the terminal', () => {
  it('MUST draw a column per party, an arrow per message from sender to receiver, and the time since the first', () => {
    const ladder = new LadderRenderer({ gap: 24 });
    const lines = call.flatMap((message) => ladder.render(message));
    expect(lines).toEqual([
      '               127.0.0.1:5062             Strowger',
      '                                       127.0.0.1:5060',
      '                      │                       │',
      '   0.000s             │── INVITE 1002 (SDP) ─▶│',
      '   0.001s             │◀ 407 Proxy Authenti… ─│',
      // The phone's device became known: the header is drawn again with its name.
      '                   SEP1001                Strowger',
      '               127.0.0.1:5062          127.0.0.1:5060',
      '                      │                       │',
      '   0.005s             │── INVITE 1002 (SDP) ─▶│',
      '                   SEP1001                Strowger                 SEP1002',
      '               127.0.0.1:5062          127.0.0.1:5060          127.0.0.1:5064',
      '                      │                       │                       │',
      '   0.006s             │                       │── INVITE 1002 (SDP) ─▶│',
      '   0.040s             │                       │◀──── 180 Ringing ─────│',
      '   0.041s             │◀──── 180 Ringing ─────│                       │',
      '   1.250s             │                       │◀─── 200 OK (SDP) ─────│',
    ]);
  });

  it('with full MUST print the whole message under its arrow, with where it went', () => {
    const ladder = new LadderRenderer({ full: true, gap: 24 });
    const lines = ladder.render(call[1]!);
    expect(lines.slice(3)).toEqual([
      '   0.000s             │◀ 407 Proxy Authenti… ─│',
      '          udp 127.0.0.1:5060 → 127.0.0.1:5062',
      '          SIP/2.0 407 Proxy Authentication Required',
      '          Call-ID: abc@host',
      '',
    ]);
  });

  it('an arrow MUST say the method and number, or the status, and whether it carries SDP', () => {
    expect(arrowLabel({ summary: 'BYE sip:1001@10.0.0.5:5062;transport=tcp SIP/2.0', message: '' })).toBe('BYE 1001');
    expect(arrowLabel({ summary: 'REGISTER sip:strowger SIP/2.0', message: '' })).toBe('REGISTER');
    expect(arrowLabel({ summary: 'SIP/2.0 486 Busy Here', message: 'SIP/2.0 486 Busy Here\r\n\r\n' })).toBe(
      '486 Busy Here',
    );
  });
});
