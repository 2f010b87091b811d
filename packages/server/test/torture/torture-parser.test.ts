import { describe, expect, it } from 'vitest';
import {
  parseMessage,
  SipParseError,
  isSipUri,
  isWildcard,
  type NameAddress,
  parseUri,
  formatUri,
  uriEquals,
  type SipMessageAny,
  type SipRequest,
  type SipResponse,
  type SipUri,
} from '../../src/sip/index.js';
import { vectors, type TortureVector } from './vectors.js';

function vector(name: string): TortureVector {
  const found = vectors.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no torture vector ${name}`);
  return found;
}

/** %-escapes decoded, as RFC 3261 §19.1.4 compares them; the URI model keeps the received spelling. */
const unescape = (text: string | undefined): string | undefined =>
  text?.replace(/%([0-9a-fA-F]{2})/g, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

const contactsOf = (request: SipRequest): NameAddress[] =>
  request.contacts.filter((contact): contact is NameAddress => !isWildcard(contact));

const parse = (name: string): SipMessageAny => parseMessage(vector(name).bytes);
const parseRequest = (name: string): SipRequest => parse(name) as SipRequest;
const sipUri = (uri: unknown): SipUri => {
  if (!isSipUri(uri as never)) throw new Error(`not a SIP URI: ${JSON.stringify(uri)}`);
  return uri as SipUri;
};

describe('RFC 4475 / RFC 5118 torture messages: the parser', () => {
  it.each(vectors.map((v) => [v.name, v] as const))('%s is parsed or rejected as the RFC describes', (_name, v) => {
    if (v.parse === 'ok') {
      const parsed = parseMessage(v.bytes);
      // Every header a transaction needs must be readable on a valid message.
      void parsed.via;
      void parsed.cseq;
      void parsed.callId;
      return;
    }
    let caught: unknown;
    try {
      const parsed = parseMessage(v.bytes);
      // A response that parses lazily must fail as soon as its broken scalar is read.
      void parsed.cseq;
    } catch (error) {
      caught = error;
    }
    expect(caught, `${v.name} must be rejected`).toBeInstanceOf(SipParseError);
    const error = caught as SipParseError;
    if (v.parse.reject === 'unanswerable') {
      expect(error.partial).toBeUndefined();
    } else {
      expect(error.partial, `${v.name} must be answerable: ${error.message}`).toBeDefined();
      expect(error.responseStatus).toBe(v.parse.reject);
    }
  });

  it('wsinv: folding, compact and odd-case names, LWS everywhere, escaped quotes', () => {
    const m = parseRequest('wsinv');
    expect(m.method).toBe('INVITE');
    expect(sipUri(m.uri).params.has('unknownparam')).toBe(true);
    expect(m.to.params.get('tag')).toBe('1918181833n');
    expect(m.from.displayName).toBe('J Rosenberg \\"');
    expect(m.from.params.get('tag')).toBe('98asjd8');
    expect(m.maxForwards).toBe(68);
    expect(m.cseq).toEqual({ seq: 9, method: 'INVITE' });
    expect(m.via.map((via) => [via.transport, via.host, via.params.get('branch')])).toEqual([
      ['UDP', '192.0.2.2', '390skdjuw'],
      ['TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
      ['UDP', '192.168.255.111', 'z9hG4bK30239'],
    ]);
    expect(m.getHeader('Subject')).toBe('');
    expect(m.getHeader('NewFangledHeader')).toBe('newfangled value continued newfangled value');
    expect(m.getHeader('UnknownHeaderWithUnusualValue')).toBe(';;,,;;,;');
    const [contact] = contactsOf(m);
    expect(contact?.displayName).toBe('Quoted string ""');
    expect(contact?.params.get('newparam')).toBe('newvalue');
    expect(contact?.params.has('secondparam')).toBe(true);
    expect(contact?.params.get('q')).toBe('0.33');
    expect(m.body.length).toBe(m.contentLength);
  });

  it('intmeth: every token character in a method, and control characters escaped in a quoted string', () => {
    const m = parseRequest('intmeth');
    expect(m.method).toBe("!interesting-Method0123456789_*+`.%indeed'~");
    const uri = sipUri(m.uri);
    expect(uri.user).toBe("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    expect(uri.password).toBe("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    expect(uri.host).toBe('example.com');
    expect(m.to.displayName).toBe('BEL:\x07 NUL:\x00 DEL:\x7f');
    expect(m.from.displayName).toBe("token1~` token2'+_ token3*%!.-");
    // Parameter names compare case-insensitively and are kept in lower case.
    expect(m.from.params.get("fromparam''~+*_!.-%")).toBe('"работающий"');
    expect(m.callId).toBe('intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
    expect(m.getHeader("extensionHeader-!.%*+_`'~")).toBe('\ufeff大停電');
  });

  it('esc01: escaped characters in user parts and parameters are unescaped', () => {
    const m = parseRequest('esc01');
    expect(unescape(sipUri(m.uri).user)).toBe('sips:user@example.com');
    expect(uriEquals(m.to.uri, parseUri('sip:user@example.com'))).toBe(true);
    const contact = sipUri(contactsOf(m)[0]?.uri);
    expect(uriEquals(contact, parseUri('sip:caller@host5.example.net;lr;name=value%2541'))).toBe(true);
    expect(uriEquals(contact, parseUri('sip:caller@host5.example.net;lr;name=valueA'))).toBe(false);
  });

  it('escnull: escaped NULs are kept as NUL characters', () => {
    const m = parseRequest('escnull');
    expect(unescape(sipUri(m.to.uri).user)).toBe('null-\x00-null');
    expect(contactsOf(m).map((c) => unescape(sipUri(c.uri).user))).toEqual(['\x00', '\x00\x00']);
  });

  it('esc02: % in a method and a header name is not an escape', () => {
    const m = parseRequest('esc02');
    expect(m.method).toBe('RE%47IST%45R');
    expect(contactsOf(m)).toHaveLength(2);
    expect(m.getHeader('C%6Fntact')).toBe('<sip:alias2@host2.example.com>');
    expect(m.to.displayName).toBe('%Z%45');
  });

  it('lwsdisp: a display name token directly before <', () => {
    expect(parseRequest('lwsdisp').from.displayName).toBe('caller');
  });

  it('longreq: long values and 33 Via fields in all spellings', () => {
    const m = parseRequest('longreq');
    expect(m.via).toHaveLength(33);
    expect(m.to.displayName).toContain('extremeextreme');
    expect(m.body.length).toBe(m.contentLength);
  });

  it('dblreq: octets after Content-Length in a datagram are ignored', () => {
    const m = parseRequest('dblreq');
    expect(m.method).toBe('REGISTER');
    expect(m.body.length).toBe(0);
  });

  it('semiuri: ; in the user part of a URI belongs to the user', () => {
    const uri = sipUri(parseRequest('semiuri').uri);
    expect(unescape(uri.user)).toBe('user;par=u@example.net');
    expect(uri.host).toBe('example.com');
    expect(uri.params.size).toBe(0);
  });

  it('transports: unknown transports in Via are kept', () => {
    expect(parseRequest('transports').via.map((via) => via.transport)).toEqual([
      'UDP',
      'SCTP',
      'TLS',
      'UNKNOWN',
      'TCP',
    ]);
  });

  it('mpart01: a multipart body with binary content passes through byte for byte', () => {
    const m = parseRequest('mpart01');
    const bytes = vector('mpart01').bytes;
    expect(Buffer.from(m.body).equals(bytes.subarray(bytes.length - m.body.length))).toBe(true);
    expect(m.contentType).toBe('multipart/mixed;boundary=7a9cbec02ceef655');
  });

  it('unreason and noreason: any UTF-8 reason phrase, or none', () => {
    expect((parse('unreason') as SipResponse).reason).toBe('= 2**3 * 5**2 но сто девяносто девять - простое');
    const noreason = parse('noreason') as SipResponse;
    expect(noreason.status).toBe(100);
    expect(noreason.reason).toBe('');
  });

  it('cparam01 and cparam02: a parameter after an addr-spec is a header parameter, inside <> a URI parameter', () => {
    const addrSpec = contactsOf(parseRequest('cparam01'))[0];
    expect(addrSpec?.params.has('unknownparam')).toBe(true);
    expect(sipUri(addrSpec?.uri).params.has('unknownparam')).toBe(false);
    const nameAddr = contactsOf(parseRequest('cparam02'))[0];
    expect(nameAddr?.params.has('unknownparam')).toBe(false);
    expect(sipUri(nameAddr?.uri).params.has('unknownparam')).toBe(true);
  });

  it('regescrt: an escaped header in a Contact URI', () => {
    const uri = sipUri(contactsOf(parseRequest('regescrt'))[0]?.uri);
    expect(unescape(uri.headers.get('Route'))).toBe('<sip:sip.example.com>');
  });

  it('unkscm and novelsc: unknown Request-URI schemes parse, so the UAS can answer 416', () => {
    expect(parseRequest('unkscm').uri.scheme.toLowerCase()).toBe('nobodyknowsthisscheme');
    expect(parseRequest('novelsc').uri.scheme.toLowerCase()).toBe('soap.beep');
  });

  it('zeromf: Max-Forwards 0 is a valid value', () => {
    expect(parseRequest('zeromf').maxForwards).toBe(0);
  });

  it('inv2543: RFC 2543 syntax without Content-Length takes the rest of the datagram as body', () => {
    const m = parseRequest('inv2543');
    expect(m.from.params.has('tag')).toBe(false);
    expect(m.via[0]?.params.has('branch')).toBe(false);
    expect(m.body.toString()).toContain('v=0');
  });

  it('RFC 5118: IPv6 references in URIs and Via', () => {
    // Hosts are kept without the brackets of an IPv6 reference; formatting adds them back.
    expect(sipUri(parseRequest('ipv6-good').uri).host).toBe('2001:db8::10');
    const ambiguous = sipUri(parseRequest('port-ambiguous').uri);
    expect([ambiguous.host, ambiguous.port]).toEqual(['2001:db8::10:5070', undefined]);
    const unambiguous = sipUri(parseRequest('port-unambiguous').uri);
    expect([unambiguous.host, unambiguous.port]).toEqual(['2001:db8::10', 5070]);
    expect(formatUri(unambiguous)).toBe('sip:[2001:db8::10]:5070');
    expect(parseRequest('via-received-param-with-delim').via[0]?.params.get('received')).toBe('[2001:db8::9:255]');
    expect(parseRequest('via-received-param-no-delim').via[0]?.params.get('received')).toBe('2001:db8::9:255');
    const mixed = parseRequest('mult-ip-in-header').via;
    expect(mixed.map((via) => [via.host, via.port])).toEqual([
      ['2001:db8::9:1', 6050],
      ['192.0.2.1', undefined],
      ['2001:db8::9:255', undefined],
    ]);
    expect(parseRequest('ipv4-mapped-ipv6').via[0]?.host).toBe('::ffff:192.0.2.10');
  });
});
