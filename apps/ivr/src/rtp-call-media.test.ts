import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PacingClock, levelDb, readWav, type RtpSession } from '@strowger/media';
import { openRtpSession } from '@strowger/media/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePrompts } from './prompt-generator.js';
import { bestCorrelation } from '../test/audio.js';
import { RtpCallMedia } from './rtp-call-media.js';

/**
 * The IVR's media binding over real RTP on 127.0.0.1: one session is the CTI port's (the IVR's),
 * the other the caller's phone.
 */
describe('RTP call media: prompts, digits and recordings over a real RTP session pair', () => {
  let directory: string;
  let prompt: string;
  let port: RtpSession;
  let phone: RtpSession;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'ivr-rtp-'));
    await generatePrompts({ directory, prompts: { saved: 'Your message has been saved. Goodbye.' } });
    prompt = join(directory, 'saved.wav');
    // A loaded test machine may stall the event loop: catch up rather than skip, so no audio is lost.
    const pacing = new PacingClock({ maxCatchUpFrames: 1000 });
    port = await openRtpSession({ address: '127.0.0.1', pacing, sendSilence: true });
    phone = await openRtpSession({ address: '127.0.0.1', pacing, remote: port.local });
    port.connect({ address: phone.local.address, port: phone.local.port });
  });
  afterAll(async () => {
    port.close('test over');
    phone.close('test over');
    await rm(directory, { recursive: true, force: true });
  });

  it('plays a generated prompt that the far end hears as speech, not silence', async () => {
    const media = new RtpCallMedia(port);
    const heard: Int16Array[] = [];
    const stop = phone.on('audio', ({ samples }) => heard.push(Int16Array.from(samples)));
    const outcome = await media.play([prompt]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    stop();
    expect(outcome).toEqual({ reason: 'finished' });
    const all = Int16Array.from(heard.flatMap((frame) => [...frame]));
    const promptSeconds = readWav(await readFile(prompt)).length / 8000;
    expect(all.length / 8000).toBeGreaterThanOrEqual(promptSeconds - 0.1);
    expect(levelDb(all)).toBeGreaterThan(-35);
  });

  it('collects RFC 4733 digits sent by the far end, up to the terminator', async () => {
    const media = new RtpCallMedia(port);
    media.clearDigits();
    const collected = media.collectDigits({ max: 10, timeoutSeconds: 5, terminator: '#' });
    await phone.sendDigits('407#');
    expect(await collected).toEqual({ digits: '407', reason: 'terminator' });
  });

  it('a key from the far end interrupts an interruptible prompt and stays typed ahead', async () => {
    const media = new RtpCallMedia(port);
    media.clearDigits();
    const playing = media.play([prompt, prompt], { interruptible: true });
    await phone.sendDigits('5');
    expect(await playing).toEqual({ reason: 'digit', interruptedBy: '5' });
    expect(await media.collectDigits({ max: 1, timeoutSeconds: 1 })).toEqual({ digits: '5', reason: 'max' });
  });

  it('records the far end into an 8 kHz WAV until silence, and the recording is the speech that was sent', async () => {
    const media = new RtpCallMedia(port);
    const file = join(directory, 'recorded.wav');
    const recording = media.record(file, { maxSeconds: 10, silenceSeconds: 1 });
    await phone.play(prompt);
    const outcome = await recording;
    expect(outcome.reason).toBe('silence');
    expect(outcome.heardSound).toBe(true);
    const sent = readWav(await readFile(prompt));
    const recorded = readWav(await readFile(file));
    expect(Math.abs(recorded.length - sent.length) / 8000).toBeLessThan(1);
    expect(levelDb(recorded)).toBeGreaterThan(-35);
    // The same speech: the recording (shifted by the moment playing began) matches what was sent.
    expect(bestCorrelation(sent, recorded)).toBeGreaterThan(0.9);
  });

  it('reports hangup from every operation once the call has left the port', async () => {
    const media = new RtpCallMedia(port);
    const playing = media.play([prompt]);
    media.end();
    expect(await playing).toEqual({ reason: 'hangup' });
    expect(await media.collectDigits({ max: 1, timeoutSeconds: 5 })).toEqual({ digits: '', reason: 'hangup' });
    expect(await media.record(join(directory, 'never.wav'), { maxSeconds: 5, silenceSeconds: 1 })).toMatchObject({
      reason: 'hangup',
    });
  });
});
