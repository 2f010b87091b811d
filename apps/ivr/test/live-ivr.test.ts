import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { levelDb, readWav, type RtpSession } from '@strowger/media';
import { openRtpSession } from '@strowger/media/node';
import { openProvider } from '@strowger/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { phoneDevices, waitUntil } from '../../../packages/server/test/support/leftovers.js';
import { testAdminPassword } from '../../../packages/server/test/support/test-server.js';
import { useLiveCti } from '../../../packages/sdk/test/support/live-cti.js';
import type { IvrApplication } from '../src/ivr-application.js';
import { runIvr } from '../src/main.js';
import { promptCatalog } from '../src/prompt-catalog.js';
import { generatePrompts } from '../src/prompt-generator.js';
import { sdkPlatform } from '../src/sdk-platform.js';
import { bestCorrelation } from './audio.js';
import { ivrTestLogger } from './test-logger.js';

/**
 * strowger-ivr on the SDK against a real Strowger. Voicemail: a phone calls a line that forwards to
 * voicemail, the call reaches the voicemail route point, the IVR routes it to a CTI port, plays the
 * mailbox's greeting over RTP, records what the caller says, stores it as the mailbox's message and
 * lights the lamp; the caller's audio is real RTP from this test, and the stored WAV is compared with
 * it. Queue: with the one port busy, the next caller waits at the route point until it frees.
 */
const fixture = useLiveCti(`
settings: { sipRealm: strowger, voicemailPilot: '5000' }
lines:
  - { dn: '1001', forward: { all: { voicemail: true } } }
  - { dn: '1002' }
  - { dn: '1003' }
  - { dn: '5000', description: Voicemail pilot }
  - { dn: '5100', description: Auto-attendant }
  - { dn: '5101' }
  - { dn: '5102' }
devices:
${phoneDevices(['1001', '1002', '1003'])}
  - { name: CTIRP_VM, type: cti-route-point, lines: ['5000'] }
  - { name: CTIRP_AA, type: cti-route-point, lines: ['5100'] }
  - { name: CTIPORT_1, type: cti-port, lines: ['5101'] }
  - { name: CTIPORT_2, type: cti-port, lines: ['5102'] }
endUsers:
  - { userId: alice, primaryExtension: '1001' }
applicationUsers:
  - { userId: ivr, password: ivr-secret, devices: [CTIRP_VM, CTIRP_AA, CTIPORT_1, CTIPORT_2, SEP000000001001], groups: ['Standard CTI Enabled'] }
`);

let directory: string;
let application: IvrApplication | undefined;
let caller: RtpSession | undefined;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'ivr-live-'));
  await generatePrompts({ directory: join(directory, 'prompts'), prompts: promptCatalog() });
}, 60_000);
afterEach(async () => {
  caller?.close('test over');
  caller = undefined;
  await application?.stop();
  application = undefined;
});
afterAll(async () => {
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
});

/** The RTP address in a session description. */
function mediaAddress(sdp: string): { address: string; port: number } {
  const address = sdp.match(/^c=IN IP4 (\S+)/m)?.[1];
  const port = sdp.match(/^m=audio (\d+)/m)?.[1];
  if (address === undefined || port === undefined) throw new Error(`no media address in ${sdp}`);
  return { address, port: Number(port) };
}

/** Starts strowger-ivr on the SDK against the live server, with `yaml` for its route points, ports and menus. */
async function startIvr(yaml: string): Promise<IvrApplication> {
  const { live } = fixture;
  const configFile = join(directory, 'ivr.yaml');
  await writeFile(
    configFile,
    `
cti: { servers: ['${live.ctiUrl}'], user: ivr }
admin: { url: '${live.server.httpUrl}', user: admin }
dataDirectory: ${JSON.stringify(join(directory, 'data'))}
promptDirectory: ${JSON.stringify(join(directory, 'prompts'))}
voicemail: { pilot: '5000', initialPin: '24680', silenceSeconds: 1 }
${yaml}`,
  );
  application = await runIvr({
    configFile,
    createPlatform: sdkPlatform,
    logger: ivrTestLogger(),
    env: { STROWGER_IVR_CTI_PASSWORD: 'ivr-secret', STROWGER_IVR_ADMIN_PASSWORD: testAdminPassword },
  });
  return application;
}

describe('strowger-ivr over the SDK, with a real server and real RTP', () => {
  it('a call forwarded to voicemail reaches a port, hears the greeting, and leaves the message the caller spoke; the lamp lights', async () => {
    const { live } = fixture;
    const application = await startIvr(`
routePoints:
  - { name: CTIRP_VM, number: '5000', application: voicemail }
ports:
  - { name: CTIPORT_1, dn: '5101' }
  - { name: CTIPORT_2, dn: '5102' }
`);
    expect(application.status()).toMatchObject({ portsInService: 2, portsFree: 2 });

    const phone = await fixture.phone('1002');
    await phone.register();
    const call = await phone.call('1001');
    // The caller's audio: from this test's own RTP session to the port's address in the answer. It
    // sends from the start, so the port (symmetric RTP) answers to it.
    caller = await openRtpSession({ address: '127.0.0.1', remote: mediaAddress(call.remoteSdp ?? '') });
    const heard: number[] = [];
    caller.on('audio', ({ samples }) => heard.push(levelDb(samples)));
    // Hear some of the greeting, then skip to the tone with a key, as callers who know it do.
    await waitUntil(() => heard.filter((db) => db > -30).length > 25, 10_000);
    expect(heard.filter((db) => db > -30).length).toBeGreaterThan(25);
    await caller.sendDigits('#');
    await new Promise((resolve) => setTimeout(resolve, 800));
    // The message: speech (one of the IVR's own prompts, spoken by the caller this time).
    const said = readWav(await readFile(join(directory, 'prompts', 'message-saved-goodbye.wav')));
    await caller.play(said);

    const index = join(directory, 'data', 'mailboxes', '1001', 'index.json');
    let stored = '';
    await waitUntil(
      () => stored.includes('"new"'),
      15_000,
      async () => void (stored = await readFile(index, 'utf8').catch(() => '')),
    );
    const { messages } = JSON.parse(await readFile(index, 'utf8')) as {
      messages: { id: string; caller: string; seconds: number }[];
    };
    expect(messages).toHaveLength(1);
    expect(messages[0]?.caller).toBe('1002');
    const recorded = readWav(
      await readFile(join(directory, 'data', 'mailboxes', '1001', 'messages', `${messages[0]?.id}.wav`)),
    );
    expect(Math.abs(recorded.length - said.length) / 8000).toBeLessThan(1.5);
    expect(levelDb(recorded)).toBeGreaterThan(-30);
    expect(bestCorrelation(said, recorded)).toBeGreaterThan(0.9);

    // The IVR says goodbye and hangs up; the port is free again, and the lamp of 1001 is lit.
    await waitUntil(() => call.ended, 15_000);
    expect(call.ended).toBe(true);
    await waitUntil(() => application.status().portsFree === 2, 5000);
    const watcher = fixture.track(await openProvider({ servers: [live.ctiUrl], user: 'ivr', password: 'ivr-secret' }));
    expect(await watcher.getAddress('1001').getMessageWaiting()).toBe(true);
  }, 60_000);

  it('with every port busy a caller waits at the route point, and is served when the port frees', async () => {
    const application = await startIvr(`
routePoints:
  - { name: CTIRP_AA, number: '5100', application: { autoAttendant: main } }
ports:
  - { name: CTIPORT_1, dn: '5101' }
autoAttendants:
  main: { menu: main }
menus:
  main:
    greeting: { text: "Welcome. Press 9 to hang up." }
    options: { "9": { goodbye: true } }
    timeoutSeconds: 60
    retries: 0
    onFailure: goodbye
`);
    const first = await (await fixture.phone('1002')).call('5100');
    const second = (await fixture.phone('1003')).call('5100');
    await waitUntil(() => application.status().waiting === 1, 5000);
    expect(application.status()).toMatchObject({ waiting: 1, portsBusy: 1, portsFree: 0 });
    await first.hangUp();
    const served = await second;
    expect(application.status()).toMatchObject({ waiting: 0, portsBusy: 1 });
    expect(mediaAddress(served.remoteSdp ?? '')).toEqual(mediaAddress(first.remoteSdp ?? ''));
    await served.hangUp();
    await waitUntil(() => application.status().portsFree === 1, 5000);
  }, 60_000);
});
