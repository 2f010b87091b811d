import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeG711, encodeG711, readWav } from '@strowger/media';
import { openProvider, type ProviderEvent } from '@strowger/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { phoneDevices, waitUntil } from '../../../packages/server/test/support/leftovers.js';
import { rtpPayloadsOf } from '../../../packages/server/test/support/pcap.js';
import { RtpListener, indexOfBytes, percentile } from '../../../packages/server/test/support/rtp-listener.js';
import { requireSipp, runSipp, type SippRun } from '../../../packages/server/test/support/sipp.js';
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
 * strowger-ivr with real peers end to end: SIPp dials, the IVR's route point sends the call to a CTI
 * port, SIPp hears the prompt (the far end checks every packet) and sends RFC 4733 digits or speech
 * from Debian's captures, and is transferred to a phone or leaves a message that is compared with what
 * SIPp sent. Then the queue with more callers than ports, and the IVR process killed mid-call.
 */
const fixture = useLiveCti(
  `
settings: { sipRealm: strowger, voicemailPilot: '5000' }
lines:
  - { dn: '1001', forward: { all: { voicemail: true } } }
  - { dn: '1002' }
  - { dn: '1003' }
  - { dn: '5000', description: Voicemail pilot }
  - { dn: '5100', description: Auto-attendant, forward: { ctiFailure: { destination: '1003' } } }
  - { dn: '5101' }
  - { dn: '5102' }
  - { dn: '5103' }
  - { dn: '5104' }
  - { dn: '7200', maxCalls: 10, busyTrigger: 10 }
devices:
${phoneDevices(['1001', '1002', '1003'])}
  - { name: SIPP, type: sip-phone, lines: ['7200'], sip: { username: '7200', password: 'pw-7200' } }
  - { name: CTIRP_VM, type: cti-route-point, lines: ['5000'] }
  - { name: CTIRP_AA, type: cti-route-point, lines: ['5100'] }
  - { name: CTIPORT_1, type: cti-port, lines: ['5101'] }
  - { name: CTIPORT_2, type: cti-port, lines: ['5102'] }
  - { name: CTIPORT_3, type: cti-port, lines: ['5103'] }
  - { name: CTIPORT_4, type: cti-port, lines: ['5104'] }
endUsers:
  - { userId: alice, primaryExtension: '1001' }
applicationUsers:
  - { userId: ivr, password: ivr-secret, devices: [CTIRP_VM, CTIRP_AA, CTIPORT_1, CTIPORT_2, CTIPORT_3, CTIPORT_4, SEP000000001001], groups: ['Standard CTI Enabled'] }
`,
  { cti: { orphanGraceMs: 500 } },
);

let directory: string;
let application: IvrApplication | undefined;
const children: ChildProcess[] = [];

beforeAll(async () => {
  requireSipp();
  directory = await mkdtemp(join(tmpdir(), 'ivr-sipp-'));
  await generatePrompts({ directory: join(directory, 'prompts'), prompts: promptCatalog() });
}, 60_000);
afterEach(async () => {
  await application?.stop();
  application = undefined;
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(async () => {
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
});

const menus = `
autoAttendants:
  main: { menu: main }
  quick: { menu: quick }
menus:
  main:
    greeting: { text: "Welcome to Example. For the front desk, press 1." }
    options: { "1": { transfer: '1002' }, "9": { goodbye: true } }
    timeoutSeconds: 20
    retries: 0
    onFailure: goodbye
  quick:
    greeting: { text: "Welcome. Press 1 to hear goodbye." }
    options: { "1": { goodbye: true } }
    timeoutSeconds: 20
    retries: 0
    onFailure: goodbye
`;

/** The IVR's configuration file, with `yaml` for its route points and ports; returns its path. */
async function ivrConfig(name: string, yaml: string): Promise<string> {
  const { live } = fixture;
  const file = join(directory, `${name}.yaml`);
  await writeFile(
    file,
    `
cti: { servers: ['${live.ctiUrl}'], user: ivr }
admin: { url: '${live.server.httpUrl}', user: admin }
dataDirectory: ${JSON.stringify(join(directory, `data-${name}`))}
promptDirectory: ${JSON.stringify(join(directory, 'prompts'))}
voicemail: { pilot: '5000', initialPin: '24680', silenceSeconds: 4 }
${yaml}
${menus}`,
  );
  return file;
}

async function startIvr(yaml: string): Promise<IvrApplication> {
  application = await runIvr({
    configFile: await ivrConfig('ivr', yaml),
    createPlatform: sdkPlatform,
    logger: ivrTestLogger(),
    env: { STROWGER_IVR_CTI_PASSWORD: 'ivr-secret', STROWGER_IVR_ADMIN_PASSWORD: testAdminPassword },
  });
  return application;
}

function sipp(scenario: string, dial: string, listener: RtpListener, extra: { calls?: number } = {}): Promise<SippRun> {
  const calls = extra.calls ?? 1;
  return runSipp({
    scenario,
    port: fixture.live.server.sipPort,
    transport: 'udp',
    service: '7200',
    username: '7200',
    password: 'pw-7200',
    calls,
    rate: calls,
    limit: calls,
    keys: { dial, rtp_host: '127.0.0.1', rtp_port: String(listener.port) },
    extra: ['-mp', '0'],
    timeoutSeconds: 60,
  });
}

describe('strowger-ivr with SIPp', () => {
  it('voicemail: SIPp hears the greeting paced at 20 ms, speaks, and the stored message is what it sent', async () => {
    await startIvr(`
routePoints:
  - { name: CTIRP_VM, number: '5000', application: voicemail }
ports:
  - { name: CTIPORT_1, dn: '5101' }
`);
    const listener = await RtpListener.open();
    try {
      const run = await sipp('uac-call-ivr-deposit.xml', '1001', listener);
      expect(run.code, `${run.output}\n${run.errors}`).toBe(0);

      // The greeting, as the far end heard it: its first words are the prompt file's own A-law.
      const greeting = readWav(await readFile(join(directory, 'prompts', 'greeting-extension.wav')));
      const heard = listener.audioBytes(8);
      const loud = greeting.findIndex((sample) => Math.abs(sample) > 2000);
      const opening = encodeG711('pcma', greeting.subarray(loud - (loud % 160), loud - (loud % 160) + 800));
      expect(indexOfBytes(heard, opening), 'the greeting’s opening words were not heard').toBeGreaterThanOrEqual(0);
      const audio = listener.packets.filter((p) => p.payloadType === 8);
      expect(audio.length).toBeGreaterThan(100); // two seconds and more of greeting
      const gaps = listener.interArrivalMs().slice(5, audio.length - 5);
      expect(percentile(gaps, 0.5)).toBeGreaterThan(15);
      expect(percentile(gaps, 0.5)).toBeLessThan(25);

      // The message stored for 1001 is SIPp's speech.
      const index = join(directory, 'data-ivr', 'mailboxes', '1001', 'index.json');
      let stored = '';
      await waitUntil(
        () => stored.includes('"new"'),
        15_000,
        async () => void (stored = await readFile(index, 'utf8').catch(() => '')),
      );
      const { messages } = JSON.parse(await readFile(index, 'utf8')) as { messages: { id: string }[] };
      const message = readWav(
        await readFile(join(directory, 'data-ivr', 'mailboxes', '1001', 'messages', `${messages[0]?.id}.wav`)),
      );
      const payloads = await rtpPayloadsOf('/usr/share/sip-tester/g711a.pcap');
      const sent = decodeG711('pcma', Uint8Array.from(payloads.flatMap((p) => [...p])));
      expect(message.length / 8000).toBeGreaterThan(3);
      expect(bestCorrelation(sent, message)).toBeGreaterThan(0.9);
    } finally {
      await listener.close();
    }
  }, 90_000);

  it('auto-attendant: SIPp presses 1 (RFC 4733) and is transferred to the front desk phone', async () => {
    await startIvr(`
routePoints:
  - { name: CTIRP_AA, number: '5100', application: { autoAttendant: main } }
ports:
  - { name: CTIPORT_1, dn: '5101' }
`);
    const desk = await fixture.phone('1002');
    const listener = await RtpListener.open();
    try {
      const run = await sipp('uac-call-ivr-transfer.xml', '5100', listener);
      expect(run.code, `${run.output}\n${run.errors}`).toBe(0);
      expect(desk.calls).toHaveLength(1);
      expect(listener.packets.filter((p) => p.payloadType === 0).length).toBeGreaterThan(25);
      await waitUntil(() => application?.status().portsFree === 1, 5000);
    } finally {
      await listener.close();
    }
  }, 60_000);

  it('4 ports and 6 callers at once: 4 are served, 2 wait and are served as ports free, none is dropped', async () => {
    const ivr = await startIvr(`
routePoints:
  - { name: CTIRP_AA, number: '5100', application: { autoAttendant: quick } }
ports:
  - { name: CTIPORT_1, dn: '5101' }
  - { name: CTIPORT_2, dn: '5102' }
  - { name: CTIPORT_3, dn: '5103' }
  - { name: CTIPORT_4, dn: '5104' }
`);
    const listener = await RtpListener.open();
    let mostWaiting = 0;
    let mostBusy = 0;
    const sampler = setInterval(() => {
      mostWaiting = Math.max(mostWaiting, ivr.status().waiting);
      mostBusy = Math.max(mostBusy, ivr.status().portsBusy);
    }, 20);
    try {
      const run = await sipp('uac-call-ivr-media.xml', '5100', listener, { calls: 6 });
      expect(run.code, `${run.output}\n${run.errors}`).toBe(0);
      expect(run.output).toMatch(/Successful call\s*\|\s*\d+\s*\|\s*6\b/);
      expect(mostBusy).toBe(4);
      expect(mostWaiting).toBe(2);
    } finally {
      clearInterval(sampler);
      await listener.close();
    }
  }, 90_000);
});

describe('strowger-ivr killed mid-call', () => {
  const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url));

  /** strowger-ivr as its own process, as an administrator runs it. */
  async function ivrProcess(name: string, yaml: string): Promise<ChildProcess> {
    const child = fork(bin, ['--config', await ivrConfig(name, yaml)], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, STROWGER_IVR_CTI_PASSWORD: 'ivr-secret', STROWGER_IVR_ADMIN_PASSWORD: testAdminPassword },
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    children.push(child);
    return child;
  }

  /** The route point and ports, watched from outside as an administrator's tool would. */
  async function watch(): Promise<{ events: ProviderEvent[]; inService: (name: string) => boolean }> {
    const watcher = fixture.track(
      await openProvider({ servers: [fixture.live.ctiUrl], user: 'ivr', password: 'ivr-secret' }),
    );
    const events: ProviderEvent[] = [];
    watcher.on('providerEvent', (event) => events.push(event));
    return { events, inService: (name) => watcher.getTerminal(name).inService };
  }

  const onePort = (port: string, dn: string): string => `
routePoints:
  - { name: CTIRP_AA, number: '5100', application: { autoAttendant: main } }
ports:
  - { name: ${port}, dn: '${dn}' }
`;

  it('its ports go out of service, the waiting caller follows forward on CTI failure, and the connected call is released', async () => {
    const { events, inService } = await watch();
    const ivr = await ivrProcess('alone', onePort('CTIPORT_1', '5101'));
    await waitUntil(() => inService('CTIPORT_1') && inService('CTIRP_AA'), 20_000);
    const desk = await fixture.phone('1003');
    const connected = await (await fixture.phone('1001')).call('5100'); // the port answers
    const waiting = (await fixture.phone('1002')).call('5100'); // the port is busy: it waits in the queue
    await new Promise((resolve) => setTimeout(resolve, 1000));

    ivr.kill('SIGKILL');
    await waitUntil(() => events.some((e) => e.type === 'CiscoTermOutOfServiceEv' && e.name === 'CTIPORT_1'), 5000);
    expect(inService('CTIRP_AA')).toBe(false);
    const forwarded = await waiting; // reached 1003, the route point line's forward on CTI failure
    expect(desk.calls).toHaveLength(1);
    // Nobody terminates the port's media any more: its caller is released, not left in silence.
    await waitUntil(() => connected.ended, 5000);
    await forwarded.hangUp();
  }, 90_000);

  it('a standby instance takes the route point over, with the caller waiting in the dead one’s queue', async () => {
    const { inService } = await watch();
    const active = await ivrProcess('active', onePort('CTIPORT_1', '5101'));
    await waitUntil(() => inService('CTIPORT_1') && inService('CTIRP_AA'), 20_000);
    await ivrProcess('standby', onePort('CTIPORT_3', '5103'));
    await waitUntil(() => inService('CTIPORT_3'), 20_000);
    const desk = await fixture.phone('1003');
    const connected = await (await fixture.phone('1001')).call('5100');
    const waiting = (await fixture.phone('1002')).call('5100');
    await new Promise((resolve) => setTimeout(resolve, 1000));

    active.kill('SIGKILL');
    const served = await waiting; // the standby's port answered it, not the forward
    expect(desk.calls).toHaveLength(0);
    expect(inService('CTIRP_AA')).toBe(true);
    await waitUntil(() => connected.ended, 5000);
    await served.hangUp();
  }, 90_000);
});
