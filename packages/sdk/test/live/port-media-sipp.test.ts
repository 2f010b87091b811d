import { beforeAll, describe, expect, it } from 'vitest';
import { encodeG711 } from '@strowger/media';
import { openProvider, type RouteSession } from '../../src/index.js';
import { MediaPort, type PortCall } from '../../src/node/index.js';
import { requireSipp, runSipp } from '../../../server/test/support/sipp.js';
import { RtpListener, indexOfBytes, percentile } from '../../../server/test/support/rtp-listener.js';
import { useLiveCti, type LiveCti } from '../support/live-cti.js';

/**
 * The whole path with a real peer: SIPp calls a route point, the application routes the call to a
 * free CTI port, the port's application plays a prompt (the far end checks every packet: count,
 * 20 ms pacing, and that the audio is the prompt's own G.711, not silence), SIPp sends an RFC 4733
 * digit from its DTMF capture, the application collects it and hangs up.
 */
const config = `
settings: { sipRealm: strowger }
lines:
  - { dn: '7000' }
  - { dn: '7101' }
devices:
  - { name: IVR_RP, type: cti-route-point, lines: ['7000'] }
  - { name: IVR_P1, type: cti-port, lines: ['7101'] }
  - { name: SIPP, type: sip-phone, lines: ['7200'], sip: { username: '7200', password: 'pw-7200' } }
applicationUsers:
  - { userId: ivr, password: ivr-secret, devices: [IVR_RP, IVR_P1], groups: ['Standard CTI Enabled'] }
`.replace('lines:\n', "lines:\n  - { dn: '7200' }\n");

const fixture = useLiveCti(config);
let live: LiveCti;
beforeAll(() => {
  requireSipp();
  live = fixture.live;
});

/** Two seconds of a rising tone: audio no encoder turns into silence, and easy to find again. */
function promptSamples(): Int16Array {
  const samples = new Int16Array(16_000);
  for (let i = 0; i < samples.length; i++) {
    const t = i / 8000;
    samples[i] = Math.round(8000 * Math.sin(2 * Math.PI * (300 + 200 * t) * t));
  }
  return samples;
}

describe('a route point and a CTI port with SIPp', () => {
  it('MUST route to the port, play the prompt paced at 20 ms, collect the RFC 4733 digit, and hang up', async () => {
    const provider = fixture.track(await openProvider({ servers: [live.ctiUrl], user: 'ivr', password: 'ivr-secret' }));
    const listener = await RtpListener.open();
    // The listener receives the prompt at the SDP's address; SIPp sends its digits from its own media
    // port, so the port must not latch onto that source (symmetric RTP off).
    const port = await MediaPort.open(provider, 'IVR_P1', { session: { symmetric: false } });
    const sessions: RouteSession[] = [];
    await provider.getAddress('7000').registerRouteCallback({
      routeEvent: async (session) => {
        sessions.push(session);
        await session.selectRoute([port.busy ? '7000' : '7101']);
      },
    });
    const prompt = promptSamples();
    const collected: string[] = [];
    const handled = new Promise<void>((done) => {
      port.onCall(async (call: PortCall) => {
        const played = await call.media.play(prompt);
        expect(played.reason).toBe('finished');
        const digits = await call.media.collectDigits({ max: 1, timeout: 5000 });
        collected.push(digits.digits);
        await call.hangup();
        await call.ended;
        done();
      });
    });
    try {
      const sipp = await runSipp({
        scenario: 'uac-call-ivr-media.xml',
        port: live.server.sipPort,
        transport: 'udp',
        service: '7200',
        username: '7200',
        password: 'pw-7200',
        keys: {
          dial: '7000',
          rtp_host: '127.0.0.1',
          rtp_port: String(listener.port),
        },
        extra: ['-mp', '0'],
        timeoutSeconds: 20,
      });
      expect(sipp.code, `${sipp.output}\n${sipp.errors}`).toBe(0);
      await handled;
      expect(sessions).toHaveLength(1);
      expect(collected).toEqual(['1']);

      // What the far end heard: the prompt's own µ-law bytes, in order, 20 ms apart.
      const heard = listener.audioBytes(0);
      const expected = encodeG711('pcmu', prompt);
      const start = indexOfBytes(heard, expected.subarray(0, 160));
      expect(start, 'the prompt’s first frame was never heard').toBeGreaterThanOrEqual(0);
      expect(heard.subarray(start, start + expected.length)).toEqual(expected);
      const audio = listener.packets.filter((p) => p.payloadType === 0);
      expect(audio.length).toBeGreaterThanOrEqual(100); // two seconds at least
      const gaps = listener.interArrivalMs();
      // Reported, not asserted as a timing (pacing is measured by bench/media-sessions.bench.ts):
      // the packets come one per frame, never two frames' worth at once.
      expect(percentile(gaps, 0.5)).toBeGreaterThan(10);
      expect(percentile(gaps, 0.5)).toBeLessThan(30);
    } finally {
      await port.close();
      await listener.close();
    }
  }, 40_000);
});
