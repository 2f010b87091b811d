import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EncodedAudio,
  dtmfDigits,
  dtmfTone,
  encodeG711,
  encodeRtp,
  encodeTelephoneEvent,
  readWav,
  telephoneEventFrames,
  type DtmfDigit,
} from '@strowger/media';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultFeaturePromptDirectory, type FeaturePromptId } from '../src/server/feature-prompts.js';
import { readAudio } from '../src/sdp/index.js';
import { phoneDevices, waitUntil } from './support/leftovers.js';
import { RtpListener, indexOfBytes } from './support/rtp-listener.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { TestPhone, type PhoneCall } from './support/test-phone.js';

// Extension Mobility from the phone: the hot-desk phone dials the login code, the server answers with
// spoken prompts, and the phone keys a user id and PIN as RFC 4733 telephone-events in its RTP (or
// as SIP INFO). The phone's media is a plain UDP socket, so the test sees exactly what the server sent.
const config = `
lines:
  - { dn: '4001' }
  - { dn: '4002' }
  - { dn: '4100' }
  - { dn: '4200' }
devices:
${phoneDevices(['4001', '4002'])}
deviceProfiles:
  - { name: alice-em, lines: ['4100'] }
  - { name: bob-em, lines: ['4200'] }
endUsers:
  - { userId: alice, primaryExtension: '4100', pin: '13579', extensionMobility: { defaultProfile: alice-em } }
  - { userId: '7007', pin: '24680', extensionMobility: { defaultProfile: bob-em } }
`.replace("sip: { username: '4001'", "extensionMobility: true, sip: { username: '4001'");

const hotdeskName = 'SEP000000004001';
let workDir: string;
const servers: TestServer[] = [];
const phones: TestPhone[] = [];
const listeners: RtpListener[] = [];

beforeEach(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'strowger-em-phone-'));
});

afterEach(async () => {
  for (const phone of phones.splice(0)) await phone.close();
  for (const listener of listeners.splice(0)) await listener.close();
  for (const server of servers.splice(0)) await server.strowger.stop();
  await rm(workDir, { recursive: true, force: true });
});

async function start(): Promise<TestServer> {
  const server = await startTestServer({ config, dataDir: workDir, sipTimers: { t1: 100, t2: 400, t4: 500 } });
  servers.push(server);
  return server;
}

async function phone(dn: string, server: TestServer): Promise<TestPhone> {
  const started = await TestPhone.start({
    dn,
    password: `pw-${dn}`,
    serverPort: server.sipPort,
    timers: { t1: 50, t2: 200, t4: 250 },
  });
  phones.push(started);
  return started;
}

/** A phone's media: a UDP socket that keeps what the server sends and keys RFC 4733 events back. */
class PhoneMedia {
  readonly listener: RtpListener;
  #sequence = 1000;
  #timestamp = 160_000;
  #server: { address: string; port: number } | undefined;

  constructor(listener: RtpListener) {
    this.listener = listener;
  }

  static async open(): Promise<PhoneMedia> {
    const listener = await RtpListener.open();
    listeners.push(listener);
    return new PhoneMedia(listener);
  }

  /** An offer with G.711 µ-law and telephone-event 101, at this socket. */
  offer(events = true): string {
    return [
      'v=0',
      'o=phone 1 1 IN IP4 127.0.0.1',
      's=-',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      `m=audio ${this.listener.port} RTP/AVP 0${events ? ' 101' : ''}`,
      'a=rtpmap:0 PCMU/8000',
      ...(events ? ['a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16'] : []),
      'a=sendrecv',
      '',
    ].join('\r\n');
  }

  /** Where the server's answer says to send. */
  answered(call: PhoneCall): void {
    const answer = readAudio(call.remoteSdp ?? '');
    this.#server = { address: answer.address, port: answer.port };
  }

  /**
   * Keys digits as RFC 4733 events, one packet per 20 ms as a phone sends them: each key's packets
   * share its start timestamp, the first marked, the end packet three times.
   */
  async key(digits: string): Promise<void> {
    const server = this.#server;
    if (server === undefined) throw new Error('the call has not been answered');
    for (const digit of digits) {
      if (!(dtmfDigits as readonly string[]).includes(digit)) throw new Error(`${digit} is not a key`);
      const frames = telephoneEventFrames(digit as DtmfDigit);
      this.#timestamp += 1600;
      for (const [i, frame] of frames.entries()) {
        const packet = encodeRtp({
          payloadType: 101,
          sequence: this.#sequence++ & 0xffff,
          timestamp: this.#timestamp,
          ssrc: 0x4001,
          marker: i === 0,
          payload: encodeTelephoneEvent(frame),
        });
        await this.listener.send(packet, server.port, server.address);
        await delay(20);
      }
    }
  }

  /** Keys digits as tones in µ-law audio (a phone without telephone-event): 100 ms each, 100 ms apart. */
  async tones(digits: string): Promise<void> {
    const server = this.#server;
    if (server === undefined) throw new Error('the call has not been answered');
    const silence = new Int16Array(800);
    for (const digit of digits) {
      const audio = new Int16Array(1600);
      audio.set(dtmfTone(digit as DtmfDigit, { durationMs: 100 }));
      audio.set(silence, 800);
      for (let frame = 0; frame < audio.length; frame += 160) {
        this.#timestamp += 160;
        const packet = encodeRtp({
          payloadType: 0,
          sequence: this.#sequence++ & 0xffff,
          timestamp: this.#timestamp,
          ssrc: 0x4001,
          marker: false,
          payload: encodeG711('pcmu', audio.subarray(frame, frame + 160)),
        });
        await this.listener.send(packet, server.port, server.address);
        await delay(20);
      }
    }
  }

  /** The µ-law audio received so far. */
  audio(): Uint8Array {
    return this.listener.audioBytes(0);
  }

  /** Whether the server sent this prompt: ten frames from its middle arrived, byte for byte. */
  heard(prompt: PromptAudio): boolean {
    return indexOfBytes(this.audio(), prompt.middle) >= 0;
  }
}

/** A prompt as the server encodes it: the µ-law bytes of its ten most varied frames in a row (speech, not a pause). */
interface PromptAudio {
  readonly middle: Uint8Array;
}

async function promptAudio(id: FeaturePromptId): Promise<PromptAudio> {
  const file = join(defaultFeaturePromptDirectory, `${id}.wav`);
  const frames = new EncodedAudio(readWav(await readFile(file), file)).frames('pcmu');
  const window = (from: number) => {
    const chosen = frames.slice(from, from + 10);
    const bytes = new Uint8Array(chosen.reduce((sum, frame) => sum + frame.length, 0));
    let offset = 0;
    for (const frame of chosen) {
      bytes.set(frame, offset);
      offset += frame.length;
    }
    return bytes;
  };
  let best = window(0);
  for (let from = 1; from + 10 <= frames.length; from++) {
    const candidate = window(from);
    if (new Set(candidate).size > new Set(best).size) best = candidate;
  }
  // Not silence: the prompt is real speech.
  expect(new Set(best).size).toBeGreaterThan(40);
  return { middle: best };
}

async function logins(server: TestServer): Promise<Array<{ device: string; userId: string }>> {
  return ((await (await server.fetchApi('/api/v1/extension-mobility')).json()) as { logins: [] }).logins;
}

async function dial(from: TestPhone, code: string, media: PhoneMedia): Promise<PhoneCall> {
  const call = await from.call(code, { sdp: media.offer() });
  media.answered(call);
  return call;
}

describe('Extension Mobility from the phone', () => {
  it("the login code MUST log the user in with keys sent as RFC 4733 (the profile's number then rings the phone), and the logout code MUST give the phone its own line back", async () => {
    const server = await start();
    const hotdesk = await phone('4001', server);
    const caller = await phone('4002', server);
    const [askUser, loggedIn, loggedOut] = await Promise.all([
      promptAudio('em-enter-user-id'),
      promptAudio('em-logged-in'),
      promptAudio('em-logged-out'),
    ]);

    const media = await PhoneMedia.open();
    const login = await dial(hotdesk, '*70', media);
    expect(await waitUntil(() => media.heard(askUser), 10_000)).toBe(true);
    // Alice keys her primary extension as her user id, then her PIN.
    await media.key('4100#13579#');
    expect(await waitUntil(() => login.ended, 15_000)).toBe(true);
    expect(media.heard(loggedIn)).toBe(true);
    expect(await logins(server)).toMatchObject([{ device: hotdeskName, userId: 'alice', profile: 'alice-em' }]);

    // A call to the profile's number rings the hot-desk phone.
    const toProfile = await caller.call('4100');
    expect(await waitUntil(() => hotdesk.calls.length === 2, 5000)).toBe(true);
    expect((await toProfile.hangUp()).status).toBe(200);

    const outMedia = await PhoneMedia.open();
    const logout = await dial(hotdesk, '*71', outMedia);
    expect(await waitUntil(() => logout.ended, 15_000)).toBe(true);
    expect(outMedia.heard(loggedOut)).toBe(true);
    expect(await logins(server)).toEqual([]);
    // The phone's own line rings it again.
    const toOwn = await caller.call('4001');
    expect(await waitUntil(() => hotdesk.calls.length === 4, 5000)).toBe(true);
    expect((await toOwn.hangUp()).status).toBe(200);

    // Both are in the audit log: who, where, and how.
    await server.strowger.mobility.flush();
    const audit = (await (await server.fetchApi('/api/v1/audit-log?resource=extension-mobility-login')).json()) as {
      items: Array<{ actor: string; action: string; key: string; note: string }>;
    };
    expect(audit.items.map(({ actor, action, key, note }) => ({ actor, action, key, note }))).toEqual([
      {
        actor: 'end user alice',
        action: 'delete',
        key: hotdeskName,
        note: `alice logged out of ${hotdeskName} from the phone with the feature code`,
      },
      {
        actor: 'end user alice',
        action: 'create',
        key: hotdeskName,
        note: `alice logged in on ${hotdeskName} from the phone with the feature code`,
      },
    ]);
    expect(await waitUntil(() => server.strowger.features.openSessions === 0, 5000)).toBe(true);
  }, 90_000);

  it('keys that are no user id MUST be asked for again, and five wrong PINs MUST lock the profile and say so', async () => {
    const server = await start();
    const hotdesk = await phone('4001', server);
    const [notUnderstood, wrongPin, locked, fiveMinutes] = await Promise.all([
      promptAudio('em-not-understood'),
      promptAudio('em-wrong-pin'),
      promptAudio('em-locked'),
      promptAudio('minutes-5'),
    ]);
    const media = await PhoneMedia.open();
    const call = await dial(hotdesk, '*70', media);
    await media.key('*#');
    expect(await waitUntil(() => media.heard(notUnderstood), 10_000)).toBe(true);
    expect(call.ended).toBe(false);

    // User 7007 (a numeric user id) with a wrong PIN, five times: the lock-out is said, then goodbye.
    await media.key('7007#1111#'.repeat(5));
    expect(await waitUntil(() => call.ended, 40_000)).toBe(true);
    expect(media.heard(wrongPin)).toBe(true);
    expect(media.heard(locked)).toBe(true);
    expect(media.heard(fiveMinutes)).toBe(true);
    expect(await logins(server)).toEqual([]);

    // Locked: even the right PIN is refused for a while.
    const right = await server.fetchApi('/api/v1/extension-mobility/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: '7007', device: hotdeskName, pin: '24680' }),
    });
    expect(right.status).toBe(429);
  }, 90_000);

  it('keys sent as SIP INFO (application/dtmf-relay) MUST log the user in too', async () => {
    const server = await start();
    const hotdesk = await phone('4001', server);
    const askUser = await promptAudio('em-enter-user-id');
    const media = await PhoneMedia.open();
    const call = await hotdesk.call('*70', { sdp: media.offer(false) });
    expect(await waitUntil(() => media.heard(askUser), 10_000)).toBe(true);
    for (const key of '7007#24680#') {
      const response = await hotdesk.send(
        call.dialog,
        'INFO',
        [{ name: 'Content-Type', value: 'application/dtmf-relay' }],
        `Signal=${key}\r\nDuration=160\r\n`,
      );
      expect(response.status).toBe(200);
    }
    expect(await waitUntil(() => call.ended, 15_000)).toBe(true);
    expect(await logins(server)).toMatchObject([{ device: hotdeskName, userId: '7007', profile: 'bob-em' }]);
  }, 60_000);

  it('a phone without telephone-event MUST be understood from the tones in its audio', async () => {
    const server = await start();
    const hotdesk = await phone('4001', server);
    const askUser = await promptAudio('em-enter-user-id');
    const media = await PhoneMedia.open();
    const call = await hotdesk.call('*70', { sdp: media.offer(false) });
    media.answered(call);
    expect(await waitUntil(() => media.heard(askUser), 10_000)).toBe(true);
    await media.tones('7007#24680#');
    expect(await waitUntil(() => call.ended, 15_000)).toBe(true);
    expect(await logins(server)).toMatchObject([{ device: hotdeskName, userId: '7007' }]);
  }, 60_000);

  it('the login code on a phone that does not allow Extension Mobility MUST say so and hang up', async () => {
    const server = await start();
    const other = await phone('4002', server);
    const notAvailable = await promptAudio('em-not-available');
    const media = await PhoneMedia.open();
    const call = await dial(other, '*70', media);
    expect(await waitUntil(() => call.ended, 15_000)).toBe(true);
    expect(media.heard(notAvailable)).toBe(true);
  }, 60_000);
});
