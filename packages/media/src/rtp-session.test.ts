import { FakeClock, isStrowgerError } from '@strowger/core';
import { afterEach, describe, expect, it } from 'vitest';
import { EncodedAudio } from './encoded-audio.js';
import { decodeG711, encodeG711 } from './g711.js';
import { dtmfTone } from './inband-dtmf.js';
import { PacingClock } from './pacing-clock.js';
import type { RtcpPacket } from './rtcp-packet.js';
import { decodeRtp, encodeRtp, type RtpPacket } from './rtp-packet.js';
import { RtpSession, type RtpSessionOptions } from './rtp-session.js';
import type { AudioFiles, DatagramAddress, DatagramTransport } from './transport.js';
import { readWav } from './wav.js';

/** Two transports wired to each other in memory, each with its own address; delivery is immediate. */
class MemoryNetwork {
  readonly #bound = new Map<string, MemoryTransport>();
  /** Every datagram sent, for tests that inspect the wire. */
  readonly sent: { from: DatagramAddress; to: DatagramAddress; data: Uint8Array }[] = [];

  transport(address: string, port: number): MemoryTransport {
    const transport = new MemoryTransport(this, { address, port });
    this.#bound.set(`${address}:${port}`, transport);
    return transport;
  }

  deliver(from: DatagramAddress, to: DatagramAddress, data: Uint8Array): void {
    this.sent.push({ from, to, data: Uint8Array.from(data) });
    this.#bound.get(`${to.address}:${to.port}`)?.onDatagram?.(Uint8Array.from(data), from);
  }
}

class MemoryTransport implements DatagramTransport {
  onDatagram: ((data: Uint8Array, from: DatagramAddress) => void) | undefined;
  closed = false;
  constructor(
    readonly network: MemoryNetwork,
    readonly local: DatagramAddress,
  ) {}
  send(data: Uint8Array, to: DatagramAddress): void {
    if (!this.closed) this.network.deliver(this.local, to, data);
  }
  close(): void {
    this.closed = true;
  }
}

const memoryFiles = (): AudioFiles & { stored: Map<string, Uint8Array> } => {
  const stored = new Map<string, Uint8Array>();
  return {
    stored,
    read: async (name) => {
      const data = stored.get(name);
      if (data === undefined) throw new Error(`no ${name}`);
      return data;
    },
    write: async (name, data) => void stored.set(name, data),
  };
};

const tone = (ms: number, level = 8000, hz = 440) =>
  Int16Array.from({ length: (ms * 8000) / 1000 }, (_, i) =>
    Math.round(level * Math.sin((2 * Math.PI * hz * i) / 8000)),
  );

/** Lets promise continuations run (play() reads its audio before it starts). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('RTP session', () => {
  const sessions: RtpSession[] = [];
  afterEach(() => {
    for (const session of sessions.splice(0)) session.close();
  });

  function pair(options: Partial<RtpSessionOptions> = {}) {
    const clock = new FakeClock(0);
    const pacing = new PacingClock({ clock, earlyMs: 0 });
    const network = new MemoryNetwork();
    const files = memoryFiles();
    const a = new RtpSession({
      rtp: network.transport('10.0.0.1', 4000),
      rtcp: network.transport('10.0.0.1', 4001),
      remote: { address: '10.0.0.2', port: 5000 },
      clock,
      pacing,
      files,
      ...options,
    });
    // B learns where A is from A's first packet (symmetric RTP).
    const b = new RtpSession({
      rtp: network.transport('10.0.0.2', 5000),
      rtcp: network.transport('10.0.0.2', 5001),
      clock,
      pacing,
      files,
      ...options,
    });
    sessions.push(a, b);
    return { a, b, clock, network, files };
  }

  const rtpFrom = (network: MemoryNetwork, port: number): RtpPacket[] =>
    network.sent.filter((d) => d.from.port === port).flatMap((d) => decodeRtp(d.data) ?? []);

  it('a prompt MUST arrive whole and in order: one packet per 20 ms of media time, the audio as sent', async () => {
    const { a, b, clock, network } = pair({ sendSilence: false });
    const prompt = tone(1000);
    const recording = b.record(undefined, { maxSeconds: 1 });
    const played = a.play(prompt);
    await settle();
    clock.advance(1200);
    expect(await played).toEqual({ reason: 'finished', playedMs: 1000 });
    const recorded = await recording;
    expect(recorded.reason).toBe('maxSeconds');
    expect(recorded.samples).toEqual(decodeG711('pcmu', encodeG711('pcmu', prompt)));
    const packets = rtpFrom(network, 4000);
    expect(packets.length).toBe(50);
    packets.forEach((packet, i) => {
      expect(packet.sequence).toBe((packets[0]!.sequence + i) & 0xffff);
      expect((packet.timestamp - packets[0]!.timestamp) >>> 0).toBe(i * 160);
      expect(packet.payloadType).toBe(0);
    });
    expect(packets[0]!.marker).toBe(true);
    expect(b.remote).toEqual({ address: '10.0.0.1', port: 4000 });
  });

  it('prompts MUST play one after another in the order play() was called, from a file, samples or shared EncodedAudio', async () => {
    const { a, clock, network, files } = pair({ sendSilence: false });
    files.stored.set('greeting.wav', (await import('./wav.js')).writeWav(tone(200), 'pcmu'));
    const shared = new EncodedAudio(tone(60));
    const first = a.play('greeting.wav');
    const second = a.play(tone(100));
    const third = a.play(shared);
    await settle();
    clock.advance(500);
    expect((await first).playedMs).toBe(200);
    expect((await second).playedMs).toBe(100);
    expect((await third).playedMs).toBe(60);
    const packets = rtpFrom(network, 4000);
    expect(packets.length).toBe(18);
    expect(packets.slice(15).map((p) => [...p.payload])).toEqual(shared.frames('pcmu').map((f) => [...f]));
    await expect(a.play('missing.wav')).rejects.toThrow(/no missing\.wav/);
  });

  it('digits sent as RFC 4733 MUST be collected up to the terminator, each reported once', async () => {
    const { a, b, clock, network } = pair();
    const seen: string[] = [];
    b.on('digit', ({ digit, source }) => seen.push(`${digit}/${source}`));
    clock.advance(20); // B learns A's address and starts sending too
    const collected = b.collectDigits({ max: 5, terminator: '#', timeout: 5000 });
    const sent = a.sendDigits('12#');
    clock.advance(1000);
    await sent;
    expect(await collected).toEqual({ digits: '12', reason: 'terminator' });
    expect(seen).toEqual(['1/rfc4733', '2/rfc4733', '#/rfc4733']);
    // Each key: the first packet marked, all with the event's start timestamp, three end packets.
    const events = rtpFrom(network, 4000).filter((p) => p.payloadType === 101);
    const firstKey = events.filter((p) => p.timestamp === events[0]!.timestamp);
    expect(firstKey.length).toBe(7);
    expect(firstKey.map((p) => p.marker)).toEqual([true, false, false, false, false, false, false]);
    expect(firstKey.map((p) => (p.payload[1]! & 0x80) !== 0)).toEqual([false, false, false, false, true, true, true]);
    await expect(a.sendDigits('1x')).rejects.toThrow(/"X" is not a DTMF key/);
    // The keys' packets share the sequence numbers with the audio: none of them looks lost.
    clock.advance(100);
    expect(b.stats).toMatchObject({ packetsLost: 0, gapsGivenUp: 0, late: 0, duplicates: 0 });
  });

  it('a key MUST interrupt a prompt that allows it, and stay typed ahead for the next collectDigits()', async () => {
    const { a, b, clock } = pair();
    const prompt = b.play(tone(5000), { interruptOnDigit: true });
    const queued = b.play(tone(5000), { interruptOnDigit: '9' });
    await settle();
    clock.advance(500);
    const sent = a.sendDigits('4');
    clock.advance(200);
    await sent;
    const result = await prompt;
    expect(result.reason).toBe('digit');
    expect(result.digit).toBe('4');
    expect(result.playedMs).toBeGreaterThan(400);
    expect(result.playedMs).toBeLessThan(700);
    // The queued prompt is interrupted by 9 only: it plays on.
    clock.advance(100);
    expect(await b.collectDigits({ max: 1 })).toEqual({ digits: '4', reason: 'max' });
    const typedAhead = a.sendDigits('9');
    clock.advance(300);
    await typedAhead;
    expect((await queued).reason).toBe('digit');
    // A prompt that finds its key already pressed ends at once.
    expect(await b.play(tone(1000), { interruptOnDigit: true })).toEqual({ reason: 'digit', digit: '9', playedMs: 0 });
  });

  it('a key signalled beside the stream (SIP INFO) MUST be reported, interrupt a prompt and be collected like an RFC 4733 one', async () => {
    const { b, clock } = pair();
    const seen: string[] = [];
    b.on('digit', ({ digit, source }) => seen.push(`${digit}/${source}`));
    const prompt = b.play(tone(5000), { interruptOnDigit: true });
    await settle();
    clock.advance(200);
    b.signalledDigit('7');
    expect(await prompt).toMatchObject({ reason: 'digit', digit: '7' });
    b.signalledDigit('#');
    expect(await b.collectDigits({ terminator: '#' })).toEqual({ digits: '7', reason: 'terminator' });
    expect(seen).toEqual(['7/signalling', '#/signalling']);
    b.close();
    expect(() => b.signalledDigit('1')).not.toThrow();
  });

  it('a prompt MUST stop when its signal aborts, and nothing to play or send MUST resolve at once', async () => {
    const { a, clock } = pair();
    const controller = new AbortController();
    const long = a.play(tone(5000), { signal: controller.signal });
    await settle();
    clock.advance(300);
    controller.abort();
    const stopped = await long;
    expect(stopped.reason).toBe('stopped');
    expect(stopped.playedMs).toBeGreaterThanOrEqual(280);
    expect(stopped.playedMs).toBeLessThanOrEqual(320);
    const empty = a.play(new Int16Array(0));
    await settle();
    clock.advance(20);
    expect(await empty).toEqual({ reason: 'finished', playedMs: 0 });
    await expect(a.sendDigits('')).resolves.toBeUndefined();
    expect(await a.play(tone(100), { signal: AbortSignal.abort() })).toEqual({ reason: 'stopped', playedMs: 0 });
  });

  it('connect() MUST switch the far end and codec mid-prompt, and disconnect() MUST stop sending while media time runs on', async () => {
    const { a, b, clock, network } = pair();
    const prompt = tone(1000);
    const playing = a.play(prompt);
    await settle();
    clock.advance(200);
    // The old far end has gone (a transfer moved the call); the new one has not sent yet.
    b.close();
    a.connect({ address: '10.0.0.3', port: 6000, law: 'pcma' });
    clock.advance(200);
    a.disconnect();
    clock.advance(200);
    const fromA = () => network.sent.filter((d) => d.from.port === 4000 && decodeRtp(d.data) !== undefined).length;
    const sentWhileDisconnected = fromA();
    clock.advance(200);
    expect(fromA()).toBe(sentWhileDisconnected);
    a.connect({ address: '10.0.0.3', port: 6000 });
    clock.advance(300);
    expect((await playing).playedMs).toBe(1000);
    const toFirst = rtpFrom(network, 4000).filter((p) => p.payloadType === 0);
    const toSecond = network.sent
      .filter((d) => d.from.port === 4000 && d.to.port === 6000)
      .flatMap((d) => decodeRtp(d.data) ?? []);
    expect(toFirst.length).toBe(11);
    expect(toSecond.every((p) => p.payloadType === 8)).toBe(true);
    // The prompt goes on where it was, now in A-law: frame 11 of the prompt is the first to the new far end.
    expect([...toSecond[0]!.payload]).toEqual([...encodeG711('pcma', prompt.subarray(11 * 160, 12 * 160))]);
    // After the pause, the timestamps jump by the time that passed (400 ms = 3200 samples).
    const gap = toSecond.findIndex((p, i) => i > 0 && p.sequence !== ((toSecond[i - 1]!.sequence + 1) & 0xffff));
    const jumps = toSecond.map((p, i) => (i === 0 ? 160 : (p.timestamp - toSecond[i - 1]!.timestamp) >>> 0));
    expect(jumps.filter((j) => j !== 160)).toEqual([160 * 21]);
    expect(gap).toBe(-1);
  });

  it('symmetric RTP MUST follow the address the first packet comes from, and not a stray sender after it', () => {
    const { a, b, clock, network } = pair();
    const moved: DatagramAddress[] = [];
    b.on('remote', (remote) => moved.push(remote));
    clock.advance(40);
    expect(b.remote).toEqual({ address: '10.0.0.1', port: 4000 });
    const stray = network.transport('10.0.0.9', 7000);
    stray.send(
      encodeRtp({ payloadType: 0, sequence: 1, timestamp: 0, ssrc: 99, marker: false, payload: new Uint8Array(160) }),
      b.local,
    );
    clock.advance(40);
    expect(b.remote).toEqual(a.local);
    expect(moved).toEqual([a.local]);
  });

  it('collectDigits MUST end on the first-digit timeout and on the inter-digit timeout', async () => {
    const { a, b, clock } = pair();
    clock.advance(20);
    const nothing = b.collectDigits({ max: 4, timeout: 3000 });
    clock.advance(3000);
    expect(await nothing).toEqual({ digits: '', reason: 'timeout' });
    const some = b.collectDigits({ max: 4, timeout: 3000, interDigitTimeout: 1000 });
    const sent = a.sendDigits('7');
    clock.advance(200);
    await sent;
    clock.advance(1000);
    expect(await some).toEqual({ digits: '7', reason: 'interDigitTimeout' });
    await expect(b.collectDigits({ max: 0 })).rejects.toThrow(/max must be/);
    await expect(b.collectDigits({ terminator: 'x' })).rejects.toThrow(/terminator must be one DTMF key/);
  });

  it('a recording MUST end after the silence that follows speech, without that silence, and be written as a WAV file', async () => {
    const { a, b, clock, files } = pair();
    clock.advance(20);
    const recording = b.record('message.wav', { maxSeconds: 30, silenceSeconds: 1 });
    const speech = tone(600, 6000);
    const played = a.play(speech);
    await settle();
    clock.advance(600 + 1000 + 100);
    await played;
    const result = await recording;
    expect(result.reason).toBe('silence');
    expect(result.heardSound).toBe(true);
    // Silence frames before the speech began (A was sending silence) are kept; the trailing second is not.
    expect(result.seconds).toBeGreaterThanOrEqual(0.6);
    expect(result.seconds).toBeLessThan(0.8);
    const stored = readWav(files.stored.get('message.wav')!);
    expect(stored).toEqual(result.samples);
    expect(stored.subarray(-speech.length)).toEqual(decodeG711('pcmu', encodeG711('pcmu', speech)));
  });

  it('a recording MUST end on a key (which is not left as input), on maxSeconds with nothing arriving, on abort and on close', async () => {
    const { a, b, clock } = pair();
    clock.advance(20);
    const byKey = b.record(undefined, { maxSeconds: 30 });
    const sent = a.sendDigits('#');
    clock.advance(300);
    await sent;
    expect(await byKey).toMatchObject({ reason: 'digit', digit: '#' });
    const leftOver = b.collectDigits({ max: 1, timeout: 100 });
    clock.advance(100);
    expect(await leftOver).toEqual({ digits: '', reason: 'timeout' });

    a.close();
    const deadLine = b.record(undefined, { maxSeconds: 2 });
    clock.advance(2600);
    expect((await deadLine).reason).toBe('maxSeconds');

    const controller = new AbortController();
    const aborted = b.record(undefined, { maxSeconds: 10, signal: controller.signal });
    const second = await b.record(undefined).catch((error: unknown) => error);
    expect(isStrowgerError(second, 'INVALID_STATE')).toBe(true);
    clock.advance(100);
    controller.abort();
    expect((await aborted).reason).toBe('stopped');

    expect((await b.record(undefined, { signal: AbortSignal.abort() })).reason).toBe('stopped');
    const cut = b.record(undefined, { maxSeconds: 10 });
    clock.advance(100);
    b.close();
    await expect(cut).rejects.toThrow(/media session ended/);
  });

  it('in-band DTMF MUST be detected in received audio when asked for', async () => {
    const { a, b, clock } = pair({ inbandDtmf: true });
    const seen: string[] = [];
    b.on('digit', ({ digit, source }) => seen.push(`${digit}/${source}`));
    const played = a.play(
      new Int16Array([
        ...dtmfTone('6', { durationMs: 120 }),
        ...new Int16Array(800),
        ...dtmfTone('D', { durationMs: 120 }),
      ]),
    );
    await settle();
    clock.advance(600);
    await played;
    expect(seen).toEqual(['6/inband', 'D/inband']);
  });

  it('RTCP MUST carry a sender report with the counts sent and a report block on the far end, every ~5 s', async () => {
    const { a, b, clock } = pair({ rtcpIntervalMs: 5000 });
    const atA: RtcpPacket[][] = [];
    const atB: RtcpPacket[][] = [];
    a.on('rtcp', ({ packets }) => atA.push(packets));
    b.on('rtcp', ({ packets }) => atB.push(packets));
    clock.advance(15_000);
    expect(atB.length).toBeGreaterThanOrEqual(2);
    expect(atB.length).toBeLessThanOrEqual(6);
    const report = atB.at(-1)![0]!;
    expect(report.type).toBe('sr');
    if (report.type !== 'sr') return;
    expect(report.ssrc).toBe(a.ssrc);
    expect(report.packetCount).toBeGreaterThan(200);
    expect(report.octetCount).toBe(report.packetCount * 160);
    expect(report.reports[0]?.ssrc).toBe(b.ssrc);
    expect(report.reports[0]?.cumulativeLost).toBe(0);
    expect(atB.at(-1)![1]).toMatchObject({ type: 'sdes', chunks: [{ ssrc: a.ssrc }] });
    const fromB = atA.at(-1)![0]!;
    expect(fromB.type === 'sr' && fromB.reports[0]?.ssrc === a.ssrc).toBe(true);
    a.close();
    expect(atB.at(-1)!.at(-1)).toEqual({ type: 'bye', ssrcs: [a.ssrc] });
  });

  it('close MUST reject what is pending, stop the clock, and make every method reject', async () => {
    const { a, clock } = pair();
    const playing = a.play(tone(5000));
    const collecting = a.collectDigits({ timeout: 10_000 });
    const sending = a.sendDigits('123');
    await settle();
    clock.advance(100);
    let closed = '';
    a.on('closed', ({ reason }) => (closed = reason));
    a.close('the caller hung up');
    a.close();
    await expect(playing).rejects.toThrow(/the media session ended \(the caller hung up\)/);
    await expect(collecting).rejects.toThrow(/ended/);
    await expect(sending).rejects.toThrow(/ended/);
    expect(closed).toBe('the caller hung up');
    await expect(a.play(tone(100))).rejects.toThrow(/play\(\): the media session has ended/);
    await expect(a.collectDigits()).rejects.toThrow(/collectDigits\(\): the media session has ended/);
    await expect(a.sendDigits('1')).rejects.toThrow(/sendDigits\(\)/);
  });
});
