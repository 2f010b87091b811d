import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, isStrowgerError } from '../core/index.js';
import type { SwitchConfig } from './config.js';
import type { CallEvent } from './events.js';
import { releaseCauses } from './ports.js';
import { harness, leftovers, line, phone, type Harness } from './test-support.js';

/**
 * The engine's event stream against the domain reference §2.4–2.7: every event of each sequence,
 * with its states, its three causes (core / call-control / Cisco), the connection's reason, and the
 * call's parties.
 */

const basic: SwitchConfig = {
  devices: [phone('SEP1001', ['1001']), phone('SEP1002', ['1002']), phone('SEP1003', ['1003'])],
  lines: [line('1001'), line('1002'), line('1003')],
};

let current: Harness | undefined;

function start(config: SwitchConfig, options?: { outOfService?: string[] }): Harness {
  current = harness(config, options);
  return current;
}

afterEach(() => {
  if (current === undefined) return;
  expect(leftovers(current), 'calls, legs or timers left behind').toEqual({ calls: 0, legs: 0, timers: 0 });
  current = undefined;
});

/** One event as a line: what it is about, its states, causes (core/call-control/Cisco) and reason. */
function describeEvent(e: CallEvent): string {
  const causes = `${e.cause}/${e.callControlCause ?? '-'}/${e.ciscoCause}`;
  switch (e.type) {
    case 'call.state':
      return `call ${e.state} ${causes}`;
    case 'connection.created':
      return `conn ${e.address} created ${e.reason}`;
    case 'connection.state':
      return `conn ${e.address} ${e.state}/${e.coreState} ${causes} ${e.reason}`;
    case 'terminalConnection.created':
      return `tc ${e.terminal} created`;
    case 'terminalConnection.state':
      return `tc ${e.terminal} ${e.state}/${e.coreState} ${causes}`;
    case 'terminalConnection.dtmf':
      return `tc ${e.terminal} dtmf ${e.digit}`;
    case 'call.transferStart':
    case 'call.transferEnd':
      return `${e.type} ${e.transferredCallId === e.finalCallId ? 'one call' : 'two calls'} by ${e.controllerTerminal}`;
    case 'call.conferenceStart':
    case 'call.conferenceEnd':
      return `${e.type} by ${e.controllerTerminal}`;
  }
}

function lines(events: readonly CallEvent[]): string[] {
  return events.map(describeEvent);
}

/** The parties events state, in the order they first appear: calling@terminal→called, now current, last redirected. */
function parties(events: readonly CallEvent[]): string[] {
  const seen = events.map(
    (e) =>
      `${e.callingAddress}@${e.callingTerminal ?? '-'}→${e.calledAddress} now ${e.currentCallingAddress}→${e.currentCalledAddress} last ${e.lastRedirectedAddress ?? '-'}`,
  );
  return [...new Set(seen)];
}

/** The originating side of a call from a SIP phone: §2.7's outbound sequence, en bloc. */
const callerStarts = (dn: string, device: string): string[] => [
  'call ACTIVE NEW_CALL/-/0',
  `conn ${dn} created DIRECTCALL`,
  `conn ${dn} INITIATED/CONNECTED NORMAL/-/0 DIRECTCALL`,
  `tc ${device} created`,
  `tc ${device} TALKING/ACTIVE NORMAL/-/0`,
  `conn ${dn} DIALING/CONNECTED NORMAL/-/0 DIRECTCALL`,
  `conn ${dn} ESTABLISHED/CONNECTED NORMAL/-/0 DIRECTCALL`,
];

async function ringing(h: Harness, from = 'SEP1001', dialled = '1002'): Promise<{ caller: string; callee: string }> {
  const caller = h.engine.originate({ device: from, dialled, offer: `offer of ${from}` });
  await h.settle();
  return { caller, callee: h.driver.alertFor(`SEP${dialled}`).leg };
}

async function talking(h: Harness, from = 'SEP1001', dialled = '1002'): Promise<{ caller: string; callee: string }> {
  const legs = await ringing(h, from, dialled);
  h.engine.answered(legs.callee, { answer: `answer of ${dialled}` });
  await h.settle();
  return legs;
}

describe('§2.7 basic call', () => {
  it('an inbound call MUST show the caller connected, then the called connection ALERTING and its terminal RINGING, without waiting for a 180', async () => {
    const h = start(basic);
    const { caller } = await ringing(h);
    expect(lines(h.events)).toEqual([
      ...callerStarts('1001', 'SEP1001'),
      'conn 1002 created DIRECTCALL',
      'conn 1002 ALERTING/ALERTING NORMAL/-/0 DIRECTCALL',
      'tc SEP1002 created',
      'tc SEP1002 RINGING/RINGING NORMAL/-/0',
    ]);
    expect(h.events.map((e) => e.metaCode)).toEqual([
      ...Array<string>(6).fill('CALL_STARTING'),
      ...Array<string>(5).fill('CALL_PROGRESS'),
    ]);
    const count = h.events.length;
    h.engine.ringing(h.driver.alertFor('SEP1002').leg);
    await h.settle();
    expect(h.events, 'a 180 changes no state').toHaveLength(count);
    expect(parties(h.events)).toEqual(['1001@SEP1001→1002 now 1001→1002 last -']);
    h.engine.released(caller);
    await h.settle();
  });

  it('answer MUST put the Connection ESTABLISHED before its TerminalConnection TALKING', async () => {
    const h = start(basic);
    const { caller } = await ringing(h);
    h.events.length = 0;
    h.engine.answered(h.driver.alertFor('SEP1002').leg, { answer: 'a' });
    await h.settle();
    expect(lines(h.events)).toEqual([
      'conn 1002 ESTABLISHED/CONNECTED NORMAL/-/0 DIRECTCALL',
      'tc SEP1002 TALKING/ACTIVE NORMAL/-/0',
    ]);
    h.engine.released(caller);
    await h.settle();
  });

  it("when the caller hangs up, its side MUST disconnect first, then the callee's, then the call goes INVALID", async () => {
    const h = start(basic);
    const { caller } = await talking(h);
    h.events.length = 0;
    h.engine.released(caller);
    await h.settle();
    expect(lines(h.events)).toEqual([
      'tc SEP1001 DROPPED/DROPPED NORMAL/-/16',
      'conn 1001 DISCONNECTED/DISCONNECTED NORMAL/-/16 DIRECTCALL',
      'tc SEP1002 DROPPED/DROPPED NORMAL/-/16',
      'conn 1002 DISCONNECTED/DISCONNECTED NORMAL/-/16 DIRECTCALL',
      'call INVALID NORMAL/-/16',
    ]);
    expect(new Set(h.events.map((e) => e.metaCode))).toEqual(new Set(['CALL_ENDING']));
  });

  it('when the callee hangs up, its side MUST disconnect first', async () => {
    const h = start(basic);
    const { callee } = await talking(h);
    h.events.length = 0;
    h.engine.released(callee);
    await h.settle();
    expect(lines(h.events)).toEqual([
      'tc SEP1002 DROPPED/DROPPED NORMAL/-/16',
      'conn 1002 DISCONNECTED/DISCONNECTED NORMAL/-/16 DIRECTCALL',
      'tc SEP1001 DROPPED/DROPPED NORMAL/-/16',
      'conn 1001 DISCONNECTED/DISCONNECTED NORMAL/-/16 DIRECTCALL',
      'call INVALID NORMAL/-/16',
    ]);
  });

  it('a caller giving up while it rings MUST disconnect first, the ringing side with CALL_CANCELLED', async () => {
    const h = start(basic);
    const { caller } = await ringing(h);
    h.events.length = 0;
    h.engine.released(caller);
    await h.settle();
    expect(lines(h.events)).toEqual([
      'tc SEP1001 DROPPED/DROPPED NORMAL/-/16',
      'conn 1001 DISCONNECTED/DISCONNECTED NORMAL/-/16 DIRECTCALL',
      'tc SEP1002 DROPPED/DROPPED CALL_CANCELLED/-/16',
      'conn 1002 DISCONNECTED/DISCONNECTED CALL_CANCELLED/-/16 DIRECTCALL',
      'call INVALID CALL_CANCELLED/-/16',
    ]);
  });
});

describe('§2.7 busy', () => {
  it('a line at its busy trigger MUST fail the CALLED connection with BUSY and Cisco cause 17 (user busy), and the caller sees it', async () => {
    const h = start(basic);
    const first = await talking(h, 'SEP1003', '1002');
    h.events.length = 0;
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    expect(h.driver.take('release').at(-1)).toEqual({ kind: 'release', leg: caller, cause: releaseCauses.busy });
    expect(lines(h.events)).toEqual([
      ...callerStarts('1001', 'SEP1001'),
      'conn 1002 created DIRECTCALL',
      'conn 1002 FAILED/FAILED NORMAL/BUSY/17 DIRECTCALL',
      'tc SEP1001 DROPPED/DROPPED NORMAL/BUSY/17',
      'conn 1001 DISCONNECTED/DISCONNECTED NORMAL/BUSY/17 DIRECTCALL',
      'conn 1002 DISCONNECTED/DISCONNECTED NORMAL/BUSY/17 DIRECTCALL',
      'call INVALID NORMAL/BUSY/17',
    ]);
    h.engine.released(first.caller);
    await h.settle();
  });

  it('a phone that answers busy MUST fail its connection with BUSY and the Q.850 cause the driver reported', async () => {
    const h = start(basic);
    const { callee } = await ringing(h);
    h.events.length = 0;
    h.engine.refused(callee, { ...releaseCauses.busy, q850: 17 });
    await h.settle();
    expect(lines(h.events)).toEqual([
      'tc SEP1002 DROPPED/DROPPED NORMAL/BUSY/17',
      'conn 1002 FAILED/FAILED NORMAL/BUSY/17 DIRECTCALL',
      'tc SEP1001 DROPPED/DROPPED NORMAL/BUSY/17',
      'conn 1001 DISCONNECTED/DISCONNECTED NORMAL/BUSY/17 DIRECTCALL',
      'conn 1002 DISCONNECTED/DISCONNECTED NORMAL/BUSY/17 DIRECTCALL',
      'call INVALID NORMAL/BUSY/17',
    ]);
  });
});

describe('§2.7 forwarding', () => {
  it('no answer → forward MUST disconnect the first called connection (REDIRECTED, Q.850 19) and add one with reason FORWARDNOANSWER and the last redirected address', async () => {
    const h = start({
      ...basic,
      lines: [line('1001'), line('1002', { forward: { noAnswer: { destination: '1003' } } }), line('1003')],
    });
    const { caller } = await ringing(h);
    h.events.length = 0;
    h.clock.advance(12_000);
    await h.settle();
    expect(lines(h.events)).toEqual([
      'tc SEP1002 DROPPED/DROPPED NORMAL/REDIRECTED/19',
      'conn 1002 DISCONNECTED/DISCONNECTED NORMAL/REDIRECTED/19 DIRECTCALL',
      'conn 1003 created FORWARDNOANSWER',
      'conn 1003 ALERTING/ALERTING NORMAL/-/0 FORWARDNOANSWER',
      'tc SEP1003 created',
      'tc SEP1003 RINGING/RINGING NORMAL/-/0',
    ]);
    expect(parties(h.events)).toEqual([
      '1001@SEP1001→1002 now 1001→1002 last 1002',
      '1001@SEP1001→1002 now 1001→1003 last 1002',
    ]);
    expect(h.events.slice(2).every((e) => e.metaCode === 'CALL_ADDITIONAL_PARTY')).toBe(true);
    h.engine.released(caller);
    await h.settle();
  });

  it('forward all MUST reach the target directly: one connection, reason FORWARDALL', async () => {
    const h = start({
      ...basic,
      lines: [line('1001'), line('1002', { forward: { all: { destination: '1003' } } }), line('1003')],
    });
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    expect(h.driver.alertFor('SEP1003').request).toMatchObject({ dialled: '1002', called: '1003' });
    expect(lines(h.events).slice(callerStarts('', '').length)).toEqual([
      'conn 1003 created FORWARDALL',
      'conn 1003 ALERTING/ALERTING NORMAL/-/0 FORWARDALL',
      'tc SEP1003 created',
      'tc SEP1003 RINGING/RINGING NORMAL/-/0',
    ]);
    h.engine.released(caller);
    await h.settle();
  });

  it('forward busy MUST give the new connection reason FORWARDBUSY, forward unregistered FORWARDNOANSWER', async () => {
    const h = start(
      {
        ...basic,
        lines: [
          line('1001'),
          line('1002', { forward: { busy: { destination: '1003' }, unregistered: { destination: '1003' } } }),
          line('1003'),
        ],
      },
      { outOfService: ['SEP1002'] },
    );
    const unregistered = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    expect(h.events.filter((e) => e.type === 'connection.created').map((e) => `${e.address} ${e.reason}`)).toEqual([
      '1001 DIRECTCALL',
      '1003 FORWARDNOANSWER',
    ]);
    h.engine.released(unregistered);
    await h.settle();

    h.driver.inService.add('SEP1002');
    const second = await ringing(h);
    h.events.length = 0;
    h.engine.refused(second.callee, releaseCauses.busy);
    await h.settle();
    expect(lines(h.events)).toEqual([
      'tc SEP1002 DROPPED/DROPPED NORMAL/BUSY/17',
      'conn 1002 DISCONNECTED/DISCONNECTED NORMAL/REDIRECTED/17 DIRECTCALL',
      'conn 1003 created FORWARDBUSY',
      'conn 1003 ALERTING/ALERTING NORMAL/-/0 FORWARDBUSY',
      'tc SEP1003 created',
      'tc SEP1003 RINGING/RINGING NORMAL/-/0',
    ]);
    h.engine.released(second.caller);
    await h.settle();
  });
});

describe('redirect (REDIRECT_NORMAL)', () => {
  it('a redirect MUST move the call with reason REDIRECT, and one to a busy, unknown or unreachable number MUST fail with a code and leave the call ringing', async () => {
    const h = start({
      devices: [...basic.devices, phone('SEP1004', ['1004'])],
      lines: [...basic.lines, line('1004')],
    });
    const busy = await talking(h, 'SEP1003', '1004');
    const { caller } = await ringing(h);
    const callId = h.events.at(-1)!.callId;
    h.events.length = 0;

    const failures = ['1004', '9999'].map((destination) => {
      try {
        h.engine.redirect(callId, destination);
        return 'redirected';
      } catch (error) {
        return isStrowgerError(error) ? `${error.code} ${String(error.details?.['ciscoError'])}` : 'other';
      }
    });
    expect(failures).toEqual([
      `${ErrorCode.ResourceUnavailable} REDIRECT_CALL_DESTINATION_BUSY`,
      `${ErrorCode.InvalidArgument} REDIRECT_CALL_UNKNOWN_DESTINATION`,
    ]);
    h.driver.inService.delete('SEP1003');
    h.engine.released(busy.caller);
    await h.settle();
    h.events.length = 0;
    expect(() => h.engine.redirect(callId, '1003')).toThrow(/no device of 1003 is in service/);
    expect(h.events, 'a failed redirect changes nothing').toEqual([]);
    expect(h.engine.snapshotCall(callId)?.call.connections.map((c) => `${c.address} ${c.state}`)).toEqual([
      '1001 ESTABLISHED',
      '1002 ALERTING',
    ]);

    h.engine.redirect(callId, '1004');
    await h.settle();
    expect(lines(h.events)).toEqual([
      'tc SEP1002 DROPPED/DROPPED NORMAL/REDIRECTED/200',
      'conn 1002 DISCONNECTED/DISCONNECTED NORMAL/REDIRECTED/200 DIRECTCALL',
      'conn 1004 created REDIRECT',
      'conn 1004 ALERTING/ALERTING NORMAL/-/0 REDIRECT',
      'tc SEP1004 created',
      'tc SEP1004 RINGING/RINGING NORMAL/-/0',
    ]);
    h.engine.released(caller);
    await h.settle();
  });
});

describe('§2.8 transfer and conference', () => {
  it('a blind transfer MUST be bracketed by TransferStart/End in the call, the controller leaving with TRANSFER and the target arriving as TRANSFERREDCALL', async () => {
    const h = start(basic);
    const { caller, callee } = await talking(h);
    h.events.length = 0;
    h.engine.transfer(callee, '1003');
    await h.settle();
    expect(lines(h.events)).toEqual([
      'call.transferStart one call by SEP1002',
      'tc SEP1002 DROPPED/DROPPED NORMAL/TRANSFER/16',
      'conn 1002 DISCONNECTED/DISCONNECTED NORMAL/TRANSFER/16 DIRECTCALL',
      'conn 1003 created TRANSFERREDCALL',
      'conn 1003 ALERTING/ALERTING NORMAL/-/0 TRANSFERREDCALL',
      'tc SEP1003 created',
      'tc SEP1003 RINGING/RINGING NORMAL/-/0',
      'call.transferEnd one call by SEP1002',
    ]);
    expect(new Set(h.events.map((e) => `${e.metaCode} ${e.featureReason}`))).toEqual(
      new Set(['CALL_TRANSFERRING BLINDTRANSFER']),
    );
    expect(parties(h.events)).toEqual([
      '1001@SEP1001→1002 now 1001→1002 last -',
      '1001@SEP1001→1002 now 1001→1002 last 1002',
      '1001@SEP1001→1002 now 1001→1003 last 1002',
    ]);
    h.engine.released(caller);
    await h.settle();
  });

  it('a consult transfer MUST send TransferStart/End to both calls, move the consulted party with TRANSFER, and end the consult call INVALID', async () => {
    const h = start(basic);
    const first = await talking(h, 'SEP1001', '1002');
    const second = await talking(h, 'SEP1002', '1003');
    const [firstCall, secondCall] = h.engine.listCalls().map((c) => c.id);
    h.events.length = 0;
    h.engine.transferCalls(first.callee, second.caller);
    await h.settle();
    expect(lines(h.events.filter((e) => e.callId === secondCall))).toEqual([
      'call.transferStart two calls by SEP1002',
      'tc SEP1002 DROPPED/DROPPED NORMAL/TRANSFER/16',
      'conn 1002 DISCONNECTED/DISCONNECTED NORMAL/TRANSFER/16 DIRECTCALL',
      'tc SEP1003 DROPPED/DROPPED NORMAL/TRANSFER/501',
      'conn 1003 DISCONNECTED/DISCONNECTED NORMAL/TRANSFER/501 DIRECTCALL',
      'call INVALID NORMAL/TRANSFER/501',
      'call.transferEnd two calls by SEP1002',
    ]);
    expect(lines(h.events.filter((e) => e.callId === firstCall))).toEqual([
      'call.transferStart two calls by SEP1002',
      'conn 1003 created TRANSFERREDCALL',
      'conn 1003 ESTABLISHED/CONNECTED NORMAL/TRANSFER/503 TRANSFERREDCALL',
      'tc SEP1003 created',
      'tc SEP1003 TALKING/ACTIVE NORMAL/TRANSFER/503',
      'tc SEP1002 DROPPED/DROPPED NORMAL/TRANSFER/16',
      'conn 1002 DISCONNECTED/DISCONNECTED NORMAL/TRANSFER/16 DIRECTCALL',
      'call.transferEnd two calls by SEP1002',
    ]);
    expect(h.events.find((e) => e.type === 'call.transferStart')).toMatchObject({
      transferredCallId: secondCall,
      finalCallId: firstCall,
      controllerAddress: '1002',
    });
    h.engine.released(second.callee);
    await h.settle();
  });

  it('a conference MUST send ConferenceStart/End to both calls and move the consulted party in with CONFERENCE', async () => {
    const h = start(basic);
    const first = await talking(h, 'SEP1001', '1002');
    const second = await talking(h, 'SEP1002', '1003');
    const [firstCall, secondCall] = h.engine.listCalls().map((c) => c.id);
    h.events.length = 0;
    await h.engine.conference(first.callee, second.caller);
    await h.settle();
    expect(lines(h.events.filter((e) => e.callId === secondCall))).toEqual([
      'call.conferenceStart by SEP1002',
      'tc SEP1002 DROPPED/DROPPED NORMAL/CONFERENCE/16',
      'conn 1002 DISCONNECTED/DISCONNECTED NORMAL/CONFERENCE/16 DIRECTCALL',
      'tc SEP1003 DROPPED/DROPPED NORMAL/CONFERENCE/502',
      'conn 1003 DISCONNECTED/DISCONNECTED NORMAL/CONFERENCE/502 DIRECTCALL',
      'call INVALID NORMAL/CONFERENCE/502',
      'call.conferenceEnd by SEP1002',
    ]);
    expect(lines(h.events.filter((e) => e.callId === firstCall))).toEqual([
      'call.conferenceStart by SEP1002',
      'conn 1003 created DIRECTCALL',
      'conn 1003 ESTABLISHED/CONNECTED NORMAL/CONFERENCE/504 DIRECTCALL',
      'tc SEP1003 created',
      'tc SEP1003 TALKING/ACTIVE NORMAL/CONFERENCE/504',
      'call.conferenceEnd by SEP1002',
    ]);
    expect(h.events.find((e) => e.type === 'call.conferenceEnd')).toMatchObject({
      consultCallId: secondCall,
      finalCallId: firstCall,
      featureReason: 'CONFERENCE',
      metaCode: 'CALL_MERGING',
    });
    h.engine.drop(firstCall!);
    await h.settle();
  });

  it('hold MUST put the holding terminal connection HELD, and resume MUST bring it back TALKING with call-control cause UNHOLD', async () => {
    const h = start(basic, {});
    const { caller } = await talking(h);
    h.events.length = 0;
    const sdp = (direction: string) => `v=0\r\nm=audio 4000 RTP/AVP 0\r\na=${direction}\r\n`;
    await h.engine.updateMedia(caller, sdp('sendonly'));
    await h.engine.updateMedia(caller, sdp('sendrecv'));
    expect(lines(h.events)).toEqual(['tc SEP1001 HELD/ACTIVE NORMAL/-/0', 'tc SEP1001 TALKING/ACTIVE NORMAL/UNHOLD/0']);
    h.engine.released(caller);
    await h.settle();
  });
});

describe('sequences and snapshots', () => {
  it('every event MUST carry the next engine sequence number, across calls and device events, and each call its own gapless seq', async () => {
    const h = start(basic);
    const a = await ringing(h, 'SEP1001', '1002');
    h.driver.inService.delete('SEP1003');
    h.engine.deviceServiceChanged('SEP1003');
    h.engine.released(a.caller);
    await h.settle();
    const all = [...h.events, ...h.deviceEvents].sort((x, y) => x.engineSeq - y.engineSeq);
    expect(all.map((e) => e.engineSeq)).toEqual(all.map((_, i) => i + 1));
    expect(h.events.map((e) => e.seq)).toEqual(h.events.map((_, i) => i + 1));
  });

  it('a snapshot of a call, a device and a line MUST state the objects now and the engine sequence they include', async () => {
    const h = start(basic);
    const { caller, callee } = await ringing(h);
    const callId = h.events[0]!.callId;
    const last = h.events.at(-1)!.engineSeq;
    const call = h.engine.snapshotCall(callId);
    expect(call).toMatchObject({
      engineSeq: last,
      call: { callId, state: 'ACTIVE', seq: h.events.length, callingAddress: '1001', calledAddress: '1002' },
    });
    expect(
      call?.call.connections.map(
        (c) => `${c.address} ${c.state}/${c.coreState} ${c.terminalConnections.map((tc) => tc.state).join()}`,
      ),
    ).toEqual(['1001 ESTABLISHED/CONNECTED TALKING', '1002 ALERTING/ALERTING RINGING']);
    expect(h.engine.snapshotDevice('SEP1002')).toMatchObject({
      engineSeq: last,
      inService: true,
      restricted: false,
      lines: ['1002'],
      calls: [{ callId }],
    });
    expect(h.engine.snapshotLine('1003')).toMatchObject({
      engineSeq: last,
      terminals: [{ name: 'SEP1003', inService: true }],
      calls: [],
    });
    h.engine.answered(callee);
    h.engine.released(caller);
    await h.settle();
    expect(h.engine.snapshotCall(callId)).toBeUndefined();
  });

  it('a device going in or out of service MUST be reported once, with each of its lines', () => {
    const h = start(basic, { outOfService: ['SEP1002'] });
    h.engine.deviceServiceChanged('SEP1002');
    expect(h.deviceEvents).toEqual([]);
    h.driver.inService.add('SEP1002');
    h.engine.deviceServiceChanged('SEP1002');
    h.engine.deviceServiceChanged('SEP1002');
    h.driver.inService.delete('SEP1002');
    h.engine.deviceServiceChanged('SEP1002');
    expect(h.deviceEvents.map((e) => `${e.type} ${'address' in e ? e.address : ''}`.trim())).toEqual([
      'terminal.inService',
      'address.inService 1002',
      'terminal.outOfService',
      'address.outOfService 1002',
    ]);
  });

  it('a configuration change MUST report devices and lines added, removed, restricted and activated', () => {
    const h = start(basic);
    h.engine.updateConfig({
      devices: [
        { ...phone('SEP1001', ['1001', '1004']), allowCtiControl: false },
        phone('SEP1002', ['1002']),
        phone('SEP1004', ['1004']),
      ],
      lines: [line('1001'), { ...line('1002'), allowCtiControl: false }, line('1004')],
    });
    expect(
      h.deviceEvents.map((e) =>
        [e.type, 'address' in e ? e.address : '', 'terminal' in e ? e.terminal : ''].join(' ').trim(),
      ),
    ).toEqual([
      'address.created 1004',
      'terminal.created  SEP1004',
      'address.restricted 1002',
      'terminal.restricted  SEP1001',
      'address.addedToTerminal 1004 SEP1001',
      'address.addedToTerminal 1004 SEP1004',
      'address.removedFromTerminal 1003 SEP1003',
      'terminal.removed  SEP1003',
      'address.removed 1003',
    ]);
  });

  it('call ids MUST be unique across engines (restarts, nodes) and never the old c1', async () => {
    const ids: string[] = [];
    for (let run = 0; run < 2; run++) {
      const h = start(basic);
      const { caller } = await ringing(h);
      ids.push(h.events[0]!.callId);
      expect(h.records).toEqual([]);
      h.engine.released(caller);
      await h.settle();
      expect(h.records[0]?.callId).toBe(ids[run]);
    }
    expect(ids[0]).not.toBe(ids[1]);
    expect(ids[0]).toMatch(/^[0-9A-Z]{26}$/);
  });
});
