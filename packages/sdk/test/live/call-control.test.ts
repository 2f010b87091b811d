import { beforeAll, describe, expect, it } from 'vitest';
import {
  AccessToDeviceDeniedError,
  InvalidStateError,
  LineRestrictedError,
  PrivilegeViolationError,
  ResourceUnavailableError,
  openProvider,
  type Call,
  type CallEvent,
  type Provider,
  type TerminalConnection,
} from '../../src/index.js';
import type { TestPhone } from '../../../server/test/support/test-phone.js';
import { type PhoneCall } from '../../../server/test/support/test-phone.js';
import { phoneDevices, waitUntil } from '../../../server/test/support/leftovers.js';
import { RtpListener } from '../../../server/test/support/rtp-listener.js';
import { decodeTelephoneEvent } from '@strowger/media';
import { useLiveCti, type LiveCti } from '../support/live-cti.js';

/**
 * Call control through the SDK against a live server and real SIP phones (Strowger's test phone,
 * which answers by itself like a phone asked to auto-answer, or only on a talk event): click-to-dial, answer, hold, unhold and drop from CTI,
 * consult and transfer driven entirely by CTI — each checking the events the application saw and
 * that no call or leg is left — and the documented refusals, which change nothing.
 */
const config = `
settings: { sipRealm: strowger, callParkRange: '7900-7901', callParkReversionSeconds: 30 }
lines:
  - { dn: '7101', maxCalls: 4, busyTrigger: 4 }
  - { dn: '7102', maxCalls: 4, busyTrigger: 4, pickupGroup: desk }
  - { dn: '7103', maxCalls: 4, busyTrigger: 4, pickupGroup: desk }
  - { dn: '7104', allowCtiControl: false }
  - { dn: '7105' }
devices:
${phoneDevices(['7101', '7102', '7103', '7104', '7105'])}
applicationUsers:
  - { userId: ctl, password: ctl-secret, devices: [SEP000000007101, SEP000000007102, SEP000000007103, SEP000000007104], groups: ['Standard CTI Enabled'] }
`;

const fixture = useLiveCti(config);
let live: LiveCti;
beforeAll(() => {
  live = fixture.live;
});
const phone = (dn: string): Promise<TestPhone> => fixture.phone(dn);

async function nthCall(p: TestPhone, n: number): Promise<PhoneCall> {
  await waitUntil(() => p.calls.length >= n, 5000);
  const call = p.calls[n - 1];
  if (call === undefined) throw new Error(`${p.dn} did not get call ${n}`);
  return call;
}

async function observe(addresses: string[]): Promise<{ provider: Provider; seen: CallEvent[] }> {
  const provider = await openProvider({ servers: [live.ctiUrl], user: 'ctl', password: 'ctl-secret' });
  fixture.track(provider);
  const seen: CallEvent[] = [];
  for (const address of addresses) await provider.getAddress(address).addCallObserver((ev) => void seen.push(ev));
  return { provider, seen };
}

const types = (seen: CallEvent[], filter: (ev: CallEvent) => boolean = () => true): string[] =>
  seen.filter(filter).map((ev) => {
    if ('terminalConnectionState' in ev) return `${ev.type} ${ev.terminal}`;
    if ('connectionState' in ev) return `${ev.type} ${ev.address}`;
    return ev.type;
  });

async function ringingAt(seen: CallEvent[], terminal: string): Promise<TerminalConnection> {
  await waitUntil(() => seen.some((e) => e.type === 'CallCtlTermConnRingingEv' && e.terminal === terminal), 5000);
  const ev = seen.find((e) => e.type === 'CallCtlTermConnRingingEv' && e.terminal === terminal);
  if (ev === undefined || !('terminalConnection' in ev)) throw new Error(`${terminal} never rang`);
  return ev.terminalConnection;
}

describe('click-to-dial (Call.connect, RFC 3725)', () => {
  it('MUST call the phone with auto-answer, then the number, and report §2.7’s outbound sequence', async () => {
    const clicker = await phone('7101');
    const callee = await phone('7102');
    const { provider, seen } = await observe(['7101']);
    const call = provider.createCall();
    const connections = await call.connect('SEP000000007101', '7101', '7102');
    expect(connections.map((c) => c.address.name)).toEqual(['7101', '7102']);
    await waitUntil(() => seen.some((e) => e.type === 'CallCtlTermConnTalkingEv' && e.terminal === 'SEP000000007102'));
    expect(new Set(seen.map((e) => e.callId)), 'the call id the application chose').toEqual(new Set([call.callId]));
    expect(clicker.autoAnswerRequests, 'RFC 5373 and Call-Info auto-answer').toEqual([
      { answerMode: 'Auto', callInfo: expect.stringMatching(/;answer-after=0$/) as unknown },
    ]);
    const clickerCall = await nthCall(clicker, 1);
    expect(clickerCall.invite?.body.length, 'the phone is called without an offer').toBe(0);
    const calleeCall = await nthCall(callee, 1);
    expect(calleeCall.remoteSdp, 'the callee got the clicking phone’s offer').toBe(clickerCall.offersMade[0]);
    expect(types(seen).slice(0, 14)).toEqual([
      'CallActiveEv',
      'ConnCreatedEv 7101',
      'ConnConnectedEv 7101',
      'CallCtlConnInitiatedEv 7101',
      'TermConnCreatedEv SEP000000007101',
      'TermConnRingingEv SEP000000007101',
      'CallCtlTermConnRingingEv SEP000000007101',
      'TermConnActiveEv SEP000000007101',
      'CallCtlTermConnTalkingEv SEP000000007101',
      'CallCtlConnDialingEv 7101',
      'CallCtlConnEstablishedEv 7101',
      'ConnCreatedEv 7102',
      'ConnAlertingEv 7102',
      'CallCtlConnAlertingEv 7102',
    ]);
    await call.drop();
    await waitUntil(() => clickerCall.ended && calleeCall.ended, 5000);
    expect(clickerCall.ended && calleeCall.ended).toBe(true);
    await waitUntil(() => seen.some((e) => e.type === 'CallObservationEndedEv'));
    expect(call.state).toBe('INVALID');
  });

  it('MUST be refused outside the domain, on a restricted line, and without a call observer — changing nothing', async () => {
    await phone('7101');
    const { provider } = await observe(['7102']);
    await expect(provider.createCall().connect('SEP000000007105', '7105', '7101')).rejects.toBeInstanceOf(
      AccessToDeviceDeniedError,
    );
    await expect(provider.createCall().connect('SEP000000007104', '7104', '7101')).rejects.toBeInstanceOf(
      LineRestrictedError,
    );
    await expect(provider.createCall().connect('SEP000000007101', '7101', '7102')).rejects.toBeInstanceOf(
      InvalidStateError,
    );
    expect(live.server.strowger.engine.callCount).toBe(0);
  });
});

describe('answer, hold, unhold and drop from CTI', () => {
  it('MUST answer a ringing phone by a talk event, hold it with music for the far party, retrieve it and drop it', async () => {
    const caller = await phone('7101');
    const callee = await phone('7102');
    callee.incoming = 'ring-until-talk';
    const { seen } = await observe(['7102']);
    const placed = caller.call('7102');
    const tc = await ringingAt(seen, 'SEP000000007102');
    await expect(tc.hold(), 'a ringing call cannot be held').rejects.toBeInstanceOf(InvalidStateError);
    await tc.answer();
    expect(tc.callControlState).toBe('TALKING');
    const callerCall = await placed;
    const calleeCall = await nthCall(callee, 1);

    await tc.hold();
    expect(tc.callControlState).toBe('HELD');
    expect(calleeCall.reinvites, 'the held phone is asked for its offer').toEqual([undefined]);
    await waitUntil(() => callerCall.reinvites.length === 1);
    expect(callerCall.reinvites[0], 'the far party is sent music, send-only').toMatch(/a=sendonly/);

    await tc.unhold();
    expect(tc.callControlState).toBe('TALKING');
    await waitUntil(() => callerCall.reinvites.length === 2);
    expect(callerCall.reinvites[1]).toMatch(/a=sendrecv/);

    await tc.connection.disconnect();
    await waitUntil(() => calleeCall.ended && callerCall.ended, 5000);
    expect(calleeCall.ended && callerCall.ended).toBe(true);
    await waitUntil(() => seen.some((e) => e.type === 'CallObservationEndedEv'));
    expect(
      types(seen, (e) => e.type.startsWith('CallCtlTermConn') && 'terminal' in e && e.terminal === 'SEP000000007102'),
    ).toEqual([
      'CallCtlTermConnRingingEv SEP000000007102',
      'CallCtlTermConnTalkingEv SEP000000007102',
      'CallCtlTermConnHeldEv SEP000000007102',
      'CallCtlTermConnTalkingEv SEP000000007102',
      'CallCtlTermConnDroppedEv SEP000000007102',
    ]);
  });

  it('redirect MUST need the calling-number role to change the calling number, and fail for a number that reaches nothing', async () => {
    const caller = await phone('7101');
    const callee = await phone('7102');
    callee.incoming = 'ring';
    const { seen } = await observe(['7102']);
    const placed = caller.call('7102');
    const tc = await ringingAt(seen, 'SEP000000007102');
    const connection = tc.connection;
    await expect(connection.redirect('7103', { callingNumber: '5555' })).rejects.toBeInstanceOf(
      PrivilegeViolationError,
    );
    await expect(connection.redirect('7105')).rejects.toBeInstanceOf(ResourceUnavailableError);
    expect(tc.callControlState, 'a refused redirect leaves the call ringing').toBe('RINGING');
    const target = await phone('7103');
    await connection.redirect('7103');
    const redirected = await placed;
    await nthCall(target, 1);
    await redirected.hangUp();
  });
});

describe('consult and transfer driven by CTI', () => {
  it('MUST hold the first call, consult from the same phone, and transfer the held party to the consulted one', async () => {
    const a = await phone('7101');
    const b = await phone('7102');
    const c = await phone('7103');
    const { provider, seen } = await observe(['7102']);
    const aCall = await a.call('7102');
    await waitUntil(() => seen.some((e) => e.type === 'CallCtlTermConnTalkingEv' && e.terminal === 'SEP000000007102'));
    const first = provider.calls[0];
    const tc = first?.getConnection('7102')?.getTerminalConnection('SEP000000007102');
    if (first === undefined || tc === undefined) throw new Error('the first call was not seen');

    const consult = provider.createCall();
    const consultConnections = await consult.consult(tc, '7103');
    expect(consultConnections[0]?.address.name).toBe('7102');
    expect(tc.callControlState).toBe('HELD');
    expect(b.autoAnswerRequests, 'the consult leg asked the phone to answer by itself').toHaveLength(1);
    await waitUntil(() =>
      seen.some(
        (e) => e.callId === consult.callId && e.type === 'CallCtlTermConnTalkingEv' && e.terminal === 'SEP000000007103',
      ),
    );

    await first.transfer(consult);
    const cCall = await nthCall(c, 1);
    await waitUntil(() => (b.calls[0]?.ended ?? false) && (b.calls[1]?.ended ?? false), 5000);
    expect(consult.state).toBe('INVALID');
    expect(types(seen, (e) => e.type === 'CiscoTransferStartEv' || e.type === 'CiscoTransferEndEv')).toEqual([
      'CiscoTransferStartEv',
      'CiscoTransferStartEv',
      'CiscoTransferEndEv',
      'CiscoTransferEndEv',
    ]);
    await aCall.hangUp();
    await waitUntil(() => cCall.ended, 5000);
    expect(cCall.ended).toBe(true);
  });
});

/** 7101 calls 7102, which answers; 7102 observed: the call, its terminal connection at 7102, and what was seen. */
async function talkingAt7102(): Promise<{
  provider: Provider;
  seen: CallEvent[];
  aCall: PhoneCall;
  call: Call;
  tc: TerminalConnection;
}> {
  const a = await phone('7101');
  const { provider, seen } = await observe(['7102']);
  const aCall = await a.call('7102');
  await waitUntil(() => seen.some((e) => e.type === 'CallCtlTermConnTalkingEv' && e.terminal === 'SEP000000007102'));
  const call = provider.calls[0];
  const tc = call?.getConnection('7102')?.getTerminalConnection('SEP000000007102');
  if (call === undefined || tc === undefined) throw new Error('the call was not seen');
  return { provider, seen, aCall, call, tc };
}

describe('add a party driven by CTI (single-step conference)', () => {
  it('addParty MUST call the new party and, once it answers, put all three on the conference bridge', async () => {
    const b = await phone('7102');
    const c = await phone('7103');
    const { seen, aCall, call, tc } = await talkingAt7102();
    const a = aCall.phone;
    await call.addParty('7103', { controller: tc });
    expect(types(seen, (e) => e.type === 'CiscoConferenceStartEv' || e.type === 'CiscoConferenceEndEv')).toEqual([
      'CiscoConferenceStartEv',
      'CiscoConferenceStartEv',
      'CiscoConferenceEndEv',
      'CiscoConferenceEndEv',
    ]);
    // A was moved to a port of the bridge: its last re-INVITE offers the server's media.
    await waitUntil(() => c.calls.length === 1 && aCall.reinvites.length >= 2, 5000);
    // Everyone leaves the conference.
    for (const party of [a, b, c])
      for (const leg of party.calls) if (leg.dialog.state !== 'terminated') await leg.hangUp();
  });

  it('addParty MUST fail and leave the call as it was when the new party does not answer', async () => {
    await phone('7102');
    const c = await phone('7103');
    c.incoming = { refuse: 486 };
    const { aCall, call, tc } = await talkingAt7102();
    await expect(call.addParty('7103', { controller: tc })).rejects.toBeInstanceOf(ResourceUnavailableError);
    await waitUntil(() => tc.callControlState === 'TALKING', 5000);
    await aCall.hangUp();
  });
});

describe('forward all set by CTI', () => {
  it('MUST take effect on the next call, be reported as CallCtlAddrForwardEv, and stop when cancelled', async () => {
    const a = await phone('7101');
    const b = await phone('7102');
    const c = await phone('7103');
    const { provider } = await observe(['7103']);
    const told: string[] = [];
    provider.on('providerEvent', (ev) => {
      if (ev.type === 'CallCtlAddrForwardEv')
        told.push(`${ev.name} → ${ev.forwardAll === null ? 'off' : JSON.stringify(ev.forwardAll)}`);
    });
    const line = provider.getAddress('7103');
    await line.setForwarding('7102');
    expect(await line.getForwarding()).toMatchObject({ all: { destination: '7102' }, allSetByApplication: true });
    const forwarded = await a.call('7103');
    await nthCall(b, 1);
    expect(c.calls).toHaveLength(0);
    await forwarded.hangUp();
    await line.cancelForwarding();
    const direct = await a.call('7103');
    await nthCall(c, 1);
    await direct.hangUp();
    await waitUntil(() => told.length === 2);
    expect(told).toEqual(['7103 → {"destination":"7102"}', '7103 → off']);
  });
});

describe('DTMF by CTI', () => {
  it('generated digits MUST reach the far party as SIP INFO, one per digit; a phone’s own MUST reach observers', async () => {
    const a = await phone('7101');
    const b = await phone('7102');
    const { provider, seen } = await observe(['7101']);
    const call = await a.call('7102');
    await waitUntil(() => seen.some((e) => e.type === 'CallCtlTermConnTalkingEv' && e.terminal === 'SEP000000007102'));
    const tc = provider.calls[0]?.getConnection('7101')?.getTerminalConnection('SEP000000007101');
    if (tc === undefined) throw new Error('the call was not seen');
    await tc.generateDtmf('4#');
    // And the other way: a key the phone sends as SIP INFO reaches the observer as MediaTermConnDtmfEv.
    await a.send(
      call.dialog,
      'INFO',
      [{ name: 'Content-Type', value: 'application/dtmf-relay' }],
      'Signal=7\r\nDuration=160\r\n',
    );
    await waitUntil(() => seen.some((e) => e.type === 'MediaTermConnDtmfEv'));
    const pressed = seen.find((e) => e.type === 'MediaTermConnDtmfEv');
    expect(
      pressed?.type === 'MediaTermConnDtmfEv' && [pressed.digit, pressed.terminalConnection.terminal.name],
    ).toEqual(['7', 'SEP000000007101']);
    const far = await nthCall(b, 1);
    expect(far.infos).toEqual([
      'application/dtmf-relay\nSignal=4\r\nDuration=160\r\n',
      'application/dtmf-relay\nSignal=#\r\nDuration=160\r\n',
      // The phone's own key goes on to the far party too.
      'application/dtmf-relay\nSignal=7\r\nDuration=160\r\n',
    ]);
    await call.hangUp();
  });
});

describe('DTMF by CTI to a phone that takes no SIP INFO', () => {
  it('generated digits MUST reach it as RFC 4733 telephone-events in RTP, and the parties MUST be joined again', async () => {
    const a = await phone('7101');
    const b = await phone('7102');
    const listener = await RtpListener.open();
    try {
      b.infoStatus = 415;
      b.telephoneEvent = true;
      b.mediaPort = listener.port;
      const { seen } = await observe(['7101']);
      const call = await a.call('7102');
      await waitUntil(() =>
        seen.some((e) => e.type === 'CallCtlTermConnTalkingEv' && e.terminal === 'SEP000000007101'),
      );
      const talking = seen.find((e) => e.type === 'CallCtlTermConnTalkingEv' && e.terminal === 'SEP000000007101');
      if (talking === undefined || !('terminalConnection' in talking)) throw new Error('7101 never talked');
      await talking.terminalConnection.generateDtmf('12');
      const events = listener.packets
        .filter((p) => p.payloadType === 101)
        .map((p) => decodeTelephoneEvent(p.payload))
        .filter((e) => e?.end === true)
        .map((e) => e?.event);
      expect([...new Set(events)]).toEqual([1, 2]);
      // B was sent back to A's media afterwards.
      const bCall = b.calls[0];
      await waitUntil(() => (bCall?.reinvites.at(-1) ?? '').includes(`m=audio ${40000 + 7101 * 2} `));
      await call.hangUp();
    } finally {
      await listener.close();
    }
  });
});

describe('message waiting set by CTI', () => {
  it('MUST light the phone’s lamp with a message-summary NOTIFY (RFC 3842), report it, and put it out again', async () => {
    const b = await phone('7102');
    const { provider } = await observe(['7102']);
    const told: boolean[] = [];
    provider.on('providerEvent', (ev) => {
      if (ev.type === 'CallCtlAddrMessageWaitingEv') told.push(ev.waiting);
    });
    const line = provider.getAddress('7102');
    await line.setMessageWaiting(true);
    expect(await line.getMessageWaiting()).toBe(true);
    await waitUntil(() => b.messageSummaries.length === 1);
    expect(b.messageSummaries[0]).toMatch(/^Messages-Waiting: yes\r\nMessage-Account: sip:7102@/);
    await line.setMessageWaiting(false);
    await waitUntil(() => b.messageSummaries.length === 2 && told.length === 2);
    expect(b.messageSummaries[1]).toMatch(/^Messages-Waiting: no\r\n/);
    expect(told).toEqual([true, false]);
  });
});

describe('message waiting to a subscribed phone', () => {
  it('a phone that subscribes to message-summary MUST be told at once and at each change in its subscription, and nothing unsolicited', async () => {
    const b = await phone('7102');
    const { provider } = await observe(['7102']);
    const subscribed = await b.subscribeMwi('7102', 600);
    expect(subscribed).toMatchObject({ status: 200, expires: '600' });
    await waitUntil(() => b.mwiNotifies.length === 1);
    expect(b.mwiNotifies[0]?.state).toBe('active;expires=600');
    expect(b.mwiNotifies[0]?.body).toMatch(/^Messages-Waiting: no\r\nMessage-Account: sip:7102@/);
    const line = provider.getAddress('7102');
    await line.setMessageWaiting(true);
    await waitUntil(() => b.mwiNotifies.length === 2);
    expect(b.mwiNotifies[1]).toMatchObject({ state: 'active' });
    expect(b.mwiNotifies[1]?.body).toMatch(/^Messages-Waiting: yes\r\n/);
    expect(b.messageSummaries).toEqual([]);
    // Ended by the phone (Expires: 0): a last NOTIFY, then the lamp's changes go unsolicited again.
    const ended = await b.send(subscribed.dialog!, 'SUBSCRIBE', [
      { name: 'Event', value: 'message-summary' },
      { name: 'Expires', value: '0' },
    ]);
    expect(ended.status).toBe(200);
    await waitUntil(() => b.mwiNotifies.length === 3);
    expect(b.mwiNotifies[2]?.state).toMatch(/^terminated/);
    await line.setMessageWaiting(false);
    await waitUntil(() => b.messageSummaries.length === 1);
    expect(b.messageSummaries[0]).toMatch(/^Messages-Waiting: no\r\n/);
  });

  it('a subscription to another device’s line, too short, or to another event MUST be refused', async () => {
    const b = await phone('7102');
    expect((await b.subscribeMwi('7101')).status).toBe(404);
    expect((await b.subscribeMwi('7102', 10)).status).toBe(423);
    expect((await b.subscribeMwi('7102', 600, 'presence')).status).toBe(489);
  });
});

describe('call park by CTI', () => {
  it('park MUST release the parking phone and hold the other party on music at a park number; unpark MUST bring it to the retrieving phone', async () => {
    const a = await phone('7101');
    const b = await phone('7102');
    const c = await phone('7103');
    const { provider, seen } = await observe(['7101', '7102', '7103']);
    const call = await a.call('7102');
    const talking = await (async () => {
      await waitUntil(() =>
        seen.some((e) => e.type === 'CallCtlTermConnTalkingEv' && e.terminal === 'SEP000000007102'),
      );
      const ev = seen.find((e) => e.type === 'CallCtlTermConnTalkingEv' && e.terminal === 'SEP000000007102');
      if (ev === undefined || !('terminalConnection' in ev)) throw new Error('7102 never talked');
      return ev.terminalConnection;
    })();
    const parkNumber = await talking.park();
    expect(parkNumber).toBe('7900');
    const parkedByB = b.calls[0];
    await waitUntil(() => parkedByB?.ended === true);
    // The parked party was re-INVITEd to the music (the server's own media, sendonly).
    await waitUntil(() => call.reinvites.length >= 1);
    expect(call.reinvites.at(-1)).toContain('a=sendonly');
    const parked = seen.find(
      (e) => e.type === 'CallCtlConnDisconnectedEv' && 'connection' in e && e.connection.address.name === '7102',
    );
    expect(parked).toMatchObject({ callControlCause: 209, featureReason: 10 });

    const callId = await provider.getTerminal('SEP000000007103').unpark('7103', parkNumber);
    expect(callId).toBe(talking.connection.call.callId);
    await waitUntil(() => c.calls.length === 1 && call.reinvites.length >= 2);
    expect(c.autoAnswerRequests).toHaveLength(1);
    expect(call.reinvites.at(-1)).toContain(`m=audio ${40000 + 7103 * 2} `);
    await call.hangUp();
    await waitUntil(() => c.calls[0]?.ended === true);
  });

  it('unpark MUST be refused when nothing is parked at the number, changing nothing', async () => {
    await phone('7103');
    const { provider } = await observe(['7103']);
    await expect(provider.getTerminal('SEP000000007103').unpark('7103', '7901')).rejects.toBeInstanceOf(
      InvalidStateError,
    );
  });
});

describe('do not disturb set by CTI', () => {
  it('MUST make the phone’s line busy to callers until switched off, and report it', async () => {
    const a = await phone('7101');
    const b = await phone('7102');
    const { provider } = await observe(['7102']);
    const told: boolean[] = [];
    provider.on('providerEvent', (ev) => {
      if (ev.type === 'CallCtlTermDoNotDisturbEv') told.push(ev.on);
    });
    const terminal = provider.getTerminal('SEP000000007102');
    await terminal.setDoNotDisturb(true);
    expect(await terminal.getDoNotDisturb()).toBe(true);
    await expect(a.call('7102')).rejects.toThrow(/486/);
    expect(b.calls).toHaveLength(0);
    await terminal.setDoNotDisturb(false);
    const call = await a.call('7102');
    await call.hangUp();
    await waitUntil(() => told.length === 2);
    expect(told).toEqual([true, false]);
  });
});

describe('directed pickup by CTI', () => {
  it('MUST move a ringing call to the picking phone, which answers by itself', async () => {
    const a = await phone('7101');
    const b = await phone('7102');
    const c = await phone('7103');
    b.incoming = 'ring';
    const { provider, seen } = await observe(['7102', '7103']);
    const placed = a.call('7102');
    await ringingAt(seen, 'SEP000000007102');
    await provider.getTerminal('SEP000000007103').pickup('7102', '7103');
    const call = await placed;
    const picked = await nthCall(c, 1);
    expect(c.autoAnswerRequests).toHaveLength(1);
    expect(
      seen.some((e) => e.type === 'CallCtlConnDisconnectedEv' && e.address === '7102' && e.callControlCause === 206),
    ).toBe(true);
    await call.hangUp();
    await waitUntil(() => picked.ended);
  });

  it('group pickup MUST take the call ringing in the line’s pickup group; with nothing ringing it MUST be refused', async () => {
    const a = await phone('7101');
    const b = await phone('7102');
    const c = await phone('7103');
    b.incoming = 'ring';
    const { provider, seen } = await observe(['7102', '7103']);
    const picker = provider.getTerminal('SEP000000007103');
    await expect(picker.pickupFromGroup('7103')).rejects.toBeInstanceOf(InvalidStateError);
    const placed = a.call('7102');
    await ringingAt(seen, 'SEP000000007102');
    await picker.pickupFromGroup('7103');
    const call = await placed;
    const picked = await nthCall(c, 1);
    expect(c.autoAnswerRequests).toHaveLength(1);
    await call.hangUp();
    await waitUntil(() => picked.ended);
  });
});
