import { describe, expect, it } from 'vitest';
import {
  formatUri,
  parseHostPort,
  parseUri,
  uriEquals,
  parseNameAddress,
  formatNameAddress,
  SipParseError,
} from './index.js';
import type { SipUri } from './types.js';

describe('URIs (RFC 3261 §19.1, RFC 5118, RFC 3966)', () => {
  it('a SIP URI MUST parse user, password, host, port, parameters and headers', () => {
    const uri = parseUri(
      'sips:alice:secret@atlanta.example.com:5061;transport=tcp;lr?subject=project%20x&priority=urgent',
    );
    expect(uri).toMatchObject({
      scheme: 'sips',
      user: 'alice',
      password: 'secret',
      host: 'atlanta.example.com',
      port: 5061,
    });
    if (uri.scheme !== 'sips') return;
    const sips = uri as SipUri;
    expect([...sips.params]).toEqual([
      ['transport', 'tcp'],
      ['lr', null],
    ]);
    expect(sips.headers.get('subject')).toBe('project%20x');
  });

  it('IPv6 references MUST be bracketed and parse without the brackets (RFC 5118)', () => {
    expect(parseUri('sip:[2001:db8::10]:5070')).toMatchObject({ host: '2001:db8::10', port: 5070 });
    expect(formatUri(parseUri('sip:bob@[2001:db8::10]'))).toBe('sip:bob@[2001:db8::10]');
    expect(() => parseUri('sip:2001:db8::10')).toThrow(SipParseError);
  });

  it('a user part with ";" and escapes MUST parse up to the "@"', () => {
    expect(parseUri('sip:user;par=u%40example.net@example.com')).toMatchObject({
      user: 'user;par=u%40example.net',
      host: 'example.com',
    });
  });

  it('a tel URI MUST keep its number and parameters', () => {
    expect(parseUri('tel:+1-201-555-0123;ext=42')).toMatchObject({ scheme: 'tel', number: '+1-201-555-0123' });
  });

  it('invalid hosts and ports MUST be rejected', () => {
    for (const text of [
      'sip:bob@exa mple.com',
      'sip:bob@example.com:99999',
      'sip:bob@',
      'sip:@example.com',
      'sip:bob@example%2Ecom',
      'nocolon',
    ]) {
      expect(() => parseUri(text), text).toThrow(SipParseError);
    }
  });

  it('format(parse(x)) MUST give back an equivalent URI', () => {
    for (const text of [
      'sip:alice@example.com',
      'sip:example.com:5060;lr',
      'sips:a:b@[::1]:5061;transport=tls?h=v',
      'tel:+4930123;phone-context=x',
    ]) {
      expect(uriEquals(parseUri(formatUri(parseUri(text))), parseUri(text))).toBe(true);
    }
  });

  it('URI comparison MUST follow §19.1.4', () => {
    const eq = (a: string, b: string) => uriEquals(parseUri(a), parseUri(b));
    expect(eq('sip:%61lice@atlanta.com;transport=TCP', 'sip:alice@AtLanTa.CoM;Transport=tcp')).toBe(true);
    expect(eq('sip:carol@chicago.com', 'sip:carol@chicago.com;newparam=5')).toBe(true);
    expect(eq('sip:carol@chicago.com;security=on', 'sip:carol@chicago.com;newparam=5')).toBe(true);
    expect(eq('sip:ALICE@AtLanTa.CoM;Transport=udp', 'sip:alice@AtLanTa.CoM;Transport=UDP')).toBe(false);
    expect(eq('sip:bob@biloxi.com', 'sip:bob@biloxi.com:5060')).toBe(false);
    expect(eq('sip:bob@biloxi.com', 'sip:bob@biloxi.com;transport=udp')).toBe(false);
    expect(eq('sip:carol@chicago.com;security=on', 'sip:carol@chicago.com;security=off')).toBe(false);
    expect(eq('sip:carol@chicago.com?Subject=next%20meeting', 'sip:carol@chicago.com?Subject=another%20meeting')).toBe(
      false,
    );
  });
});

describe('name-addr and addr-spec (§20.10)', () => {
  it('an unquoted display name of tokens MUST parse, and LWS before < MAY be absent', () => {
    expect(parseNameAddress('Bob Smith <sip:bob@example.com>').displayName).toBe('Bob Smith');
    expect(parseNameAddress('caller<sip:caller@example.com>;tag=323').displayName).toBe('caller');
  });

  it('a display name with non-token characters MUST be quoted', () => {
    expect(() => parseNameAddress('Bob "the" <sip:bob@example.com>')).toThrow(SipParseError);
  });

  it('an addr-spec holding "?" or "," MUST be rejected (it needs angle brackets)', () => {
    expect(() => parseNameAddress('sip:user@example.com?Route=%3Csip:x%3E')).toThrow(SipParseError);
  });

  it('format MUST quote the display name and keep parameters', () => {
    const value = parseNameAddress('"A \\"B\\"" <sip:a@example.com>;tag=x;expires=60');
    expect(formatNameAddress(value)).toBe('"A \\"B\\"" <sip:a@example.com>;tag=x;expires=60');
  });
});

describe('host names (§25.1 hostname)', () => {
  it.each(['example.com', 'a', 'a-b.c-d.example', 'example.com.', '1.example', 'x1-2y'])(
    '"%s" MUST be accepted',
    (host) => {
      expect(parseHostPort(host).host).toBe(host);
    },
  );

  it.each(['-a.example', 'a-.example', 'a..example', '.example', 'exa_mple.com', 'a.b-', ''])(
    '"%s" MUST be rejected',
    (host) => {
      expect(() => parseHostPort(host)).toThrow(SipParseError);
    },
  );

  it('a very long hostile host name MUST be refused quickly, without backtracking', () => {
    const hostile = `${'a'.repeat(50_000)}!`;
    expect(() => parseHostPort(hostile)).toThrow(SipParseError);
  });
});
