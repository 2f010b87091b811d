import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, FakeClock, isStrowgerError } from '../../core/index.js';
import { parseNameAddress, parseUri, type SipResponse } from '../message/index.js';
import { FakeTransport } from '../transport/test-support/fake-transport.js';
import { SipUserAgent } from './user-agent.js';
import type { IncomingRequest } from './incoming-request.js';

const request = (
  method: string,
  extra = '',
  branch = 'z9hG4bKua1',
  uri = 'sip:server@192.0.2.1',
  cseqMethod = method,
) =>
  `${method} ${uri} SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10:5062;branch=${branch}\r\nFrom: <sip:a@example.com>;tag=f\r\nTo: <sip:server@example.com>\r\nCall-ID: ua-1\r\nCSeq: 1 ${cseqMethod}\r\nMax-Forwards: 70\r\n${extra}Content-Length: 0\r\n\r\n`;

let agents: Array<{ ua: SipUserAgent; clock: FakeClock }> = [];
function setup(handler?: (incoming: IncomingRequest) => void) {
  const clock = new FakeClock(0);
  const transport = new FakeTransport();
  const ua = new SipUserAgent({ transport, clock, supported: ['replaces'] });
  if (handler) ua.onRequest(handler);
  agents.push({ ua, clock });
  const statuses = () => transport.sent.map(({ message }) => (message as SipResponse).status);
  return { clock, transport, ua, statuses };
}

afterEach(() => {
  const finished = agents;
  agents = [];
  for (const { ua, clock } of finished) {
    clock.advance(120_000);
    expect(ua.transactions.size).toEqual({ client: 0, server: 0 });
    expect(clock.pendingTimers).toBe(0);
  }
});

describe('SipUserAgent as a UAS (RFC 3261 §8.2)', () => {
  it('answers MUST carry the configured Server header, and none when it is configured empty', () => {
    for (const [header, expected] of [
      ['Strowger/0.1.0', 'Strowger/0.1.0'],
      ['', undefined],
    ] as const) {
      const clock = new FakeClock(0);
      const transport = new FakeTransport();
      const ua = new SipUserAgent({ transport, clock, userAgentHeader: header });
      agents.push({ ua, clock });
      transport.receive(request('OPTIONS'));
      expect(transport.sent[0]?.message.getHeader('Server')).toBe(expected);
      const uri = parseUri('sip:phone@192.0.2.20');
      const outgoing = ua.createRequest({
        method: 'OPTIONS',
        uri,
        from: parseNameAddress('<sip:strowger@192.0.2.1>'),
        to: parseNameAddress('<sip:phone@192.0.2.20>'),
      });
      expect(outgoing.getHeader('User-Agent')).toBe(expected);
    }
  });

  it('a stateless answer MUST be sent once and leave no transaction; a retransmission is answered anew', () => {
    const { transport, statuses, ua, clock } = setup((incoming) => {
      void incoming.respond(407, undefined, { stateless: true });
    });
    transport.receive(request('INVITE'));
    expect(ua.transactions.size).toEqual({ client: 0, server: 0 });
    clock.advance(40_000);
    expect(statuses()).toEqual([407]);
    transport.receive(request('INVITE'));
    expect(statuses()).toEqual([407, 407]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('without a handler a known method MUST get 405 with Allow and an unknown one 501', () => {
    const { transport, statuses } = setup();
    transport.receive(request('OPTIONS'));
    transport.receive(request('FROBNICATE', '', 'z9hG4bKua2'));
    expect(statuses()).toEqual([405, 501]);
    expect(transport.sent[0]?.message.getHeader('Allow')).toContain('REGISTER');
  });

  it('an unsupported Require MUST get 420 with Unsupported, an unknown URI scheme 416', () => {
    const { transport, statuses } = setup(() => {
      throw new Error('the handler must not see these');
    });
    transport.receive(request('BYE', 'Require: 100rel, replaces\r\n', 'z9hG4bKb').replace('CSeq: 1', 'CSeq: 2'));
    transport.receive(request('BYE', '', 'z9hG4bKc', 'urn:service:sos').replace('CSeq: 1', 'CSeq: 3'));
    expect(statuses()).toEqual([420, 416]);
    expect(transport.sent[0]?.message.getHeader('Unsupported')).toBe('100rel');
  });

  it('Max-Forwards 0 MUST reach the application: a UAS processes it (RFC 4475 zeromf)', () => {
    const seen: string[] = [];
    const { transport } = setup((incoming) => {
      seen.push(incoming.method);
      incoming.respond(200);
    });
    transport.receive(request('BYE', '', 'z9hG4bKa').replace('Max-Forwards: 70', 'Max-Forwards: 0'));
    expect(seen).toEqual(['BYE']);
  });

  it('a merged request (same From tag, Call-ID and CSeq on another branch) MUST get 482 (§8.2.2.2)', () => {
    const seen: string[] = [];
    const { transport, statuses } = setup((incoming) => {
      seen.push(incoming.method);
      incoming.respond(200);
    });
    transport.receive(request('MESSAGE', '', 'z9hG4bKfirst'));
    transport.receive(request('MESSAGE', '', 'z9hG4bKsecond'));
    expect(statuses()).toEqual([200, 482]);
    expect(seen).toEqual(['MESSAGE']);
  });

  it('a CANCEL MUST get 200 and its INVITE 487 with onCancel told; a CANCEL matching nothing MUST get 481', () => {
    let cancelled = false;
    const { transport, statuses } = setup((incoming) => {
      incoming.respond(180);
      incoming.onCancel(() => (cancelled = true));
    });
    transport.receive(request('INVITE', 'Contact: <sip:a@192.0.2.10:5062>\r\n'));
    transport.receive(request('CANCEL', '', 'z9hG4bKua1'));
    transport.receive(request('CANCEL', '', 'z9hG4bKnope'));
    expect(statuses()).toEqual([180, 200, 487, 481]);
    expect(cancelled).toBe(true);
    transport.receive(request('ACK', '', 'z9hG4bKua1'));
  });

  it('a responding handler MUST give every response of one request the same To tag', () => {
    const { transport } = setup((incoming) => {
      incoming.respond(180);
      incoming.respond(486);
    });
    transport.receive(request('INVITE', 'Contact: <sip:a@192.0.2.10:5062>\r\n'));
    const tags = transport.sent.map(({ message }) => message.to.params.get('tag'));
    expect(tags[0]).toBeTruthy();
    expect(tags[1]).toBe(tags[0]);
    transport.receive(request('ACK', '', 'z9hG4bKua1'));
  });

  it('a handler that throws MUST leave the request answered 500', () => {
    const { transport, statuses } = setup(() => {
      throw new Error('boom');
    });
    transport.receive(request('MESSAGE'));
    expect(statuses()).toEqual([500]);
  });
});

describe('SipUserAgent as a UAC', () => {
  const target = { protocol: 'udp' as const, address: '192.0.2.10', port: 5062 };
  const newRequest = (ua: SipUserAgent, method: string) =>
    ua.createRequest({
      method,
      uri: parseUri('sip:bob@192.0.2.10:5062'),
      from: parseNameAddress('<sip:strowger@192.0.2.1>'),
      to: parseNameAddress('<sip:bob@192.0.2.10>'),
    });
  const reply = (req: { getHeader(n: string): string | undefined }, status: number) =>
    `SIP/2.0 ${status} X\r\nVia: ${req.getHeader('Via')}\r\nFrom: ${req.getHeader('From')}\r\nTo: ${req.getHeader('To')};tag=b\r\nCall-ID: ${req.getHeader('Call-ID')}\r\nCSeq: ${req.getHeader('CSeq')}\r\nContent-Length: 0\r\n\r\n`;

  it('createRequest MUST fill Via with a branch, Max-Forwards, a From tag, Call-ID and CSeq', () => {
    const { ua } = setup();
    const req = newRequest(ua, 'OPTIONS');
    expect(req.topVia.params.get('branch')).toMatch(/^z9hG4bK/);
    expect(req.maxForwards).toBe(70);
    expect(req.from.params.get('tag')).toBeTruthy();
    expect(req.cseq).toEqual({ seq: 1, method: 'OPTIONS' });
  });

  it('sendRequest MUST resolve with the final response and report provisionals', async () => {
    const { ua, transport } = setup();
    const req = newRequest(ua, 'OPTIONS');
    const provisional: number[] = [];
    const result = ua.sendRequest(req, { target, onProvisional: (r) => provisional.push(r.status) });
    transport.receive(reply(req, 100));
    transport.receive(reply(req, 200));
    expect((await result).status).toBe(200);
    expect(provisional).toEqual([100]);
  });

  it('sendRequest MUST reject with SIP_TIMEOUT when Timer F fires', async () => {
    const { ua, clock } = setup();
    const result = ua.sendRequest(newRequest(ua, 'OPTIONS'), { target });
    clock.advance(32_000);
    await expect(result).rejects.toSatisfy((error: unknown) => isStrowgerError(error, ErrorCode.SipTimeout));
  });

  it('an aborted INVITE MUST send CANCEL once a provisional has arrived and resolve with the 487', async () => {
    const { ua, transport } = setup();
    const req = newRequest(ua, 'INVITE');
    const controller = new AbortController();
    const result = ua.sendRequest(req, { target, signal: controller.signal });
    controller.abort();
    expect(transport.log).toEqual(['INVITE']);
    transport.receive(reply(req, 180));
    expect(transport.log).toEqual(['INVITE', 'CANCEL']);
    const cancel = transport.sent[1]?.message;
    expect(cancel?.topVia.params.get('branch')).toBe(req.topVia.params.get('branch'));
    transport.receive(reply(cancel as never, 200));
    transport.receive(reply(req, 487));
    expect((await result).status).toBe(487);
    expect(transport.log).toEqual(['INVITE', 'CANCEL', 'ACK']);
  });
});
