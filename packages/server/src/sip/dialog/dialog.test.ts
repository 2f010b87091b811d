import { describe, expect, it } from 'vitest';
import { formatUri, parseMessage, type SipRequest, type SipResponse } from '../message/index.js';
import { Dialog, DialogSet } from './dialog.js';

const invite = parseMessage(
  Buffer.from(
    'INVITE sip:bob@192.0.2.20 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKd1\r\nFrom: <sip:alice@example.com>;tag=A\r\nTo: <sip:bob@example.com>\r\nCall-ID: d-1\r\nCSeq: 10 INVITE\r\nContact: <sip:alice@192.0.2.1>\r\nRecord-Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\r\nContent-Length: 0\r\n\r\n',
  ),
) as SipRequest;

const ok = (recordRoute: string) =>
  parseMessage(
    Buffer.from(
      `SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKd1\r\nFrom: <sip:alice@example.com>;tag=A\r\nTo: <sip:bob@example.com>;tag=B\r\nCall-ID: d-1\r\nCSeq: 10 INVITE\r\nContact: <sip:bob@192.0.2.20:5070>\r\nRecord-Route: ${recordRoute}\r\nContent-Length: 0\r\n\r\n`,
    ),
  ) as SipResponse;

const sentBy = { host: '192.0.2.1', port: 5060 };

describe('Dialog (RFC 3261 §12)', () => {
  it('the UAC route set MUST be the Record-Route reversed, and loose routing MUST target the remote Contact', () => {
    const dialog = Dialog.asUac(invite, ok('<sip:p1.example.com;lr>, <sip:p2.example.com;lr>'));
    expect(dialog.routeSet.map((r) => formatUri(r.uri))).toEqual(['sip:p2.example.com;lr', 'sip:p1.example.com;lr']);
    const bye = dialog.createRequest('BYE', { sentBy });
    expect(formatUri(bye.uri)).toBe('sip:bob@192.0.2.20:5070');
    expect(bye.getHeaders('Route')).toEqual(['<sip:p2.example.com;lr>', '<sip:p1.example.com;lr>']);
    expect(bye.cseq).toEqual({ seq: 11, method: 'BYE' });
    expect(bye.to.params.get('tag')).toBe('B');
    expect(bye.from.params.get('tag')).toBe('A');
  });

  it('a strict first route MUST become the Request-URI with the remote target as the last Route', () => {
    const dialog = Dialog.asUac(invite, ok('<sip:strict.example.com>'));
    const bye = dialog.createRequest('BYE', { sentBy });
    expect(formatUri(bye.uri)).toBe('sip:strict.example.com');
    expect(bye.getHeaders('Route')).toEqual(['<sip:bob@192.0.2.20:5070>']);
  });

  it('the ACK for a 2xx MUST reuse the INVITE CSeq number', () => {
    const dialog = Dialog.asUac(invite, ok('<sip:p1.example.com;lr>'));
    expect(dialog.createRequest('ACK', { sentBy }).cseq).toEqual({ seq: 10, method: 'ACK' });
  });

  it('the UAS route set MUST keep Record-Route order, and a lower remote CSeq MUST get 500', () => {
    const dialog = Dialog.asUas(invite, ok('<sip:p1.example.com;lr>'));
    expect(dialog.routeSet.map((r) => formatUri(r.uri))).toEqual(['sip:p1.example.com;lr', 'sip:p2.example.com;lr']);
    const older = parseMessage(
      Buffer.from(
        'BYE sip:bob@192.0.2.20 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKd2\r\nFrom: <sip:alice@example.com>;tag=A\r\nTo: <sip:bob@example.com>;tag=B\r\nCall-ID: d-1\r\nCSeq: 9 BYE\r\nContent-Length: 0\r\n\r\n',
      ),
    ) as SipRequest;
    expect(dialog.receiveRequest(older)).toMatchObject({ ok: false, status: 500 });
    const set = new DialogSet();
    set.add(dialog);
    expect(set.findForRequest(older)).toBe(dialog);
  });

  it('a terminated dialog MUST refuse to build requests', () => {
    const dialog = Dialog.asUac(invite, ok('<sip:p1.example.com;lr>'));
    dialog.terminate();
    expect(() => dialog.createRequest('BYE', { sentBy })).toThrow(/terminated/);
  });
});
