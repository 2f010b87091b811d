import { createSocket } from 'node:dgram';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  PacingClock,
  RtpSession,
  decodeG711,
  decodeRtp,
  decodeTelephoneEvent,
  encodeG711,
  readWav,
  writeWav,
  type DatagramTransport,
  type RtcpPacket,
  type RtpPacket,
  type RtpSessionOptions,
} from '../index.js';
import { nodeAudioFiles, openRtpSession, openUdpPair } from './index.js';

/** A prompt that is neither silence nor periodic: a gliding tone with a slow tremolo. */
function prompt(seconds: number): Int16Array {
  let phase = 0;
  return Int16Array.from({ length: seconds * 8000 }, (_, i) => {
    phase += (2 * Math.PI * (300 + (i / 8000) * 600)) / 8000;
    return Math.round(9000 * Math.sin(phase) * (0.6 + 0.4 * Math.sin(i / 900)));
  });
}

/** Waits until `condition` holds, or gives up after `ms` (the assertion after it then fails). */
async function until(condition: () => boolean, ms = 5000): Promise<void> {
  for (let waited = 0; !condition() && waited < ms; waited += 10) await new Promise((r) => setTimeout(r, 10));
}

describe('two RTP sessions over loopback UDP', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A session on real UDP ports whose RTP socket also hands every packet it receives to the test. */
  async function session(options: Partial<RtpSessionOptions> = {}) {
    const { rtp, rtcp } = await openUdpPair('127.0.0.1');
    const received: RtpPacket[] = [];
    let handler: DatagramTransport['onDatagram'];
    const tapped: DatagramTransport = {
      local: rtp.local,
      send: (data, to) => rtp.send(data, to),
      close: () => rtp.close(),
      get onDatagram() {
        return handler;
      },
      set onDatagram(next) {
        handler = next;
        rtp.onDatagram =
          next &&
          ((data, from) => {
            const packet = decodeRtp(data);
            if (packet !== undefined) received.push({ ...packet, payload: Uint8Array.from(packet.payload) });
            next(data, from);
          });
      },
    };
    // A busy test machine may stall the event loop; this clock catches up rather than skip frames, so
    // the count of packets does not depend on the machine's load.
    const pacing = new PacingClock({ maxCatchUpFrames: 1000 });
    const opened = new RtpSession({
      rtp: tapped,
      rtcp,
      files: nodeAudioFiles,
      rtcpIntervalMs: 200,
      pacing,
      ...options,
    });
    cleanups.push(() => opened.close());
    const rtcpPackets: RtcpPacket[][] = [];
    opened.on('rtcp', ({ packets }) => rtcpPackets.push(packets));
    return { session: opened, received, rtcpPackets };
  }

  it("a prompt MUST arrive as one packet per 20 ms of media time, in sequence, carrying the audio sent; digits MUST be collected; each peer MUST read the other's RTCP", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strowger-media-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const audio = prompt(1);
    await writeFile(join(dir, 'prompt.wav'), writeWav(audio, 'pcm16'));
    const ivr = await session();
    const caller = await session({ sendSilence: false, remote: ivr.session.local });

    // The IVR records what the caller plays; it learns the caller's address from its first packet.
    const recording = ivr.session.record(join(dir, 'message.wav'), { maxSeconds: 1 });
    expect(await caller.session.play(join(dir, 'prompt.wav'))).toEqual({ reason: 'finished', playedMs: 1000 });
    const recorded = await recording;
    expect(recorded.reason).toBe('maxSeconds');
    const expected = decodeG711('pcmu', encodeG711('pcmu', audio));
    expect(recorded.samples).toEqual(expected);
    expect(readWav(await readFile(join(dir, 'message.wav')))).toEqual(expected);
    expect(ivr.session.remote).toEqual(caller.session.local);

    // On the wire: 50 packets, consecutive sequence numbers, timestamps 160 apart (20 ms of 8 kHz).
    const audioPackets = ivr.received.filter((p) => p.payloadType === 0);
    expect(audioPackets.length).toBe(50);
    const first = audioPackets[0]!;
    expect(first.marker).toBe(true);
    audioPackets.forEach((packet, i) => {
      expect(packet.ssrc).toBe(caller.session.ssrc);
      expect(packet.sequence).toBe((first.sequence + i) & 0xffff);
      expect((packet.timestamp - first.timestamp) >>> 0).toBe(i * 160);
    });
    const onWire = new Int16Array(audioPackets.flatMap((p) => [...decodeG711('pcmu', p.payload)]));
    expect(onWire).toEqual(expected);

    // The caller presses keys while the IVR plays a menu it may interrupt; the IVR collects them.
    const menu = ivr.session.play(prompt(3), { interruptOnDigit: true });
    // The caller hears the menu (audio from the IVR, not the silence it sent before), then presses.
    const heard = () => {
      let loudest = 0;
      for (const packet of caller.received) {
        if (packet.payloadType === 0)
          for (const sample of decodeG711('pcmu', packet.payload)) loudest = Math.max(loudest, sample);
      }
      return loudest;
    };
    await until(() => heard() > 4000);
    expect(heard()).toBeGreaterThan(4000);
    const digits = ivr.session.collectDigits({ max: 4, terminator: '#', timeout: 5000 });
    await caller.session.sendDigits('42#');
    expect(await menu).toMatchObject({ reason: 'digit', digit: '4' });
    expect(await digits).toEqual({ digits: '42', reason: 'terminator' });
    // The last key's end packets may still be on their way when its first packet has been collected.
    const endPackets = () =>
      ivr.received.filter((p) => p.payloadType === 101 && decodeTelephoneEvent(p.payload)!.end).length;
    await until(() => endPackets() >= 9);
    expect(endPackets()).toBe(9);

    // RTCP every ~200 ms here: each side reads the other's sender report, with a block about itself
    // that accounts for every packet it sent.
    // The caller sent 80 packets in all: the prompt's 50, then 7 per key and 3 of silence after each.
    await until(() => ivr.received.length >= 80);
    expect(ivr.received.length).toBe(80);
    const lastSequence = (first.sequence + 79) & 0xffff;
    expect(ivr.received.at(-1)!.sequence).toBe(lastSequence);
    const srFromCaller = () => ivr.rtcpPackets.flat().filter((p) => p.type === 'sr' && p.packetCount >= 50 + 30);
    const blocksAboutCaller = () =>
      caller.rtcpPackets
        .flat()
        .flatMap((p) => (p.type === 'sr' || p.type === 'rr' ? p.reports : []))
        .filter((block) => block.ssrc === caller.session.ssrc && (block.highestSequence & 0xffff) === lastSequence);
    await until(() => srFromCaller().length > 0 && blocksAboutCaller().length > 0);
    expect(srFromCaller()[0]).toMatchObject({ ssrc: caller.session.ssrc, packetCount: 80 });
    expect(blocksAboutCaller()[0]).toMatchObject({ cumulativeLost: 0, fractionLost: 0 });
  });

  it('openRtpSession MUST bind an even RTP port with RTCP on the next, and release both on close', async () => {
    const opened = await openRtpSession({ address: '127.0.0.1' });
    const { port } = opened.local;
    expect(port % 2).toBe(0);
    opened.close();
    // Both ports are free again: binding them succeeds.
    for (const p of [port, port + 1]) {
      const socket = createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(p, '127.0.0.1', resolve);
      });
      socket.close();
    }
    await expect(openRtpSession({ address: '127.0.0.1', port: 3 })).rejects.toThrow(/must be even/);
    await expect(openRtpSession({ address: '203.0.113.9' })).rejects.toThrow(
      /no free RTP\/RTCP port pair on 203\.0\.113\.9/,
    );
  });
});
