import { beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  ResourceUnavailableError,
  openProvider,
  type Connection,
  type Provider,
  type ProviderEvent,
  type TerminalConnection,
  type RouteCallback,
  type RouteSession,
} from '../../src/index.js';
import { MediaPort, type PortCall } from '../../src/node/index.js';
import { phoneDevices, waitUntil } from '../../../server/test/support/leftovers.js';
import { useLiveCti, type LiveCti } from '../support/live-cti.js';

/**
 * CTI route points and ports through the SDK against a live server and real SIP phones (domain
 * reference §1.2, §1.3, §2.9): route requests answered with selectRoute (a failed destination
 * reported as a re-route), the route timeout falling back to forward no answer, a port answering
 * with its RTP address and told where to send, a standby instance taking a route point over, and an
 * application's failure sending a waiting call to forward on CTI failure.
 */
const config = `
settings: { sipRealm: strowger }
lines:
  - { dn: '1001', maxCalls: 4, busyTrigger: 4 }
  - { dn: '1002', maxCalls: 4, busyTrigger: 4 }
  - { dn: '7000', forward: { noAnswer: { destination: '1002' }, ctiFailure: { destination: '1002' } } }
  - { dn: '7101' }
  - { dn: '7102' }
devices:
${phoneDevices(['1001', '1002'])}
  - { name: IVR_RP, type: cti-route-point, lines: ['7000'] }
  - { name: IVR_P1, type: cti-port, lines: ['7101'] }
  - { name: IVR_P2, type: cti-port, lines: ['7102'] }
lineGroups:
  - { name: desk-then-ports, algorithm: top-down, rnaTimeoutSeconds: 5, members: ['1002', '7101', '7102'] }
huntLists:
  - { name: answering, lineGroups: [desk-then-ports] }
huntPilots:
  - { pattern: '2000', huntList: answering, maxHuntSeconds: 30 }
applicationUsers:
  - { userId: ivr, password: ivr-secret, devices: [IVR_RP, IVR_P1, IVR_P2, SEP000000001001], groups: ['Standard CTI Enabled'] }
`;

const fixture = useLiveCti(config);
let live: LiveCti;
beforeAll(() => {
  live = fixture.live;
});

async function open(): Promise<{ provider: Provider; events: ProviderEvent[] }> {
  const provider = fixture.track(await openProvider({ servers: [live.ctiUrl], user: 'ivr', password: 'ivr-secret' }));
  const events: ProviderEvent[] = [];
  provider.on('providerEvent', (event) => events.push(event));
  return { provider, events };
}

/** A route callback that keeps every session for the test, and does nothing else unless told. */
function recordingCallback(onRoute: (session: RouteSession) => void | Promise<void> = () => undefined): {
  callback: RouteCallback;
  sessions: RouteSession[];
  log: string[];
} {
  const sessions: RouteSession[] = [];
  const log: string[] = [];
  return {
    sessions,
    log,
    callback: {
      routeEvent: (session) => {
        sessions.push(session);
        log.push(`route ${session.callingAddress}→${session.calledAddress}`);
        return onRoute(session);
      },
      reRouteEvent: (_session, event) => void log.push(`reroute ${event.route} ${event.cause}`),
      routeUsedEvent: (_session, event) => void log.push(`used ${event.routeUsed} #${event.index}`),
      routeEndEvent: (_session, event) => void log.push(`end ${event.cause}`),
    },
  };
}

describe('route points', () => {
  it('an unregistered route point MUST be out of service: a call to it fails (no forward unregistered configured)', async () => {
    const caller = await fixture.phone('1001');
    await expect(caller.call('7000')).rejects.toThrow(/480/);
  });

  it('selectRoute MUST send the call to the first destination that takes it, reporting each failure as a re-route', async () => {
    const caller = await fixture.phone('1001');
    const callee = await fixture.phone('1002');
    const { provider, events } = await open();
    const routed = recordingCallback(async (session) => {
      const used = await session.selectRoute(['9999', '1002']);
      expect(used).toEqual({ routeUsed: '1002', index: 1 });
    });
    expect(await provider.getAddress('7000').registerRouteCallback(routed.callback)).toEqual({ active: true });
    await waitUntil(() => provider.getTerminal('IVR_RP').inService, 5000);
    expect(events.map((e) => e.type)).toContain('CiscoTermInServiceEv');

    const call = await caller.call('7000');
    await waitUntil(() => callee.calls.length === 1 && routed.log.length >= 4, 5000);
    expect(routed.log).toEqual(['route 1001→7000', 'reroute 9999 103', 'used 1002 #1', 'end 100']);
    const [session] = routed.sessions;
    expect(session).toMatchObject({ callingAddress: '1001', calledAddress: '7000', originalCalledAddress: '7000' });
    expect(session?.state).toBe('ROUTE_END');
    await call.hangUp();
  });

  it('when the application neither selects nor ends in time, the line’s forward no answer MUST apply', async () => {
    const caller = await fixture.phone('1001');
    const callee = await fixture.phone('1002');
    const { provider } = await open();
    const routed = recordingCallback();
    await provider.getAddress('7000').registerRouteCallback(routed.callback, { routeSelectTimeoutMs: 500 });
    const call = await caller.call('7000');
    expect(callee.calls).toHaveLength(1);
    expect(routed.log).toEqual(['route 1001→7000', 'end 101']);
    await call.hangUp();
  });

  it('a standby instance MUST take the route point over when the active one goes, and get the next call', async () => {
    const caller = await fixture.phone('1001');
    await fixture.phone('1002');
    const first = await open();
    const second = await open();
    const one = recordingCallback((s) => s.selectRoute(['1002']).then(() => undefined));
    const activated: string[] = [];
    const two = recordingCallback((s) => s.selectRoute(['1002']).then(() => undefined));
    two.callback.routeCallbackActivatedEvent = (event) => void activated.push(event.routeAddress);
    expect(await first.provider.getAddress('7000').registerRouteCallback(one.callback)).toEqual({ active: true });
    expect(await second.provider.getAddress('7000').registerRouteCallback(two.callback)).toEqual({ active: false });

    await first.provider.shutdown();
    await waitUntil(() => activated.length === 1, 2000);
    expect(second.provider.getTerminal('IVR_RP').inService).toBe(true);
    const call = await caller.call('7000');
    expect(two.log[0]).toBe('route 1001→7000');
    expect(one.log).toEqual([]);
    await call.hangUp();
  });

  it('when the application goes with a call waiting, the call MUST follow forward on CTI failure', async () => {
    const caller = await fixture.phone('1001');
    const callee = await fixture.phone('1002');
    const { provider } = await open();
    const routed = recordingCallback();
    await provider.getAddress('7000').registerRouteCallback(routed.callback, { routeSelectTimeoutMs: 60_000 });
    const answered = caller.call('7000');
    await waitUntil(() => routed.sessions.length === 1, 5000);
    await provider.shutdown();
    const call = await answered;
    expect(callee.calls).toHaveLength(1);
    await call.hangUp();
  });

  it('registering a phone, or a port another application holds, MUST be refused', async () => {
    const { provider } = await open();
    const other = await open();
    await expect(provider.getTerminal('SEP000000001001').register({ kind: 'none' })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(
      provider.getTerminal('IVR_P2').register({ kind: 'static', address: 'ivr.example', port: 30000 }),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
    await provider.getTerminal('IVR_P2').register({ kind: 'static', address: '127.0.0.1', port: 30000 });
    await expect(
      other.provider.getTerminal('IVR_P2').register({ kind: 'static', address: '127.0.0.1', port: 30002 }),
    ).rejects.toBeInstanceOf(ResourceUnavailableError);
  });
});

describe('CTI ports', () => {
  it('a port MUST answer with the application’s RTP address and report where to send, and hang up from CTI', async () => {
    const caller = await fixture.phone('1001');
    const { provider, events } = await open();
    const port = await MediaPort.open(provider, 'IVR_P1');
    try {
      const calls: PortCall[] = [];
      port.onCall((call) => void calls.push(call));
      const call = await caller.call('7101');
      await waitUntil(() => calls.length === 1, 5000);
      // The phone was answered with the port's own RTP address.
      expect(call.remoteSdp).toContain(`m=audio ${port.media.local.port} RTP/AVP 0`);
      const started = events.find((e) => e.type === 'CiscoRTPOutputStartedEv');
      expect(started).toMatchObject({
        terminal: 'IVR_P1',
        codec: 'PCMU',
        remoteAddress: '127.0.0.1',
        remotePort: 42002,
      });
      expect(events.some((e) => e.type === 'CiscoRTPInputStartedEv')).toBe(true);
      await calls[0]?.hangup();
      await calls[0]?.ended;
      await waitUntil(() => events.some((e) => e.type === 'CiscoRTPOutputStoppedEv'), 5000);
    } finally {
      await port.close();
    }
    await waitUntil(() => !provider.getTerminal('IVR_P1').inService, 5000);
  });
});

describe('dynamic media registration', () => {
  it('a port registered with dynamic media MUST ask for each call’s RTP address and answer the caller with it', async () => {
    const caller = await fixture.phone('1001');
    const { provider, events } = await open();
    const port = provider.getTerminal('IVR_P2');
    const ringing: TerminalConnection[] = [];
    await port.addCallObserver((ev) => {
      if (ev.type === 'CallCtlTermConnRingingEv') ringing.push(ev.terminalConnection);
    });
    await port.register({ kind: 'dynamic', codecs: ['PCMA', 'PCMU'] });
    provider.on('providerEvent', (ev) => {
      if (ev.type === 'CiscoMediaOpenLogicalChannelEv')
        port.setRtpParams(ev.callId, '127.0.0.1', 31000).catch(() => undefined);
    });
    const placed = caller.call('7102');
    await waitUntil(() => ringing.length === 1, 5000);
    await ringing[0]!.answer();
    const call = await placed;
    expect(call.remoteSdp).toContain('m=audio 31000 RTP/AVP 0');
    const asked = events.find((e) => e.type === 'CiscoMediaOpenLogicalChannelEv');
    // The caller offered µ-law only: that is what the port may use, whatever it prefers.
    expect(asked).toMatchObject({ terminal: 'IVR_P2', codecs: ['PCMU'] });
    expect(events.find((e) => e.type === 'CiscoRTPInputStartedEv')).toMatchObject({
      address: '127.0.0.1',
      port: 31000,
    });
    await call.hangUp();
    await port.unregister();
  });

  it('a route point registered with dynamic media and no route callback MUST get calls OFFERED, to accept and answer itself', async () => {
    const caller = await fixture.phone('1001');
    const { provider } = await open();
    const routePoint = provider.getTerminal('IVR_RP');
    const offered: Connection[] = [];
    const ringing: TerminalConnection[] = [];
    await routePoint.addCallObserver((ev) => {
      if (ev.type === 'CallCtlConnOfferedEv') offered.push(ev.connection);
      if (ev.type === 'CallCtlTermConnRingingEv') ringing.push(ev.terminalConnection);
    });
    await routePoint.register({ kind: 'dynamic' });
    provider.on('providerEvent', (ev) => {
      if (ev.type === 'CiscoMediaOpenLogicalChannelEv')
        routePoint.setRtpParams(ev.callId, '127.0.0.1', 32000).catch(() => undefined);
    });
    const placed = caller.call('7000');
    await waitUntil(() => offered.length === 1, 5000);
    await offered[0]!.accept();
    await waitUntil(() => ringing.length === 1, 5000);
    await ringing[0]!.answer();
    const call = await placed;
    expect(call.remoteSdp).toContain('m=audio 32000 ');
    await call.hangUp();
    await routePoint.unregister();
  });
});

describe('call control on a port', () => {
  it('the application MUST hold and resume a port’s call (media stopped and started again) and transfer it to a phone', async () => {
    const caller = await fixture.phone('1001');
    const desk = await fixture.phone('1002');
    const { provider, events } = await open();
    const port = await MediaPort.open(provider, 'IVR_P1');
    try {
      const calls: PortCall[] = [];
      port.onCall((call) => void calls.push(call));
      const call = await caller.call('7101');
      await waitUntil(() => calls.length === 1, 5000);
      const portCall = calls[0]!;
      const tc = portCall.call.connections
        .flatMap((c) => c.terminalConnections)
        .find((t) => t.terminal.name === 'IVR_P1');
      const media = () => events.filter((e) => e.type.startsWith('CiscoRTP')).map((e) => e.type);
      await tc!.hold();
      await waitUntil(() => media().includes('CiscoRTPOutputStoppedEv'), 5000);
      // The caller hears music meanwhile: it was re-INVITEd away from the port.
      expect(call.reinvites.at(-1)).toContain('a=sendonly');
      await tc!.unhold();
      await waitUntil(() => media().filter((t) => t === 'CiscoRTPOutputStartedEv').length === 2, 5000);
      expect(call.reinvites.at(-1)).toContain(`m=audio ${port.media.local.port} `);

      await portCall.transfer('1002');
      await portCall.ended;
      await waitUntil(() => desk.calls.length === 1, 5000);
      await waitUntil(() => (call.reinvites.at(-1) ?? '').includes(`m=audio ${40000 + 1002 * 2} `), 5000);
      await call.hangUp();
    } finally {
      await port.close();
    }
  });
});

describe('hunting onto CTI ports', () => {
  it('a hunt pilot whose line group mixes a phone and ports MUST hunt past the busy phone and the busy port onto the free port', async () => {
    const caller = await fixture.phone('1001');
    const desk = await fixture.phone('1002');
    desk.incoming = { refuse: 486 };
    const { provider } = await open();
    const first = await MediaPort.open(provider, 'IVR_P1');
    const second = await MediaPort.open(provider, 'IVR_P2');
    try {
      const answeredOn: string[] = [];
      first.onCall(() => void answeredOn.push('IVR_P1'));
      second.onCall(() => void answeredOn.push('IVR_P2'));
      // The first port is busy with a call of its own.
      const occupying = await caller.call('7101');
      await waitUntil(() => answeredOn.length === 1, 5000);
      const hunted = await caller.call('2000');
      await waitUntil(() => answeredOn.length === 2, 5000);
      expect(answeredOn).toEqual(['IVR_P1', 'IVR_P2']);
      expect(hunted.remoteSdp).toContain(`m=audio ${second.media.local.port} `);
      await hunted.hangUp();
      await occupying.hangUp();
    } finally {
      await first.close();
      await second.close();
    }
  });
});
