import { describe, expect, it } from 'vitest';
import { SessionOrigin } from './index.js';

const sdp = (origin: string, port: number) =>
  `v=0\r\no=${origin}\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio ${port} RTP/AVP 0\r\n`;

describe('one session origin per leg (RFC 3264 §8)', () => {
  it('the first description MUST pass unchanged, and a later one from another party MUST take its origin with a higher version', () => {
    const leg = new SessionOrigin();
    expect(leg.present(sdp('bob 77 5 IN IP4 192.0.2.2', 4000))).toBe(sdp('bob 77 5 IN IP4 192.0.2.2', 4000));
    expect(leg.present(sdp('carol 9 1 IN IP4 192.0.2.3', 5000))).toBe(sdp('bob 77 6 IN IP4 192.0.2.2', 5000));
  });

  it('the same description presented again MUST keep its version', () => {
    const leg = new SessionOrigin();
    leg.present(sdp('bob 77 5 IN IP4 192.0.2.2', 4000));
    const changed = leg.present(sdp('bob 77 6 IN IP4 192.0.2.2', 4002));
    expect(leg.present(sdp('bob 77 6 IN IP4 192.0.2.2', 4002))).toBe(changed);
    expect(leg.present(sdp('bob 77 7 IN IP4 192.0.2.2', 4004))).toContain('o=bob 77 7 IN IP4 192.0.2.2');
  });

  it('versions beyond 2^53 MUST count exactly, and a description without a readable origin MUST pass as it is', () => {
    const leg = new SessionOrigin();
    leg.present(sdp('bob 1 9007199254740993 IN IP4 192.0.2.2', 4000));
    expect(leg.present(sdp('x 1 1 IN IP4 192.0.2.9', 4100))).toContain('o=bob 1 9007199254740994 IN');
    expect(leg.present('v=0\r\ns=-\r\n')).toBe('v=0\r\ns=-\r\n');
  });
});

describe('audio descriptions', () => {
  it('the first active audio stream MUST be read with its formats, static ones named without a rtpmap', async () => {
    const { readAudio } = await import('./index.js');
    const offer =
      'v=0\r\no=a 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\nm=audio 4000 RTP/AVP 8 0 101\r\na=rtpmap:101 telephone-event/8000\r\na=sendonly\r\n';
    expect(readAudio(offer)).toEqual({
      address: '192.0.2.1',
      port: 4000,
      direction: 'sendonly',
      formats: [
        { payloadType: 8, name: 'PCMA', rate: 8000 },
        { payloadType: 0, name: 'PCMU', rate: 8000 },
        { payloadType: 101, name: 'TELEPHONE-EVENT', rate: 8000 },
      ],
    });
    expect(() => readAudio('v=0\r\ns=-\r\nt=0 0\r\n')).toThrow(/no active audio stream/);
  });

  it('a written description MUST read back the same', async () => {
    const { readAudio, writeAudio } = await import('./index.js');
    const sdp = writeAudio({
      sessionId: '42',
      version: 1,
      address: '198.51.100.7',
      port: 20000,
      formats: [{ payloadType: 0, name: 'PCMU', rate: 8000 }],
      direction: 'sendonly',
    });
    expect(sdp).toContain('o=strowger 42 1 IN IP4 198.51.100.7');
    expect(readAudio(sdp)).toEqual({
      address: '198.51.100.7',
      port: 20000,
      direction: 'sendonly',
      formats: [{ payloadType: 0, name: 'PCMU', rate: 8000 }],
    });
  });
});
