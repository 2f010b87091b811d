import { afterEach, describe, expect, it } from 'vitest';
import {
  AuthenticationFailedError,
  ConnectionLostError,
  CtiError,
  DeviceRestrictedError,
  InvalidArgumentError,
  LineRestrictedError,
  RequestTimeoutError,
  openProvider,
  type CallEvent,
  type CtiEvent,
  type Provider,
  type ResyncEvent,
} from '../src/index.js';
import { callEvents, inboundRinging } from './support/call-events.js';
import { FakeBackend, FakeCtiServer } from './support/fake-cti-server.js';
import { ManualClock } from './support/manual-clock.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(backend?: FakeBackend): Promise<FakeCtiServer> {
  const s = await FakeCtiServer.start(backend);
  cleanups.push(() => s.stop());
  return s;
}

async function open(servers: string[], extra: Partial<Parameters<typeof openProvider>[0]> = {}): Promise<Provider> {
  const provider = await openProvider({ servers, user: 'app', password: 'secret', appInfo: 'sdk-test', ...extra });
  cleanups.push(() => provider.shutdown());
  return provider;
}

/** Resolves once `predicate` holds, polling; the tests' only wait for I/O. */
async function until(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('openProvider', () => {
  it('resolves with an IN_SERVICE provider listing the domain the server gave', async () => {
    const s = await server();
    const provider = await open([s.url]);
    expect(provider.state).toBe('IN_SERVICE');
    expect(provider.terminals.map((t) => t.name)).toEqual(['SEP1001', 'SEP1002', 'SEP1003', 'SEP1009']);
    expect(provider.addresses.map((a) => a.name)).toEqual(['1001', '1002', '2000', '1009']);
    const shared = provider.getAddress('2000');
    expect(shared.terminals.map((t) => t.name)).toEqual(['SEP1002', 'SEP1003']);
    expect(provider.getTerminal('SEP1002').addresses.map((a) => a.name)).toEqual(['1002', '2000']);
    expect(provider.getTerminal('SEP1009').restricted).toBe(true);
    expect(provider.getAddress('1001')).toMatchObject({ name: '1001', restricted: false, inService: true });
    expect(provider.user).toEqual({ userId: 'app', kind: 'application-user' });
    const hello = s.backend.requests[0];
    expect(hello).toMatchObject({ method: 'hello', params: { protocols: [1], client: 'sdk-test' } });
  });

  it('getTerminal outside the domain throws InvalidArgumentError saying why the server excluded it', async () => {
    const s = await server();
    const provider = await open([s.url]);
    expect(() => provider.getTerminal('SEP7777')).toThrow(InvalidArgumentError);
    expect(() => provider.getTerminal('SEP7777')).toThrow(/not among app's controlled devices/);
  });

  it('rejects with AuthenticationFailedError for a wrong password and tries no other server', async () => {
    const first = await server();
    const second = await server(first.backend);
    const attempt = openProvider({ servers: [first.url, second.url], user: 'app', password: 'wrong' });
    await expect(attempt).rejects.toBeInstanceOf(AuthenticationFailedError);
    await expect(attempt).rejects.toMatchObject({ code: 'AUTHENTICATION_FAILED', cisco: 'DIRECTORY_LOGIN_FAILED' });
    expect(second.sessions).toHaveLength(0);
  });

  it('opens on the second server when the first refuses the connection', async () => {
    const s = await server();
    const provider = await open(['ws://127.0.0.1:1', s.url]);
    expect(provider.server).toBe(s.url);
  });

  it('rejects with ConnectionLostError when no server answers', async () => {
    await expect(
      openProvider({ servers: ['ws://127.0.0.1:1', 'ws://127.0.0.1:2'], user: 'app', password: 'x' }),
    ).rejects.toBeInstanceOf(ConnectionLostError);
  });

  it('rejects a server list that is empty or not WebSocket URLs with InvalidArgumentError', async () => {
    await expect(openProvider({ servers: [], user: 'a', password: 'b' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(openProvider({ servers: ['http://x'], user: 'a', password: 'b' })).rejects.toThrow(/ws:\/\//);
  });
});

describe('observers and the object model', () => {
  it('address.addCallObserver sends observer.add for the address with call events', async () => {
    const s = await server();
    const provider = await open([s.url]);
    await provider.getAddress('1001').addCallObserver(() => {});
    expect(s.backend.requests.at(-1)).toMatchObject({
      method: 'observer.add',
      params: { providerId: provider.providerId, target: { kind: 'address', name: '1001' }, callEvents: true },
    });
  });

  it('a basic call updates Call, Connection and TerminalConnection before each listener runs', async () => {
    const s = await server();
    const provider = await open([s.url]);
    const seen: string[] = [];
    await provider.getAddress('1001').addCallObserver((ev) => {
      // The model already agrees with the event the listener is told.
      if (ev.type === 'ConnAlertingEv') {
        expect(ev.connection.state).toBe('ALERTING');
        expect(ev.connection.address).toBe(provider.getAddress('1001'));
      }
      if (ev.type === 'CallCtlTermConnRingingEv') {
        expect(ev.terminalConnection.terminal).toBe(provider.getTerminal('SEP1001'));
        expect(ev.terminalConnection.callControlState).toBe('RINGING');
      }
      seen.push(`${ev.type}${'connection' in ev ? `(${ev.connection.address.name})` : ''}`);
    });
    const p = s.backend.onlyProvider.providerId;
    const c = callEvents('c-1', { callingAddress: '5551234', callingTerminal: null, calledAddress: '1001' });
    s.backend.emit(p, inboundRinging('c-1', '5551234', '1001', 'SEP1001'));
    await until(() => seen.length === 10, 'the ringing events');
    const call = provider.getCall('c-1');
    expect(call?.state).toBe('ACTIVE');
    expect(call?.callingAddress?.name).toBe('5551234');
    expect(call?.callingAddress?.inDomain).toBe(false);
    expect(call?.calledAddress).toBe(provider.getAddress('1001'));
    expect(call?.connections.map((x) => [x.address.name, x.state, x.callControlState])).toEqual([
      ['5551234', 'CONNECTED', 'ESTABLISHED'],
      ['1001', 'ALERTING', 'ALERTING'],
    ]);
    expect(provider.getAddress('1001').connections).toHaveLength(1);
    expect(provider.getTerminal('SEP1001').terminalConnections[0]?.state).toBe('RINGING');
    s.backend.emit(p, [
      ...c.established('1001'),
      ...c.talking('1001', 'SEP1001'),
      ...c.dropped('1001', 'SEP1001'),
      ...c.disconnected('1001'),
      ...c.disconnected('5551234'),
      c.invalid(),
      c.observationEnded(),
    ]);
    await until(() => seen.length === 22, 'the end of the call');
    expect(seen).toEqual([
      'CallActiveEv',
      'ConnCreatedEv(5551234)',
      'ConnConnectedEv(5551234)',
      'CallCtlConnEstablishedEv(5551234)',
      'ConnCreatedEv(1001)',
      'ConnAlertingEv(1001)',
      'CallCtlConnAlertingEv(1001)',
      'TermConnCreatedEv(1001)',
      'TermConnRingingEv(1001)',
      'CallCtlTermConnRingingEv(1001)',
      'ConnConnectedEv(1001)',
      'CallCtlConnEstablishedEv(1001)',
      'TermConnActiveEv(1001)',
      'CallCtlTermConnTalkingEv(1001)',
      'TermConnDroppedEv(1001)',
      'CallCtlTermConnDroppedEv(1001)',
      'ConnDisconnectedEv(1001)',
      'CallCtlConnDisconnectedEv(1001)',
      'ConnDisconnectedEv(5551234)',
      'CallCtlConnDisconnectedEv(5551234)',
      'CallInvalidEv',
      'CallObservationEndedEv',
    ]);
    expect(call?.state).toBe('INVALID');
    expect(provider.getCall('c-1')).toBeUndefined();
    expect(provider.calls).toEqual([]);
    expect(call?.getConnection('1001')?.getTerminalConnection('SEP1001')?.state).toBe('DROPPED');
  });

  it('a shared line rings on both terminals and bridges the one that did not answer', async () => {
    const s = await server();
    const provider = await open([s.url]);
    const events: CallEvent[] = [];
    await provider.getAddress('2000').addCallObserver((ev) => void events.push(ev));
    const c = callEvents('c-2', { callingAddress: '1001', callingTerminal: 'SEP1001', calledAddress: '2000' });
    s.backend.emit(s.backend.onlyProvider.providerId, [
      c.active(),
      c.created('1001'),
      ...c.established('1001'),
      c.created('2000'),
      ...c.alerting('2000'),
      c.tcCreated('2000', 'SEP1002'),
      ...c.ringing('2000', 'SEP1002'),
      c.tcCreated('2000', 'SEP1003'),
      ...c.ringing('2000', 'SEP1003'),
      ...c.established('2000'),
      ...c.talking('2000', 'SEP1003'),
      ...c.bridged('2000', 'SEP1002'),
    ]);
    await until(() => events.length === 19, 'the shared-line events');
    const connection = provider.getCall('c-2')?.getConnection('2000');
    expect(connection?.terminalConnections.map((tc) => [tc.terminal.name, tc.state, tc.callControlState])).toEqual([
      ['SEP1002', 'PASSIVE', 'BRIDGED'],
      ['SEP1003', 'ACTIVE', 'TALKING'],
    ]);
    expect(provider.getCall('c-2')?.callingTerminal).toBe(provider.getTerminal('SEP1001'));
  });

  it('a transfer: the transferred party joins with reason TRANSFERRED and the controller drops out', async () => {
    const s = await server();
    const provider = await open([s.url]);
    const events: CtiEvent[] = [];
    provider.on('event', (ev) => events.push(ev));
    await provider.getAddress('1002').addCallObserver(() => {});
    const p = s.backend.onlyProvider.providerId;
    // 1001 called 1002 (c-3); 1002 consulted 2000 (c-4) and transfers: c-3 ends up 1001 ↔ 2000.
    const c3 = callEvents('c-3', { callingAddress: '1001', callingTerminal: 'SEP1001', calledAddress: '1002' });
    s.backend.emit(p, [
      c3.active(),
      c3.created('1001'),
      ...c3.established('1001'),
      c3.created('1002'),
      ...c3.established('1002'),
      c3.transfer(false, '1002', 'SEP1002', 'c-4'),
      c3.created('2000'),
      ...c3.established('2000', { reason: 2, callControlCause: 212 }),
      ...c3.disconnected('1002'),
      c3.transfer(true, '1002', 'SEP1002', 'c-4'),
    ]);
    await until(() => events.some((e) => e.type === 'CiscoTransferEndEv'), 'the transfer end');
    const call = provider.getCall('c-3');
    expect(call?.getConnection('2000')).toMatchObject({ state: 'CONNECTED', reason: 2 });
    expect(call?.getConnection('1002')?.state).toBe('DISCONNECTED');
    const start = events.find((e) => e.type === 'CiscoTransferStartEv');
    expect(start && 'call' in start ? start.call : undefined).toBe(call);
  });

  it('the snapshot after observer.add reaches the new listener with cause SNAPSHOT', async () => {
    const backend = new FakeBackend();
    backend.snapshotFor = (target) =>
      target.name === '1001'
        ? inboundRinging('c-9', '1002', '1001', 'SEP1001').map((e) => ({ ...e, cause: 110, metaCode: 135 }))
        : [];
    const s = await server(backend);
    const provider = await open([s.url]);
    const events: CallEvent[] = [];
    await provider.getAddress('1001').addCallObserver((ev) => void events.push(ev));
    await until(() => events.length === 10, 'the snapshot');
    expect(events.every((e) => e.cause === 110)).toBe(true);
    expect(provider.getCall('c-9')?.getConnection('1001')?.state).toBe('ALERTING');
  });

  it('removeCallObserver stops delivery and sends observer.remove', async () => {
    const s = await server();
    const provider = await open([s.url]);
    const events: CallEvent[] = [];
    const listener = (ev: CallEvent): void => void events.push(ev);
    const address = provider.getAddress('1001');
    await address.addCallObserver(listener);
    await address.removeCallObserver(listener);
    expect(s.backend.requests.at(-1)?.method).toBe('observer.remove');
    s.backend.emit(s.backend.onlyProvider.providerId, [
      { ...inboundRinging('c-5', '1002', '1001', 'SEP1001')[0]!, observerId: 'o-1' },
    ]);
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toEqual([]);
  });

  it('provider.events() yields every event in order and ends at shutdown', async () => {
    const s = await server();
    const provider = await open([s.url]);
    const types: string[] = [];
    const loop = (async () => {
      for await (const ev of provider.events()) types.push(ev.type);
    })();
    s.backend.emit(s.backend.onlyProvider.providerId, [
      { type: 'CiscoTermOutOfServiceEv', id: 1008, name: 'SEP1001', cause: 0 },
      { type: 'CiscoAddrOutOfServiceEv', id: 1010, name: '1001', terminal: 'SEP1001' },
    ]);
    await until(() => types.length === 2, 'two provider events');
    expect(provider.getTerminal('SEP1001').inService).toBe(false);
    expect(provider.getAddress('1001').inService).toBe(false);
    await provider.shutdown();
    await loop;
    expect(types).toEqual(['CiscoTermOutOfServiceEv', 'CiscoAddrOutOfServiceEv', 'ProvShutdownEv']);
    expect(provider.state).toBe('SHUTDOWN');
  });

  it('createTerminal acquires a device into the domain', async () => {
    const s = await server();
    const provider = await open([s.url]);
    const terminal = await provider.createTerminal('SEP5555');
    expect(terminal.acquired).toBe(true);
    expect(provider.getTerminal('SEP5555')).toBe(terminal);
    await expect(provider.createTerminal('SEP0000')).rejects.toBeInstanceOf(InvalidArgumentError);
    await provider.deleteTerminal(terminal);
    await until(() => !provider.terminals.includes(terminal), 'CiscoTermRemovedEv');
    expect(() => provider.getTerminal('SEP5555')).toThrow(InvalidArgumentError);
  });
});

describe('errors', () => {
  it('each protocol error code rejects with its own class, carrying the Cisco name', async () => {
    const s = await server();
    const provider = await open([s.url]);
    const restrictedLine = provider.getAddress('1009').addCallObserver(() => {});
    await expect(restrictedLine).rejects.toBeInstanceOf(LineRestrictedError);
    await expect(restrictedLine).rejects.toMatchObject({ code: 'LINE_RESTRICTED', cisco: 'CTIERR_LINE_RESTRICTED' });
    const restrictedDevice = provider.getTerminal('SEP1009').addCallObserver(() => {});
    await expect(restrictedDevice).rejects.toBeInstanceOf(DeviceRestrictedError);
    await expect(restrictedDevice).rejects.toBeInstanceOf(CtiError);
  });

  it('a request with no answer rejects with RequestTimeoutError after requestTimeoutMs', async () => {
    const s = await server();
    const clock = new ManualClock();
    const provider = await open([s.url], { clock });
    s.backend.handlers.set('observer.add', () => undefined); // never answered
    const pending = provider.getAddress('1001').addCallObserver(() => {});
    await until(() => s.backend.requests.at(-1)?.method === 'observer.add', 'the request');
    clock.advance(10_000);
    await expect(pending).rejects.toBeInstanceOf(RequestTimeoutError);
  });

  it('an AbortSignal cancels a request with its reason', async () => {
    const s = await server();
    const provider = await open([s.url]);
    s.backend.handlers.set('observer.add', () => undefined);
    const controller = new AbortController();
    const pending = provider.getAddress('1001').addCallObserver(() => {}, { signal: controller.signal });
    controller.abort(new Error('user gave up'));
    await expect(pending).rejects.toThrow('user gave up');
  });
});

describe('keep-alive, reconnect and resume', () => {
  it('pings after one quiet interval and keeps a responsive server', async () => {
    const s = await server();
    const clock = new ManualClock();
    const provider = await open([s.url], { clock, keepAliveSeconds: 5 });
    for (let i = 0; i < 4; i++) {
      clock.advance(5000);
      await until(() => s.sessions[0]!.frames.filter((f) => f.kind === 'ping').length === i + 1, `ping ${i + 1}`);
      await new Promise((r) => setTimeout(r, 20)); // the pong arrives
    }
    expect(provider.state).toBe('IN_SERVICE');
    expect(s.sessions).toHaveLength(1);
  });

  it('declares a silent server dead after two intervals and reconnects to the next server', async () => {
    const backend = new FakeBackend();
    const first = await server(backend);
    const second = await server(backend);
    const clock = new ManualClock();
    const provider = await open([first.url, second.url], { clock, keepAliveSeconds: 5 });
    const lost: string[] = [];
    provider.on('connectionLost', (e) => lost.push(e.error.message));
    first.mute = true;
    clock.advance(5000); // our ping, unanswered
    clock.advance(5000); // two intervals of silence
    expect(lost[0]).toMatch(/two keep-alive intervals/);
    expect(provider.state).toBe('OUT_OF_SERVICE');
    await until(() => provider.state === 'IN_SERVICE', 'the reconnect');
    expect(provider.server).toBe(second.url);
  });

  it('a cut connection is resumed on the second server: every event exactly once, in order', async () => {
    const backend = new FakeBackend();
    const first = await server(backend);
    const second = await server(backend);
    const provider = await open([first.url, second.url]);
    const seqs: number[] = [];
    const types: string[] = [];
    await provider.getAddress('1001').addCallObserver((ev) => {
      seqs.push(ev.seq);
      types.push(ev.type);
    });
    const restored: boolean[] = [];
    provider.on('connectionRestored', (e) => restored.push(e.resumed));
    const p = backend.onlyProvider.providerId;
    const ringing = inboundRinging('c-7', '1002', '1001', 'SEP1001');
    backend.emit(p, ringing.slice(0, 4));
    await until(() => seqs.length === 4, 'the first events');
    first.cut();
    // Emitted while no session is attached: kept in the ring for the resume.
    backend.emit(p, ringing.slice(4));
    await until(() => seqs.length === ringing.length, 'the missed events');
    backend.emit(
      p,
      callEvents('c-7', { callingAddress: '1002', callingTerminal: null, calledAddress: '1001' }).established('1001'),
    );
    await until(() => seqs.length === ringing.length + 2, 'events after the resume');
    expect(restored).toEqual([true]);
    expect(provider.providerId).toBe(p);
    expect(seqs).toEqual(Array.from({ length: ringing.length + 2 }, (_, i) => i + 1));
    expect(provider.server).toBe(second.url);
    expect(provider.getCall('c-7')?.getConnection('1001')?.state).toBe('CONNECTED');
    const resume = backend.requests.filter((r) => r.method === 'provider.open').at(-1);
    expect(resume?.params.resume).toEqual({ providerId: p, afterSeq: 4 });
  });

  it('when the resume is refused the provider opens anew, re-adds its observers and says resync', async () => {
    const backend = new FakeBackend();
    const first = await server(backend);
    const second = await server(backend);
    const provider = await open([first.url, second.url]);
    const events: CallEvent[] = [];
    const resyncs: ResyncEvent[] = [];
    provider.on('resync', (e) => resyncs.push(e));
    await provider.getAddress('1001').addCallObserver((ev) => void events.push(ev));
    await provider.getTerminal('SEP1002').addCallObserver(() => {});
    const oldId = provider.providerId;
    backend.emit(oldId, inboundRinging('c-8', '1002', '1001', 'SEP1001').slice(0, 2));
    await until(() => events.length === 2, 'the first events');
    backend.allowResume = false;
    backend.snapshotFor = (target) =>
      target.name === '1001' ? inboundRinging('c-8', '1002', '1001', 'SEP1001').map((e) => ({ ...e, cause: 110 })) : [];
    first.cut();
    await until(() => events.length === 12, 'the snapshot after the re-add');
    await until(() => backend.requests.filter((r) => r.method === 'observer.add').length === 4, 'both re-adds');
    expect(provider.providerId).not.toBe(oldId);
    expect(resyncs).toEqual([{ reason: 'reopened', dropped: undefined, seq: 0 }]);
    const adds = backend.requests.filter((r) => r.method === 'observer.add').slice(2);
    expect(adds.map((r) => r.params.target)).toEqual([
      { kind: 'address', name: '1001' },
      { kind: 'terminal', name: 'SEP1002' },
    ]);
    expect(adds.every((r) => r.params.providerId === provider.providerId)).toBe(true);
    expect(provider.getCall('c-8')?.getConnection('1001')?.state).toBe('ALERTING');
  });

  it('an event whose seq was already applied is dropped, so a replay overlapping the stream is told once', async () => {
    const s = await server();
    const provider = await open([s.url]);
    const seqs: number[] = [];
    await provider.getAddress('1001').addCallObserver((ev) => void seqs.push(ev.seq));
    const p = s.backend.onlyProvider;
    const sent = s.backend.emit(p.providerId, inboundRinging('c-12', '1002', '1001', 'SEP1001').slice(0, 3));
    p.session?.send({ kind: 'events', providerId: p.providerId, events: sent.slice(1) });
    s.backend.emit(p.providerId, inboundRinging('c-12', '1002', '1001', 'SEP1001').slice(3, 4));
    await until(() => seqs.includes(4), 'the fourth event');
    expect(seqs).toEqual([1, 2, 3, 4]);
  });

  it('a gap in the sequence is filled with provider.snapshot and surfaced as resync (gap)', async () => {
    const s = await server();
    const provider = await open([s.url]);
    await provider.getAddress('1001').addCallObserver(() => {});
    const resyncs: ResyncEvent[] = [];
    provider.on('resync', (e) => resyncs.push(e));
    const p = s.backend.onlyProvider;
    const events = inboundRinging('c-13', '1002', '1001', 'SEP1001');
    s.backend.emit(p.providerId, events.slice(0, 2));
    p.session = undefined; // the next two are lost on the way
    s.backend.emit(p.providerId, events.slice(2, 4));
    p.session = s.sessions[0];
    s.backend.emit(p.providerId, events.slice(4, 5));
    await until(() => resyncs.length === 1, 'the resync');
    expect(resyncs[0]).toEqual({ reason: 'gap', dropped: 2, seq: 5 });
    expect(s.backend.requests.at(-1)?.method).toBe('provider.snapshot');
  });

  it('a resync frame rebuilds the model from its snapshot and is surfaced as a resync event', async () => {
    const s = await server();
    const provider = await open([s.url]);
    await provider.getAddress('1001').addCallObserver(() => {});
    const p = s.backend.onlyProvider;
    s.backend.emit(p.providerId, inboundRinging('c-10', '1002', '1001', 'SEP1001'));
    await until(() => provider.getCall('c-10') !== undefined && provider.seq === 10, 'the call');
    const resyncs: ResyncEvent[] = [];
    provider.on('resync', (e) => resyncs.push(e));
    p.seq = 250;
    p.session?.send({
      kind: 'resync',
      providerId: p.providerId,
      reason: 'slow-consumer',
      dropped: 240,
      snapshot: {
        ...s.backend.opened(p, false),
        seq: 250,
        calls: [
          {
            callId: 'c-11',
            state: 'ACTIVE',
            callingAddress: '1002',
            calledAddress: '1001',
            lastRedirectedAddress: null,
            currentCallingAddress: '1002',
            currentCalledAddress: '1001',
            callingName: 'Grace Hopper',
            currentCallingName: 'Grace Hopper',
            connections: [
              {
                address: '1002',
                connectionState: 'CONNECTED',
                callControlState: 'ESTABLISHED',
                reason: 1,
                terminalConnections: [],
              },
              {
                address: '1001',
                connectionState: 'CONNECTED',
                callControlState: 'ESTABLISHED',
                reason: 1,
                terminalConnections: [
                  {
                    terminal: 'SEP1001',
                    terminalConnectionState: 'ACTIVE',
                    callControlTerminalConnectionState: 'TALKING',
                  },
                ],
              },
            ],
          },
        ],
      },
    });
    await until(() => resyncs.length === 1, 'the resync event');
    expect(resyncs[0]).toEqual({ reason: 'slow-consumer', dropped: 240, seq: 250 });
    expect(provider.getCall('c-10')).toBeUndefined();
    expect(provider.getCall('c-11')?.getConnection('1001')?.getTerminalConnection('SEP1001')?.callControlState).toBe(
      'TALKING',
    );
    expect(provider.getCall('c-11')?.callingName).toBe('Grace Hopper');
    expect(provider.seq).toBe(250);
  });
});
