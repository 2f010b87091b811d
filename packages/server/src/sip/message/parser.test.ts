import { describe, expect, it } from 'vitest';
import {
  parseMessage,
  SipParseError,
  serializeMessage,
  createResponse,
  isSipUri,
  type SipRequest,
  type SipMessageAny,
} from './index.js';
import { typical200, typicalInvite, typicalRegister } from './test-messages.js';

const parse = (text: string): SipMessageAny => parseMessage(Buffer.from(text));

function request(lines: string[], body = ''): string {
  return [...lines, '', body].join('\r\n');
}

const baseHeaders = [
  'Via: SIP/2.0/UDP host.example.com;branch=z9hG4bK1',
  'To: <sip:bob@example.com>',
  'From: <sip:alice@example.com>;tag=a',
  'Call-ID: call-1',
  'CSeq: 1 OPTIONS',
  'Max-Forwards: 70',
];

function expectReject(text: string, options: { answerable?: boolean; status?: number } = {}): SipParseError {
  let caught: unknown;
  try {
    parse(text);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SipParseError);
  const error = caught as SipParseError;
  if (options.answerable !== undefined) expect(error.partial !== undefined).toBe(options.answerable);
  if (options.status !== undefined) expect(error.responseStatus).toBe(options.status);
  return error;
}

describe('SIP message parser (RFC 3261 §7, §25)', () => {
  it('a typical INVITE MUST parse to its method, URI, headers and body', () => {
    const message = parse(typicalInvite);
    expect(message.kind).toBe('request');
    if (message.kind !== 'request') return;
    expect(message.method).toBe('INVITE');
    expect(message.uri).toMatchObject({ scheme: 'sip', user: 'bob', host: 'biloxi.example.com' });
    expect(message.topVia).toMatchObject({ transport: 'UDP', host: 'pc33.atlanta.example.com', port: 5060 });
    expect(message.topVia.params.get('branch')).toBe('z9hG4bK776asdhds');
    expect(message.topVia.params.get('rport')).toBeNull();
    expect(message.from.displayName).toBe('Alice Liddell');
    expect(message.from.params.get('tag')).toBe('1928301774');
    expect(message.to.displayName).toBe('Bob');
    expect(message.cseq).toEqual({ seq: 314159, method: 'INVITE' });
    expect(message.maxForwards).toBe(70);
    expect(Buffer.from(message.body).toString()).toMatch(/^v=0\r\n.*m=audio 49172 RTP\/AVP 0\r\n$/s);
  });

  it('a response MUST parse to status, reason and headers', () => {
    const message = parse(typical200);
    expect(message.kind).toBe('response');
    if (message.kind !== 'response') return;
    expect(message.status).toBe(200);
    expect(message.reason).toBe('OK');
    expect(message.topVia.params.get('received')).toBe('192.0.2.101');
    expect(message.to.params.get('tag')).toBe('a6c85cf');
  });

  it('compact header forms and any case MUST be understood (§7.3.3)', () => {
    const message = parse(
      request([
        'OPTIONS sip:bob@example.com SIP/2.0',
        'v: SIP/2.0/UDP host.example.com;branch=z9hG4bK1',
        't: <sip:bob@example.com>',
        'f: <sip:alice@example.com>;tag=a',
        'i: call-1',
        'cSeQ: 1 OPTIONS',
        'm: <sip:alice@192.0.2.1>',
        'l: 0',
      ]),
    );
    expect(message.callId).toBe('call-1');
    expect(message.getHeader('Call-ID')).toBe('call-1');
    expect(message.headers.map((h) => h.name)).toEqual([
      'Via',
      'To',
      'From',
      'Call-ID',
      'CSeq',
      'Contact',
      'Content-Length',
    ]);
    expect(message.contacts).toHaveLength(1);
  });

  it('a folded header MUST be unfolded to one value (§7.3.1)', () => {
    const message = parse(
      request(['OPTIONS sip:bob@example.com SIP/2.0', ...baseHeaders, 'Subject: first part', ' \tsecond part']),
    );
    expect(message.getHeader('subject')).toBe('first part second part');
  });

  it('comma lists and repeated headers MUST both yield every element, in order', () => {
    const message = parse(
      request([
        'OPTIONS sip:bob@example.com SIP/2.0',
        'Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/TCP b.example.com:5070;branch=z9hG4bK2',
        'Via: SIP/2.0/UDP [2001:db8::9]:5062;branch=z9hG4bK3',
        ...baseHeaders.slice(1),
        'Contact: "Comma, Inc." <sip:a@example.com;x=1>, <sip:b@example.com>;q=0.5',
      ]),
    );
    expect(message.via.map((via) => via.host)).toEqual(['a.example.com', 'b.example.com', '2001:db8::9']);
    expect(message.via[2]?.port).toBe(5062);
    expect(message.contacts).toHaveLength(2);
    expect(message.contacts[0]).toMatchObject({ displayName: 'Comma, Inc.' });
  });

  it('LWS around Via separators and parameter equals signs MUST be accepted', () => {
    const message = parse(
      request([
        'OPTIONS sip:bob@example.com SIP/2.0',
        'Via: SIP / 2.0 / UDP host.example.com : 5070 ; branch = z9hG4bKx ; rport',
        ...baseHeaders.slice(1),
      ]),
    );
    expect(message.topVia).toMatchObject({ transport: 'UDP', host: 'host.example.com', port: 5070 });
    expect(message.topVia.params.get('branch')).toBe('z9hG4bKx');
  });

  it('quoted strings with escapes MUST resolve, and an unterminated quote MUST be rejected', () => {
    const message = parse(
      request([
        'OPTIONS sip:bob@example.com SIP/2.0',
        ...baseHeaders.filter((h) => !h.startsWith('From')),
        'From: "The \\"Boss\\" \\\\ Co" <sip:boss@example.com>;tag=b',
      ]),
    );
    expect(message.from.displayName).toBe('The "Boss" \\ Co');
    expectReject(
      request([
        'OPTIONS sip:bob@example.com SIP/2.0',
        ...baseHeaders.filter((h) => !h.startsWith('From')),
        'From: "Unclosed <sip:a@example.com>;tag=b',
      ]),
    );
  });

  it('addr-spec parameters MUST be header parameters, name-addr parameters inside <> MUST be URI parameters (§20.10)', () => {
    const message = parse(
      request([
        'OPTIONS sip:bob@example.com SIP/2.0',
        ...baseHeaders.filter((h) => !h.startsWith('To')),
        'To: sip:bob@example.com;tag=t1',
        'Contact: <sip:alice@192.0.2.1;transport=tcp>;expires=60',
      ]),
    );
    expect(message.to.params.get('tag')).toBe('t1');
    const contact = message.contacts[0];
    expect(contact && 'uri' in contact && isSipUri(contact.uri) && contact.uri.params.get('transport')).toBe('tcp');
    expect(contact && 'params' in contact && contact.params.get('expires')).toBe('60');
  });

  it('the body MUST be taken by Content-Length in bytes, and bytes beyond it ignored (§18.3)', () => {
    const message = parse(
      request(['OPTIONS sip:bob@example.com SIP/2.0', ...baseHeaders, 'Content-Length: 4'], 'é€xtra'),
    );
    // "é" is two bytes and "€" three: four bytes end in the middle of "€".
    expect(Buffer.from(message.body)).toEqual(Buffer.from('é€xtra').subarray(0, 4));
  });

  it('a Content-Length larger than the message MUST be rejected, answerable with 400', () => {
    expectReject(request(['OPTIONS sip:bob@example.com SIP/2.0', ...baseHeaders, 'Content-Length: 99'], 'short'), {
      answerable: true,
      status: 400,
    });
  });

  it('negative, non-numeric or oversized numbers MUST be rejected (RFC 4475 ncl, scalar02)', () => {
    for (const header of [
      'Content-Length: -1',
      'Max-Forwards: 300',
      'Expires: Sat, 01 Jan 2000 00:00:00 GMT',
      'Expires: 10000000000',
    ]) {
      expectReject(
        request([
          'OPTIONS sip:bob@example.com SIP/2.0',
          ...baseHeaders.filter((h) => !h.startsWith(header.split(':')[0] as string)),
          header,
        ]),
        {
          answerable: true,
        },
      );
    }
  });

  it('a CSeq method that differs from the request method MUST be rejected with 400', () => {
    expectReject(request(['INVITE sip:bob@example.com SIP/2.0', ...baseHeaders]), { answerable: true, status: 400 });
  });

  it('an unsupported SIP version MUST be answerable with 505 (§8.2.2.2... RFC 4475 badvers)', () => {
    expectReject(request(['OPTIONS sip:bob@example.com SIP/7.0', ...baseHeaders]), { answerable: true, status: 505 });
  });

  it('a request missing Call-ID, From or To MUST be rejected and answerable with 400 (RFC 4475 insuf)', () => {
    for (const missing of ['Call-ID', 'From', 'To', 'CSeq']) {
      const error = expectReject(
        request(['OPTIONS sip:bob@example.com SIP/2.0', ...baseHeaders.filter((h) => !h.startsWith(missing))]),
        { answerable: true, status: 400 },
      );
      const response = createResponse(error.partial as SipRequest, 400);
      expect(response.getHeader(missing)).toBeUndefined();
      expect(response.getHeader('Via')).toBe('SIP/2.0/UDP host.example.com;branch=z9hG4bK1');
    }
  });

  it('a request without a Via MUST be rejected and not answerable: a response could not be routed', () => {
    expectReject(request(['OPTIONS sip:bob@example.com SIP/2.0', ...baseHeaders.filter((h) => !h.startsWith('Via'))]), {
      answerable: false,
    });
  });

  it('two different To headers MUST be rejected', () => {
    expectReject(request(['OPTIONS sip:bob@example.com SIP/2.0', ...baseHeaders, 'To: <sip:carol@example.com>']));
  });

  it('a Request-URI with spaces or angle brackets MUST be rejected (RFC 4475 lwsruri, ltgtruri)', () => {
    expectReject(request(['OPTIONS sip:bob@example.com; lr SIP/2.0', ...baseHeaders]));
    expectReject(request(['OPTIONS <sip:bob@example.com> SIP/2.0', ...baseHeaders]), { answerable: true });
  });

  it('an unknown URI scheme MUST parse as an absolute URI so the UAS can answer 416', () => {
    const message = parse(request(['OPTIONS nobodyknowsthisscheme:totallyopaquecontent SIP/2.0', ...baseHeaders]));
    expect(message.kind === 'request' && message.uri).toEqual({
      scheme: 'nobodyknowsthisscheme',
      raw: 'nobodyknowsthisscheme:totallyopaquecontent',
    });
  });

  it('leading CRLFs before the start line MUST be ignored (§7.5)', () => {
    expect(parse(`\r\n\r\n${typicalRegister}`).kind).toBe('request');
  });

  it('a message without the empty line after its headers MUST be rejected', () => {
    expect(() => parse('OPTIONS sip:a@b SIP/2.0\r\nVia: x\r\n')).toThrow(SipParseError);
  });

  it('parse → serialize → parse MUST give the same values', () => {
    for (const text of [typicalInvite, typicalRegister, typical200]) {
      const first = parse(text);
      const second = parseMessage(serializeMessage(first));
      expect(second.headers).toEqual(first.headers);
      expect(Buffer.from(second.body)).toEqual(Buffer.from(first.body));
      expect(second.cseq).toEqual(first.cseq);
    }
  });

  it('random mutations of valid messages MUST either parse or throw SipParseError, never anything else', () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const corpus = [typicalInvite, typicalRegister, typical200].map((text) => Buffer.from(text));
    for (let round = 0; round < 3000; round++) {
      const source = corpus[round % corpus.length] as Buffer;
      const bytes = Buffer.from(source);
      const edits = 1 + Math.floor(random() * 8);
      for (let e = 0; e < edits; e++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      const cut = random() < 0.2 ? bytes.subarray(0, Math.floor(random() * bytes.length)) : bytes;
      try {
        const message = parseMessage(cut);
        void message.contacts;
        serializeMessage(message);
      } catch (error) {
        if (!(error instanceof SipParseError))
          throw new Error(`round ${round}: ${String(error)}\n${cut.toString('latin1')}`);
      }
    }
  });
});

describe('createResponse (§8.2.6)', () => {
  it('MUST copy Via, From, Call-ID and CSeq and add the To tag when To has none', () => {
    const invite = parse(typicalInvite) as SipRequest;
    const response = createResponse(invite, 486, undefined, { toTag: 'xyz' });
    expect(response.reason).toBe('Busy Here');
    expect(response.getHeaders('Via')).toEqual(invite.getHeaders('Via'));
    expect(response.to.params.get('tag')).toBe('xyz');
    expect(response.from.params.get('tag')).toBe('1928301774');
    expect(response.cseq).toEqual(invite.cseq);
  });

  it('MUST NOT replace a To tag the request already has', () => {
    const bye = parse(
      request([
        'BYE sip:bob@example.com SIP/2.0',
        ...baseHeaders.map((h) =>
          h
            .replace('CSeq: 1 OPTIONS', 'CSeq: 2 BYE')
            .replace('To: <sip:bob@example.com>', 'To: <sip:bob@example.com>;tag=old'),
        ),
      ]),
    ) as SipRequest;
    expect(createResponse(bye, 200, undefined, { toTag: 'new' }).to.params.get('tag')).toBe('old');
  });
});
