import { describe, expect, it } from 'vitest';
import { ErrorCode, StrowgerError } from '../../core/index.js';
import { parseUri, type SipUri } from '../../sip/index.js';
import { headerParam, parseReplaces, transferFailureStatus } from './refer.js';

describe('REFER targets (RFC 3515, RFC 3891)', () => {
  it('a Replaces header in Refer-To MUST be read with its escapes decoded, whatever the case of its name', () => {
    const uri = parseUri('sip:3003@example.com?replaces=abc%40host%3Bto-tag%3D7%3Bfrom-tag%3D9') as SipUri;
    expect(headerParam(uri, 'Replaces')).toBe('abc@host;to-tag=7;from-tag=9');
    expect(headerParam(parseUri('sip:3003@example.com') as SipUri, 'Replaces')).toBeUndefined();
  });

  it('a Replaces value MUST give Call-ID and both tags, in any order, and be refused without them', () => {
    expect(parseReplaces('abc@host;from-tag=9;to-tag=7')).toEqual({ callId: 'abc@host', toTag: '7', fromTag: '9' });
    expect(parseReplaces('abc@host;to-tag=7')).toBeUndefined();
    expect(parseReplaces(';to-tag=7;from-tag=9')).toBeUndefined();
  });

  it("a refused transfer MUST be worded as SIP's closest status for the final NOTIFY", () => {
    expect(transferFailureStatus(new StrowgerError(ErrorCode.InvalidArgument, 'x'))).toBe('404 Not Found');
    expect(transferFailureStatus(new StrowgerError(ErrorCode.InvalidState, 'x'))).toBe('403 Forbidden');
    expect(transferFailureStatus(Object.assign(new Error('x'), { sipStatus: 481 }))).toBe(
      '481 Call/Transaction Does Not Exist',
    );
    expect(transferFailureStatus(new Error('anything else'))).toBe('503 Service Unavailable');
  });
});
