import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { callEvents, inboundRinging } from './support/call-events.js';
import { FakeBackend, FakeCtiServer } from './support/fake-cti-server.js';
import { encodeG711, encodeRtp, encodeTelephoneEvent, telephoneEventFrames, writeWav } from '@strowger/media';
import { RtpListener, indexOfBytes } from '../../server/test/support/rtp-listener.js';

/**
 * Every example in the SDK's README and in docs/sdk.md is a file under packages/sdk/examples, shown
 * verbatim in the docs and run here as a program (through the built package, as an application
 * would import it) against the fake CTI server.
 */
const sdkDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(sdkDir, '../..');
const examplesDir = join(sdkDir, 'examples');
const docs = [join(sdkDir, 'README.md'), join(repoRoot, 'docs/sdk.md')];

const children: ChildProcess[] = [];
const servers: FakeCtiServer[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const server of servers.splice(0)) await server.stop();
});

async function fakeServers(count = 1): Promise<FakeCtiServer[]> {
  const backend = new FakeBackend();
  const started: FakeCtiServer[] = [];
  for (let i = 0; i < count; i++) started.push(await FakeCtiServer.start(backend));
  servers.push(...started);
  return started;
}

interface Run {
  readonly child: ChildProcess;
  stdout(): string;
  exited: Promise<number | null>;
}

function run(example: string, env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', join(examplesDir, example)], {
    cwd: repoRoot,
    env: { ...process.env, CTI_USER: 'app', CTI_PASSWORD: 'secret', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) =>
    child.once('exit', (code) => {
      if (code !== 0 && code !== null) process.stderr.write(`${example} failed:\n${err}\n`);
      resolveExit(code);
    }),
  );
  return { child, stdout: () => out, exited };
}

async function until(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const observersAdded = (backend: FakeBackend, n: number) => () =>
  backend.requests.filter((r) => r.method === 'observer.add').length >= n;

describe('the documentation examples', () => {
  it('every TypeScript block in the SDK README and docs/sdk.md is an example file, verbatim', async () => {
    const shown = new Set<string>();
    for (const doc of docs) {
      const text = await readFile(doc, 'utf8');
      const blocks = [...text.matchAll(/(<!-- example: (\S+) -->\n)?```ts\n([\s\S]*?)```/g)];
      expect(blocks.length, `${relative(repoRoot, doc)} has examples`).toBeGreaterThan(0);
      for (const [, marker, file, code] of blocks) {
        expect(marker, `a ts block in ${relative(repoRoot, doc)} names its example file`).toBeDefined();
        const source = await readFile(join(repoRoot, file as string), 'utf8');
        expect(code, `${file} as shown in ${relative(repoRoot, doc)}`).toBe(source);
        shown.add(relative(examplesDir, join(repoRoot, file as string)));
      }
    }
    const files = (await readdir(examplesDir)).filter((f) => f.endsWith('.ts'));
    expect([...shown].sort()).toEqual(files.sort());
    expect(files.sort()).toEqual(Object.keys(ran).sort());
  });

  const ran: Record<string, true> = {};
  const example = (file: string, body: () => Promise<void>): void => {
    ran[file] = true;
    it(`${file} runs`, body);
  };

  example('open-provider.ts', async () => {
    const [s] = await fakeServers();
    const r = run('open-provider.ts', { CTI_SERVER: s!.url });
    expect(await r.exited).toBe(0);
    expect(r.stdout()).toContain('provider IN_SERVICE for app (application-user)');
    expect(r.stdout()).toContain('terminal SEP1002: 1002, 2000\n');
    expect(r.stdout()).toContain('terminal SEP1009: 1009 (restricted)\n');
    expect(r.stdout()).toContain("not in the domain: terminal SEP7777: SEP7777 is not among app's controlled devices");
  });

  example('screen-pop.ts', async () => {
    const [s] = await fakeServers();
    const r = run('screen-pop.ts', { CTI_SERVER: s!.url });
    await until(observersAdded(s!.backend, 3), 'the three unrestricted terminals observed');
    s!.backend.emit(s!.backend.onlyProvider.providerId, inboundRinging('c-1', '+1 555 1234', '1001', 'SEP1001'));
    await until(() => r.stdout().includes('\n'), 'the pop');
    await new Promise((wait) => setTimeout(wait, 100));
    expect(r.stdout()).toBe('https://crm.example/lookup?number=%2B1%20555%201234\n');
  });

  example('watch-line.ts', async () => {
    const [s] = await fakeServers();
    const r = run('watch-line.ts', { CTI_SERVER: s!.url, LINE: '1001' });
    await until(observersAdded(s!.backend, 1), 'the observer');
    s!.backend.emit(s!.backend.onlyProvider.providerId, inboundRinging('c-1', '1002', '1001', 'SEP1001'));
    await until(() => r.stdout().split('\n').length > 10, 'ten events');
    expect(r.stdout().split('\n').slice(0, 10)).toEqual([
      '1 CallActiveEv call c-1 ACTIVE',
      '2 ConnCreatedEv 1002 IDLE/IDLE',
      '3 ConnConnectedEv 1002 CONNECTED/ESTABLISHED',
      '4 CallCtlConnEstablishedEv 1002 CONNECTED/ESTABLISHED',
      '5 ConnCreatedEv 1001 IDLE/IDLE',
      '6 ConnAlertingEv 1001 ALERTING/ALERTING',
      '7 CallCtlConnAlertingEv 1001 ALERTING/ALERTING',
      '8 TermConnCreatedEv SEP1001 IDLE/IDLE',
      '9 TermConnRingingEv SEP1001 RINGING/RINGING',
      '10 CallCtlTermConnRingingEv SEP1001 RINGING/RINGING',
    ]);
  });

  example('event-loop.ts', async () => {
    const [s] = await fakeServers();
    const r = run('event-loop.ts', { CTI_SERVER: s!.url, LINE: '1001' });
    await until(observersAdded(s!.backend, 1), 'the observer');
    const c = callEvents('c-1', { callingAddress: '1002', callingTerminal: null, calledAddress: '1001' });
    s!.backend.emit(s!.backend.onlyProvider.providerId, [
      ...inboundRinging('c-1', '1002', '1001', 'SEP1001'),
      ...c.disconnected('1001'),
      c.invalid(),
    ]);
    expect(await r.exited).toBe(0);
    expect(r.stdout()).toBe('ringing: 1001 called by 1002 (event id 203)\ndone: provider SHUTDOWN\n');
  });

  example('errors.ts', async () => {
    const [s] = await fakeServers();
    const r = run('errors.ts', { CTI_SERVER: s!.url });
    expect(await r.exited).toBe(0);
    expect(r.stdout()).toContain('observing 1001\n');
    expect(r.stdout()).toContain('1009 is restricted: 1009 is restricted\n');
    expect(r.stdout()).toContain("Terminal SEP-NOT-MINE is not in this provider's domain");
  });

  example('reconnect.ts', async () => {
    const [a, b] = await fakeServers(2);
    const r = run('reconnect.ts', { CTI_SERVERS: `${a!.url},${b!.url}`, LINE: '1001' });
    await until(observersAdded(a!.backend, 1), 'the observer');
    a!.cut();
    await until(() => r.stdout().includes('restored'), 'the reconnect');
    a!.backend.emit(a!.backend.onlyProvider.providerId, inboundRinging('c-1', '1002', '1001', 'SEP1001').slice(0, 1));
    await until(() => r.stdout().includes('1 CallActiveEv'), 'an event after the resume');
    expect(r.stdout()).toBe(
      `lost ${a!.url}: ConnectionLostError\nrestored on ${b!.url}, resumed: no event missed\n1 CallActiveEv\n`,
    );
  });

  example('click-to-dial.ts', async () => {
    const [s] = await fakeServers();
    const backend = s!.backend;
    backend.handlers.set('call.connect', (params) => {
      const callId = params.callId as string;
      const c = callEvents(callId, { callingAddress: '1001', callingTerminal: 'SEP1001', calledAddress: '1002' });
      const provider = backend.onlyProvider.providerId;
      backend.emit(provider, [
        c.active(),
        c.created('1001'),
        ...c.established('1001'),
        c.created('1002'),
        ...c.alerting('1002'),
      ]);
      // The far end answers a moment later, as a phone would.
      setTimeout(() => backend.emit(provider, c.established('1002')), 50);
      return { callId };
    });
    backend.handlers.set('call.drop', (params) => {
      const c = callEvents(params.callId as string, {
        callingAddress: '1001',
        callingTerminal: 'SEP1001',
        calledAddress: '1002',
      });
      backend.emit(backend.onlyProvider.providerId, [
        ...c.disconnected('1001'),
        ...c.disconnected('1002'),
        c.invalid(),
      ]);
      return {};
    });
    const r = run('click-to-dial.ts', { CTI_SERVER: s!.url, LINE: '1001', NUMBER: '1002' });
    expect(await r.exited).toBe(0);
    const connect = backend.requests.find((q) => q.method === 'call.connect');
    expect(connect?.params).toMatchObject({ terminal: 'SEP1001', address: '1001', dialled: '1002' });
    expect(r.stdout()).toBe(`call ${String(connect?.params.callId)}: 1001 ESTABLISHED, 1002 ALERTING\n1002 answered\n`);
  });

  example('answer-and-transfer.ts', async () => {
    const [s] = await fakeServers();
    const backend = s!.backend;
    const first = callEvents('c-1', { callingAddress: '5550', callingTerminal: null, calledAddress: '1001' });
    backend.handlers.set('terminalConnection.answer', () => {
      backend.emit(backend.onlyProvider.providerId, [
        ...first.established('1001'),
        ...first.talking('1001', 'SEP1001'),
      ]);
      return {};
    });
    backend.handlers.set('call.consult', (params) => {
      const c = callEvents(params.consultCallId as string, {
        callingAddress: '1001',
        callingTerminal: 'SEP1001',
        calledAddress: '1002',
      });
      const provider = backend.onlyProvider.providerId;
      backend.emit(provider, [
        c.active(),
        c.created('1001'),
        ...c.established('1001'),
        c.created('1002'),
        ...c.alerting('1002'),
      ]);
      setTimeout(() => backend.emit(provider, c.established('1002')), 50);
      return { callId: params.consultCallId };
    });
    backend.handlers.set('call.transfer', () => ({}));
    const r = run('answer-and-transfer.ts', { CTI_SERVER: s!.url, LINE: '1001', SUPERVISOR: '1002' });
    await until(observersAdded(backend, 1), 'the observer');
    backend.emit(backend.onlyProvider.providerId, inboundRinging('c-1', '5550', '1001', 'SEP1001'));
    expect(await r.exited).toBe(0);
    expect(r.stdout()).toBe('answered 5550\ntransferred to 1002\n');
    const transfer = backend.requests.find((q) => q.method === 'call.transfer');
    const consult = backend.requests.find((q) => q.method === 'call.consult');
    expect(consult?.params).toMatchObject({ callId: 'c-1', address: '1001', terminal: 'SEP1001', dialled: '1002' });
    expect(transfer?.params).toMatchObject({ callId: 'c-1', otherCallId: consult?.params.consultCallId });
  });

  example('superprovider.ts', async () => {
    const [s] = await fakeServers();
    const r = run('superprovider.ts', { CTI_SERVER: s!.url, DEVICE: 'SEP5555' });
    expect(await r.exited).toBe(0);
    expect(r.stdout()).toBe('acquired SEP5555 with lines 5555\n');
  });

  example('route-point.ts', async () => {
    const [s] = await fakeServers();
    const backend = s!.backend;
    backend.terminals.push({
      name: 'IVR_RP',
      type: 'cti-route-point',
      restricted: false,
      inService: false,
      acquired: false,
      addresses: ['7000'],
    });
    backend.addresses.push({
      name: '7000',
      restricted: false,
      inService: false,
      terminals: [{ terminal: 'IVR_RP', restricted: false, inService: false }],
    });
    backend.handlers.set('address.registerRouteCallback', () => ({ active: true }));
    const session = { sessionId: 's-1', routeAddress: '7000', callId: 'c-1', observerId: null };
    backend.handlers.set('routeSession.selectRoute', (params) => {
      // The desk is busy: reported as a re-route, and the next route takes the call.
      backend.emit(backend.onlyProvider.providerId, [
        { ...session, type: 'ReRouteEv', id: 1031, route: '1002', cause: 105, reason: '1002 is busy' },
        { ...session, type: 'RouteUsedEv', id: 1032, routeUsed: '1003', index: 1 },
        { ...session, type: 'RouteEndEv', id: 1033, cause: 100 },
      ]);
      expect(params.routes).toEqual(['1002', '1003', '1004']);
      return { routeUsed: '1003', index: 1 };
    });
    const r = run('route-point.ts', { CTI_SERVER: s!.url });
    await until(() => r.stdout().includes('routing calls to 7000'), 'the callback');
    backend.emit(backend.onlyProvider.providerId, [
      {
        ...session,
        type: 'RouteEv',
        id: 1030,
        callingAddress: '9555',
        callingName: null,
        callingTerminal: null,
        calledAddress: '7000',
        originalCalledAddress: '7000',
        lastRedirectedAddress: null,
        redirectReason: null,
        routeSelectTimeoutMs: 3000,
      },
    ]);
    await until(() => r.stdout().includes('→'), 'the route');
    expect(r.stdout()).toBe('routing calls to 7000\n9555: 1002 could not take the call\n9555 → 1003\n');
  });

  example('ivr-port.ts', async () => {
    const [s] = await fakeServers();
    const backend = s!.backend;
    backend.terminals.push({
      name: 'IVR_P1',
      type: 'cti-port',
      restricted: false,
      inService: false,
      acquired: false,
      addresses: ['7101'],
    });
    backend.addresses.push({
      name: '7101',
      restricted: false,
      inService: false,
      terminals: [{ terminal: 'IVR_P1', restricted: false, inService: false }],
    });
    const dir = await mkdtemp(join(tmpdir(), 'strowger-example-'));
    const greeting = join(dir, 'greeting.wav');
    const tone = new Int16Array(8000 * 3).map((_, i) => Math.round(6000 * Math.sin((2 * Math.PI * 440 * i) / 8000)));
    await writeFile(greeting, writeWav(tone));
    const farEnd = await RtpListener.open();
    try {
      backend.handlers.set('terminal.register', () => ({ active: true }));
      backend.handlers.set('terminalConnection.answer', () => {
        backend.emit(backend.onlyProvider.providerId, [
          {
            type: 'CiscoRTPOutputStartedEv',
            id: 1042,
            observerId: null,
            terminal: 'IVR_P1',
            callId: 'c-1',
            codec: 'PCMU',
            payloadType: 0,
            packetMs: 20,
            telephoneEventPayloadType: 101,
            remoteAddress: '127.0.0.1',
            remotePort: farEnd.port,
          },
        ]);
        return {};
      });
      backend.handlers.set('call.transfer', () => ({}));
      const r = run('ivr-port.ts', { CTI_SERVER: s!.url, PORT: 'IVR_P1', GREETING: greeting });
      await until(() => /RTP port \d+/.test(r.stdout()), 'the port');
      const rtpPort = Number(/RTP port (\d+)/.exec(r.stdout())?.[1]);
      await until(observersAdded(backend, 1), 'the observer');
      backend.emit(backend.onlyProvider.providerId, inboundRinging('c-1', '5550', '7101', 'IVR_P1'));
      await until(() => farEnd.packets.length >= 10, 'the greeting');
      // The caller presses 2 (RFC 4733), from its own RTP address.
      let sequence = 1;
      for (const event of telephoneEventFrames('2')) {
        const payload = encodeTelephoneEvent(event);
        await farEnd.send(
          encodeRtp({
            payloadType: 101,
            sequence: sequence++,
            timestamp: 1000,
            ssrc: 7,
            marker: sequence === 2,
            payload,
          }),
          rtpPort,
        );
      }
      await until(() => backend.requests.some((q) => q.method === 'call.transfer'), 'the transfer');
      expect(r.stdout()).toContain('caller pressed 2\n');
      expect(backend.requests.find((q) => q.method === 'call.transfer')?.params).toMatchObject({
        callId: 'c-1',
        destination: '1003',
      });
      // The greeting was the file's audio: the far end heard it, not silence.
      const heard = farEnd.audioBytes(0);
      expect(indexOfBytes(heard, encodeG711('pcmu', tone.subarray(0, 160)))).toBeGreaterThanOrEqual(0);
    } finally {
      await farEnd.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  example('park-and-pickup.ts', async () => {
    const [s] = await fakeServers();
    const backend = s!.backend;
    backend.handlers.set('terminalConnection.park', () => ({ parkNumber: '7900' }));
    backend.handlers.set('terminal.unpark', () => ({ callId: 'c-1' }));
    const r = run('park-and-pickup.ts', { CTI_SERVER: s!.url, LINE: '1001', COLLEAGUE: 'SEP1003' });
    await until(observersAdded(backend, 1), 'the observer');
    const c = callEvents('c-1', { callingAddress: '5550', callingTerminal: null, calledAddress: '1001' });
    backend.emit(backend.onlyProvider.providerId, [
      ...inboundRinging('c-1', '5550', '1001', 'SEP1001'),
      ...c.established('1001'),
      ...c.talking('1001', 'SEP1001'),
    ]);
    expect(await r.exited).toBe(0);
    expect(r.stdout()).toBe('5550 is parked at 7900\nSEP1003 took call c-1\n');
    expect(backend.requests.find((q) => q.method === 'terminalConnection.park')?.params).toMatchObject({
      callId: 'c-1',
      address: '1001',
      terminal: 'SEP1001',
    });
    expect(backend.requests.find((q) => q.method === 'terminal.unpark')?.params).toMatchObject({
      name: 'SEP1003',
      address: '2000',
      parkNumber: '7900',
    });
  });
});
