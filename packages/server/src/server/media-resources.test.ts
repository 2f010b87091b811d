import { describe, expect, it } from 'vitest';
import { ServerMediaResources } from './media-resources.js';

describe('server media resources', () => {
  it("a media address that is not this machine's MUST be refused at start, saying which flag to set", async () => {
    await expect(ServerMediaResources.create({ address: '203.0.113.77' })).rejects.toThrow(
      /cannot open RTP ports on 203\.0\.113\.77; give --media-address/,
    );
  });

  it('a music-on-hold file that is missing or not a usable WAV MUST be refused at start, saying why', async () => {
    await expect(
      ServerMediaResources.create({ address: '127.0.0.1', musicOnHold: '/nonexistent/music.wav' }),
    ).rejects.toThrow(/cannot read the music-on-hold file \/nonexistent\/music\.wav .*check the path/);
    await expect(
      ServerMediaResources.create({ address: '127.0.0.1', musicOnHold: new URL(import.meta.url).pathname }),
    ).rejects.toThrow(/is not a WAV file; convert it with "sox/);
  });

  it('the shipped music MUST load, and an endpoint MUST answer a G.711 offer receive-only and refuse one without G.711', async () => {
    const media = await ServerMediaResources.create({ address: '127.0.0.1' });
    const endpoint = await media.musicOnHold();
    const offer = (payloads: string) =>
      `v=0\r\no=a 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP ${payloads}\r\na=sendonly\r\n`;
    const answer = endpoint.answer(offer('8 0'), 'recvonly');
    expect(answer).toMatch(/m=audio \d+ RTP\/AVP 8\r\n/);
    expect(answer).toMatch(/a=recvonly/);
    expect(endpoint.answer(offer('18'), 'recvonly')).toBeUndefined();
    expect(endpoint.offer('sendonly')).toMatch(/m=audio \d+ RTP\/AVP 0 8\r\n[\s\S]*a=sendonly/);
    expect(() => endpoint.accept(offer('18'))).toThrow(/without PCMU or PCMA/);
    expect(media.openEndpoints).toBe(1);
    media.close();
    expect(media.openEndpoints).toBe(0);
  });

  it('bound to every interface, an endpoint MUST describe itself at the address each device reaches, and a fixed media address MUST win', async () => {
    const connection = (sdp: string | undefined) => sdp?.match(/^c=IN IP4 (\S+)/m)?.[1];
    const origin = (sdp: string | undefined) => sdp?.match(/^o=\S+ \d+ \d+ IN IP4 (\S+)/m)?.[1];
    const offer =
      'v=0\r\no=a 1 1 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=sendonly\r\n';
    const following = await ServerMediaResources.create({ address: '127.0.0.1', bind: '0.0.0.0' });
    try {
      const music = await following.musicOnHold();
      expect(connection(music.offer('sendonly', '127.0.0.2'))).toBe('127.0.0.2');
      expect(origin(music.offer('sendonly', '127.0.0.2'))).toBe('127.0.0.2');
      expect(connection(music.answer(offer, 'recvonly', '127.0.0.3'))).toBe('127.0.0.3');
      // A device whose reached address is not known is given the media address.
      expect(connection(music.offer('sendonly'))).toBe('127.0.0.1');
      const bridge = following.conferenceBridge();
      const port = await bridge.join();
      expect(connection(port.offer('sendrecv', '127.0.0.2'))).toBe('127.0.0.2');
      bridge.close();
    } finally {
      following.close();
    }
    const fixed = await ServerMediaResources.create({ address: '127.0.0.1' });
    try {
      expect(connection((await fixed.musicOnHold()).offer('sendonly', '127.0.0.2'))).toBe('127.0.0.1');
    } finally {
      fixed.close();
    }
  });
});
