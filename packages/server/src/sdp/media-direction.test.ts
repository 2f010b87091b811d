import { describe, expect, it } from 'vitest';
import { audioDirection, isHoldOffer, withAudioDirection } from './index.js';

const offer = (lines: string[]) =>
  ['v=0', 'o=a 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', ...lines].join('\r\n') + '\r\n';

describe('audio direction (RFC 3264)', () => {
  it('an offer without a direction attribute MUST read as sendrecv', () => {
    expect(audioDirection(offer(['m=audio 4000 RTP/AVP 0']))).toBe('sendrecv');
    expect(isHoldOffer(offer(['m=audio 4000 RTP/AVP 0']))).toBe(false);
  });

  it('a=sendonly and a=inactive on the audio stream MUST read as hold', () => {
    expect(isHoldOffer(offer(['m=audio 4000 RTP/AVP 0', 'a=sendonly']))).toBe(true);
    expect(isHoldOffer(offer(['m=audio 4000 RTP/AVP 0', 'a=inactive']))).toBe(true);
    expect(isHoldOffer(offer(['m=audio 4000 RTP/AVP 0', 'a=recvonly']))).toBe(false);
  });

  it("a session-level direction MUST apply when the stream has none, and the stream's MUST win", () => {
    expect(audioDirection(offer(['a=sendonly', 'm=audio 4000 RTP/AVP 0']))).toBe('sendonly');
    expect(audioDirection(offer(['a=sendonly', 'm=audio 4000 RTP/AVP 0', 'a=sendrecv']))).toBe('sendrecv');
  });

  it('a connection address of 0.0.0.0 (RFC 2543 hold) MUST read as inactive', () => {
    const old = offer(['m=audio 4000 RTP/AVP 0']).replace('c=IN IP4 192.0.2.1', 'c=IN IP4 0.0.0.0');
    expect(audioDirection(old)).toBe('inactive');
  });

  it('withAudioDirection MUST set every audio stream and let no session-level attribute override it', () => {
    const held = withAudioDirection(offer(['a=sendrecv', 'm=audio 4000 RTP/AVP 0', 'a=recvonly']), 'sendonly');
    expect(audioDirection(held)).toBe('sendonly');
    expect(held).toContain('m=audio 4000 RTP/AVP 0');
    expect(audioDirection(withAudioDirection(held, 'sendrecv'))).toBe('sendrecv');
  });
});
