import { afterEach, describe, expect, it } from 'vitest';
import type { StrowgerError } from '../../core/index.js';
import { ErrorCode, isStrowgerError } from '../../core/index.js';
import type { SwitchConfig } from '../config.js';
import type { CallEvent } from '../events.js';
import type { FakeMediaWithDigits } from '../test-support.js';
import { harness, leftovers, line, phone, sdpOffer, type Harness } from '../test-support.js';

/**
 * Call control by request (domain reference §2.8): each operation's JTAPI event sequence, and each
 * failing precondition refused with its code, changing nothing.
 */

const config: SwitchConfig = {
  devices: [phone('SEP1001', ['1001']), phone('SEP1002', ['1002']), phone('SEP1003', ['1003'])],
  lines: [line('1001'), line('1002'), line('1003')],
};

let current: Harness | undefined;

function start(options?: { outOfService?: string[]; withoutMedia?: boolean }): Harness {
  current = harness(config, options);
  current.driver.offersSdp = true;
  return current;
}

afterEach(() => {
  if (current === undefined) return;
  expect(leftovers(current), 'calls, legs or timers left behind').toEqual({ calls: 0, legs: 0, timers: 0 });
  current = undefined;
});

function describeEvent(e: CallEvent): string {
  const causes = `${e.cause}/${e.callControlCause ?? '-'}/${e.ciscoCause}`;
  switch (e.type) {
    case 'call.state':
      return `call ${e.state} ${causes}`;
    case 'connection.created':
      return `conn ${e.address} created ${e.reason}`;
    case 'connection.state':
      return `conn ${e.address} ${e.state} ${causes}`;
    case 'terminalConnection.created':
      return `tc ${e.terminal} created`;
    case 'terminalConnection.state':
      return `tc ${e.terminal} ${e.state} ${causes}`;
    case 'terminalConnection.dtmf':
      return `tc ${e.terminal} dtmf ${e.digit}`;
    default:
      return `${e.type} by ${e.controllerTerminal}`;
  }
}

const lines = (events: readonly CallEvent[]): string[] => events.map(describeEvent);

/** The error a request fails with, and proof that it changed nothing in the call model. */
async function refusal(h: Harness, request: () => unknown): Promise<StrowgerError> {
  const before = h.events.length;
  const commands = h.driver.commands.length;
  let caught: unknown;
  try {
    await request();
  } catch (error) {
    caught = error;
  }
  await h.settle();
  expect(h.events.length, 'a refused request emits no event').toBe(before);
  expect(h.driver.commands.length, 'a refused request sends no device anything').toBe(commands);
  if (!isStrowgerError(caught)) throw new Error(`expected a coded refusal, got ${String(caught)}`);
  return caught;
}

async function ringing(h: Harness, from = 'SEP1001', dialled = '1002') {
  const caller = h.engine.originate({ device: from, dialled, offer: sdpOffer(from) });
  await h.settle();
  const callee = h.driver.alertFor(`SEP${dialled}`).leg;
  const callId = h.driver.alertFor(`SEP${dialled}`).request.callId;
  return { caller, callee, callId };
}

async function talking(h: Harness, from = 'SEP1001', dialled = '1002') {
  const legs = await ringing(h, from, dialled);
  h.engine.answered(legs.callee, { answer: `answer of ${dialled}` });
  await h.settle();
  return legs;
}

describe('TerminalConnection.answer', () => {
  it('MUST ask the device to answer and resolve once it is TALKING, its connection ESTABLISHED first', async () => {
    const h = start();
    const { caller, callee, callId } = await ringing(h);
    h.events.length = 0;
    const answered = h.engine.answer({ callId, address: '1002', terminal: 'SEP1002' });
    await h.settle();
    expect(h.driver.take('answer')).toEqual([{ kind: 'answer', leg: callee }]);
    h.engine.answered(callee, { answer: 'answer of 1002' });
    await answered;
    expect(lines(h.events)).toEqual(['conn 1002 ESTABLISHED NORMAL/-/0', 'tc SEP1002 TALKING NORMAL/-/0']);
    h.engine.released(caller);
  });

  it('MUST be refused with INVALID_STATE unless RINGING, NOT_FOUND for an unknown call, UNSUPPORTED where the device cannot', async () => {
    const h = start();
    const { caller, callId } = await talking(h);
    const ref = { callId, address: '1002', terminal: 'SEP1002' };
    expect((await refusal(h, () => h.engine.answer(ref))).code).toBe(ErrorCode.InvalidState);
    expect((await refusal(h, () => h.engine.answer({ ...ref, callId: 'nope' }))).code).toBe(ErrorCode.NotFound);
    expect((await refusal(h, () => h.engine.answer({ ...ref, terminal: 'SEP9' }))).code).toBe(ErrorCode.NotFound);
    h.engine.released(caller);
    await h.settle();

    const second = await ringing(h);
    h.driver.refuseAnswerRequests = true;
    const before = h.events.length;
    await expect(h.engine.answer({ ...ref, callId: second.callId })).rejects.toMatchObject({
      code: ErrorCode.Unsupported,
    });
    expect(h.events.length).toBe(before);
    h.engine.released(second.caller);
  });

  it('MUST reject with INVALID_STATE when the caller gives up before the device answers', async () => {
    const h = start();
    const { caller, callId } = await ringing(h);
    const answered = h.engine.answer({ callId, address: '1002', terminal: 'SEP1002' });
    await h.settle();
    h.engine.released(caller, { reason: 'cancelled', q850: 16, sipStatus: 487 });
    await expect(answered).rejects.toMatchObject({ code: ErrorCode.InvalidState });
  });
});

describe('hold and unhold by request (the server holds)', () => {
  it('hold MUST re-INVITE the phone for its offer, put the far party on music, and go HELD; unhold MUST bring it back TALKING with cause UNHOLD', async () => {
    const h = start();
    const { caller, callee, callId } = await talking(h);
    const ref = { callId, address: '1001', terminal: 'SEP1001' };
    h.events.length = 0;
    h.driver.commands.length = 0;
    await h.engine.hold(ref);
    expect(lines(h.events)).toEqual(['tc SEP1001 HELD NORMAL/-/0']);
    expect(h.driver.commands.map((c) => `${c.kind} ${c.leg}`)).toEqual([
      `requestOffer ${caller}`,
      `updateMedia ${callee}`,
      `answerOffer ${caller}`,
    ]);
    expect(h.driver.take('updateMedia')[0]?.offer).toBe('moh1 offer sendonly');
    expect(h.driver.take('answerOffer')[0]?.answer).toBe('moh1 answer recvonly');

    expect((await refusal(h, () => h.engine.hold(ref))).details).toMatchObject({ ciscoError: 'HOLDFAILED' });

    h.events.length = 0;
    h.driver.commands.length = 0;
    await h.engine.unhold(ref);
    expect(lines(h.events)).toEqual(['tc SEP1001 TALKING NORMAL/UNHOLD/0']);
    const resumeOffer = h.driver.take('updateMedia')[0]?.offer ?? '';
    expect(resumeOffer).toContain('a=sendrecv');
    expect(h.media.endpoints[0]?.closed, 'the music stops').toBe(true);
    expect((await refusal(h, () => h.engine.unhold(ref))).code).toBe(ErrorCode.InvalidState);
    h.engine.released(caller);
  });

  it('hold MUST be refused with INVALID_STATE while the call only rings', async () => {
    const h = start();
    const { caller, callId } = await ringing(h);
    const error = await refusal(h, () => h.engine.hold({ callId, address: '1001', terminal: 'SEP1001' }));
    expect(error.code).toBe(ErrorCode.InvalidState);
    h.engine.released(caller);
  });
});

describe('Connection.disconnect', () => {
  it('MUST release that party first (its own BYE), then the call ends for the other', async () => {
    const h = start();
    const { caller, callee, callId } = await talking(h);
    h.events.length = 0;
    h.driver.commands.length = 0;
    h.engine.disconnect({ callId, address: '1002' });
    await h.settle();
    expect(h.driver.commands.map((c) => `${c.kind} ${c.leg}`)).toEqual([`release ${callee}`, `release ${caller}`]);
    expect(lines(h.events)).toEqual([
      'tc SEP1002 DROPPED NORMAL/-/16',
      'conn 1002 DISCONNECTED NORMAL/-/16',
      'tc SEP1001 DROPPED NORMAL/-/16',
      'conn 1001 DISCONNECTED NORMAL/-/16',
      'call INVALID NORMAL/-/16',
    ]);
    expect((await refusal(h, () => h.engine.disconnect({ callId, address: '1002' }))).code).toBe(ErrorCode.NotFound);
  });

  it('of a ringing connection MUST stop that phone ringing (CANCEL) and refuse the call', async () => {
    const h = start();
    const { callee, callId } = await ringing(h);
    h.driver.commands.length = 0;
    h.engine.disconnect({ callId, address: '1002' });
    await h.settle();
    expect(h.driver.commands[0]).toMatchObject({ kind: 'cancel', leg: callee });
    expect(h.events.at(-1)).toMatchObject({ type: 'call.state', state: 'INVALID' });
  });
});

describe('redirect by request', () => {
  it('MUST allow sending a call back to a number it visited (a queue back to its route point)', async () => {
    const h = start();
    const { caller, callId } = await ringing(h);
    h.engine.redirect(callId, '1003');
    await h.settle();
    h.engine.redirect(callId, '1002');
    await h.settle();
    const again = h.driver.take('alert').filter((a) => a.device === 'SEP1002');
    expect(again).toHaveLength(2);
    expect(again[1]?.request.redirections.map((r) => `${r.from}→${r.to}`)).toEqual(['1002→1003', '1003→1002']);
    h.engine.released(caller);
  });

  it('MUST stop a runaway application after 20 redirects of one call, leaving the call where it was', async () => {
    const h = start();
    const { caller, callId } = await ringing(h);
    for (let i = 0; i < 20; i++) h.engine.redirect(callId, i % 2 === 0 ? '1003' : '1002');
    await h.settle();
    const error = await refusal(h, () => h.engine.redirect(callId, '1003'));
    expect(error.code).toBe(ErrorCode.ResourceUnavailable);
    h.engine.released(caller);
  });
});

describe('Call.connect (third-party call control)', () => {
  it('a call made with transfer and conference disabled (setTransferEnable/setConferenceEnable) MUST refuse both, changing nothing', async () => {
    const h = start();
    const made = h.engine.makeCall({
      device: 'SEP1001',
      dialled: '1002',
      callId: 'crm-0000-0002',
      allowed: { transfer: false, conference: false },
    });
    await h.settle();
    h.engine.answered(h.driver.alertFor('SEP1001').leg, { offer: sdpOffer('SEP1001') });
    await made;
    h.engine.answered(h.driver.alertFor('SEP1002').leg, { answer: 'answer of 1002' });
    await h.settle();
    const ref = { callId: 'crm-0000-0002', address: '1001', terminal: 'SEP1001' };
    const blind = await refusal(h, () => h.engine.transferTo(ref, '1003'));
    expect(blind).toMatchObject({ code: ErrorCode.InvalidState, details: { ciscoError: 'TRANSFERFAILED' } });
    expect((await refusal(h, () => h.engine.addParty(ref, '1003'))).details).toMatchObject({
      ciscoError: 'CONFERENCEFAILED',
    });
    h.engine.drop('crm-0000-0002');
  });

  it('MUST ask the phone to answer by itself the way its configuration says, or not at all', async () => {
    const ways = [
      { autoAnswer: undefined, expected: { autoAnswer: true } },
      { autoAnswer: 'call-info' as const, expected: { autoAnswer: true, autoAnswerBy: 'call-info' } },
      { autoAnswer: 'answer-mode' as const, expected: { autoAnswer: true, autoAnswerBy: 'answer-mode' } },
      { autoAnswer: 'off' as const, expected: {} },
    ];
    for (const { autoAnswer, expected } of ways) {
      const h = (current = harness({
        ...config,
        devices: config.devices.map((d) =>
          d.name === 'SEP1001' && autoAnswer !== undefined ? { ...d, autoAnswer } : d,
        ),
      }));
      h.driver.offersSdp = true;
      const made = h.engine.makeCall({ device: 'SEP1001', dialled: '1002' });
      await h.settle();
      const { request } = h.driver.alertFor('SEP1001');
      expect({ autoAnswer: request.autoAnswer, autoAnswerBy: request.autoAnswerBy }).toEqual({
        autoAnswer: undefined,
        autoAnswerBy: undefined,
        ...expected,
      });
      h.engine.refused(h.driver.alertFor('SEP1001').leg, { reason: 'busy', q850: 17, sipStatus: 486 });
      await made.catch(() => undefined);
      expect(leftovers(h)).toEqual({ calls: 0, legs: 0, timers: 0 });
    }
  });

  it('MUST call the phone first asking it to answer by itself, then dial the destination with its offer, as §2.7 outbound', async () => {
    const h = start();
    const made = h.engine.makeCall({ device: 'SEP1001', dialled: '1002', callId: 'crm-0000-0001' });
    await h.settle();
    const alert = h.driver.alertFor('SEP1001');
    expect(alert.request).toMatchObject({ callId: 'crm-0000-0001', offer: undefined, autoAnswer: true });
    expect(alert.request.calling.number, 'the phone shows whom it is about to call').toBe('1002');
    expect(h.engine.answered(alert.leg, { offer: sdpOffer('SEP1001') })).toBe(true);
    await expect(made).resolves.toBe('crm-0000-0001');
    const callee = h.driver.alertFor('SEP1002');
    expect(callee.request.offer).toBe(sdpOffer('SEP1001'));
    h.engine.answered(callee.leg, { answer: 'answer of 1002' });
    await h.settle();
    expect(h.driver.take('connected')).toEqual([
      { kind: 'connected', leg: alert.leg, answer: 'answer of 1002', connectedNumber: '1002' },
    ]);
    expect(lines(h.events)).toEqual([
      'call ACTIVE NEW_CALL/-/0',
      'conn 1001 created DIRECTCALL',
      'conn 1001 INITIATED NORMAL/-/0',
      'tc SEP1001 created',
      'tc SEP1001 RINGING NORMAL/-/0',
      'tc SEP1001 TALKING NORMAL/-/0',
      'conn 1001 DIALING NORMAL/-/0',
      'conn 1001 ESTABLISHED NORMAL/-/0',
      'conn 1002 created DIRECTCALL',
      'conn 1002 ALERTING NORMAL/-/0',
      'tc SEP1002 created',
      'tc SEP1002 RINGING NORMAL/-/0',
      'conn 1002 ESTABLISHED NORMAL/-/0',
      'tc SEP1002 TALKING NORMAL/-/0',
    ]);
    h.engine.released(alert.leg);
  });

  it('MUST be refused, changing nothing, for an unknown device, a foreign line, an unroutable number, an out-of-service phone or a call id in use', async () => {
    const h = start({ outOfService: ['SEP1003'] });
    const codes = async (request: Parameters<Harness['engine']['makeCall']>[0]) =>
      (await refusal(h, () => h.engine.makeCall(request))).code;
    expect(await codes({ device: 'SEP9', dialled: '1002' })).toBe(ErrorCode.NotFound);
    expect(await codes({ device: 'SEP1001', line: '1002', dialled: '1003' })).toBe(ErrorCode.InvalidArgument);
    expect(await codes({ device: 'SEP1001', dialled: '4711' })).toBe(ErrorCode.InvalidArgument);
    expect(await codes({ device: 'SEP1003', dialled: '1001' })).toBe(ErrorCode.ResourceUnavailable);
    expect(await codes({ device: 'SEP1001', dialled: '1002', callId: 'x' })).toBe(ErrorCode.InvalidArgument);
    const { caller, callId } = await ringing(h);
    expect(await codes({ device: 'SEP1002', dialled: '1001', callId })).toBe(ErrorCode.InvalidArgument);
    h.engine.released(caller);
  });

  it('MUST reject and leave no call when the phone declines, or does not answer in its no-answer time', async () => {
    const h = start();
    const declined = h.engine.makeCall({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    h.engine.refused(h.driver.alertFor('SEP1001').leg, { reason: 'busy', q850: 17, sipStatus: 486 });
    await expect(declined).rejects.toMatchObject({ code: ErrorCode.ResourceUnavailable });
    expect(lines(h.events).slice(-4)).toEqual([
      'tc SEP1001 DROPPED NORMAL/BUSY/17',
      'conn 1001 FAILED NORMAL/BUSY/17',
      'conn 1001 DISCONNECTED NORMAL/BUSY/17',
      'call INVALID NORMAL/BUSY/17',
    ]);

    const unanswered = h.engine.makeCall({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    const leg = h.driver.alertFor('SEP1001').leg;
    h.clock.advance(12_000);
    await expect(unanswered).rejects.toMatchObject({ code: ErrorCode.ResourceUnavailable });
    expect(h.driver.take('cancel').at(-1)).toMatchObject({ leg, cause: { reason: 'no-answer' } });
  });
});

describe('consult, then transfer or conference, by request', () => {
  async function consulted(h: Harness) {
    const first = await talking(h);
    const consult = h.engine.consult({ callId: first.callId, address: '1002', terminal: 'SEP1002' }, '1003');
    await h.settle();
    const controller = h.driver
      .take('alert')
      .filter((a) => a.device === 'SEP1002')
      .at(-1);
    if (controller === undefined) throw new Error('the controller was not called');
    expect(controller.request.autoAnswer).toBe(true);
    h.engine.answered(controller.leg, { offer: sdpOffer('SEP1002 consult') });
    const consultCallId = await consult;
    const target = h.driver.alertFor('SEP1003');
    h.engine.answered(target.leg, { answer: 'answer of 1003' });
    await h.settle();
    return { first, consultCallId, controllerLeg: controller.leg, targetLeg: target.leg };
  }

  it('consult MUST hold the controller in the first call and make the consult call from the same line', async () => {
    const h = start();
    const { first, consultCallId, controllerLeg } = await consulted(h);
    const held = h.events.filter((e) => e.callId === first.callId && e.type === 'terminalConnection.state');
    expect(lines(held).at(-1)).toBe('tc SEP1002 HELD NORMAL/-/0');
    const consultEvents = lines(h.events.filter((e) => e.callId === consultCallId));
    expect(consultEvents.slice(0, 3)).toEqual([
      'call ACTIVE NEW_CALL/-/0',
      'conn 1002 created DIRECTCALL',
      'conn 1002 INITIATED NORMAL/-/0',
    ]);
    expect(consultEvents.at(-1)).toBe('tc SEP1003 TALKING NORMAL/-/0');
    h.engine.released(controllerLeg);
    h.engine.released(first.caller);
  });

  it('transferCall MUST join the consulted party to the first call and drop the controller from both', async () => {
    const h = start();
    const { first, consultCallId, targetLeg } = await consulted(h);
    h.events.length = 0;
    h.engine.transferCall(first.callId, consultCallId);
    await h.settle();
    const kinds = h.events.map((e) => e.type);
    expect(kinds.filter((k) => k === 'call.transferStart')).toHaveLength(2);
    expect(h.events.find((e) => e.callId === consultCallId && e.type === 'call.state')).toMatchObject({
      state: 'INVALID',
      callControlCause: 'TRANSFER',
    });
    expect(lines(h.events.filter((e) => e.callId === first.callId && e.type === 'terminalConnection.state'))).toContain(
      'tc SEP1003 TALKING NORMAL/TRANSFER/503',
    );
    h.engine.released(targetLeg);
    h.engine.released(first.caller);
  });

  it('transferCall MUST be refused when no terminal is in both calls', async () => {
    const h = start();
    const a = await talking(h, 'SEP1001', '1002');
    const error = await refusal(h, () => h.engine.transferCall(a.callId, a.callId));
    expect(error.code).toBe(ErrorCode.InvalidArgument);
    expect((await refusal(h, () => h.engine.transferCall(a.callId, 'nope'))).code).toBe(ErrorCode.NotFound);
    h.engine.released(a.caller);
  });

  it('conferenceCalls MUST merge the two calls on a bridge, and disconnecting one party MUST leave the others talking', async () => {
    const h = start();
    const { first, consultCallId, targetLeg } = await consulted(h);
    await h.engine.conferenceCalls(first.callId, consultCallId);
    await h.settle();
    expect(h.media.bridges[0]?.endpoints).toHaveLength(3);
    h.driver.commands.length = 0;
    h.engine.disconnect({ callId: first.callId, address: '1003' });
    await h.settle();
    expect(h.driver.commands.map((c) => `${c.kind} ${c.leg}`)).toEqual([`release ${targetLeg}`]);
    expect(h.engine.snapshotCall(first.callId)?.call.state).toBe('ACTIVE');
    // The controller talks in the conference on its leg of the first call; when it leaves, one party is left.
    h.engine.released(first.callee);
    await h.settle();
    expect(h.engine.snapshotCall(first.callId)).toBeUndefined();
  });
});

describe('forward all set by request (CallControlAddress.setForwarding)', () => {
  it('MUST send the next call to the destination with reason FORWARDALL, be reported, and stop when cancelled', async () => {
    const h = start();
    h.engine.setForwardAll('1002', '1003');
    expect(h.deviceEvents.at(-1)).toMatchObject({
      type: 'address.forwarding',
      address: '1002',
      forwardAll: { destination: '1003' },
    });
    expect(h.engine.forwardingOf('1002')).toMatchObject({ all: { destination: '1003' }, allSetByApplication: true });
    const first = h.engine.originate({ device: 'SEP1001', dialled: '1002', offer: sdpOffer('SEP1001') });
    await h.settle();
    expect(h.driver.alertFor('SEP1003').request.redirections).toEqual([
      { from: '1002', to: '1003', reason: 'forward-all' },
    ]);
    h.engine.released(first);
    await h.settle();

    h.engine.setForwardAll('1002', undefined);
    expect(h.engine.forwardingOf('1002')).toMatchObject({ all: undefined, allSetByApplication: false });
    const second = h.engine.originate({ device: 'SEP1001', dialled: '1002', offer: sdpOffer('SEP1001') });
    await h.settle();
    expect(h.driver.take('alert').at(-1)?.device).toBe('SEP1002');
    h.engine.released(second);
  });

  it('MUST refuse an unknown line, an unroutable destination and the line itself', () => {
    const h = start();
    const code = (run: () => void): string | undefined => {
      try {
        run();
      } catch (error) {
        return isStrowgerError(error) ? error.code : 'not coded';
      }
      return undefined;
    };
    expect(code(() => h.engine.setForwardAll('4711', '1003'))).toBe(ErrorCode.NotFound);
    expect(code(() => h.engine.setForwardAll('1002', '4711'))).toBe(ErrorCode.InvalidArgument);
    expect(code(() => h.engine.setForwardAll('1002', '1002'))).toBe(ErrorCode.InvalidArgument);
    expect(h.deviceEvents.filter((e) => e.type === 'address.forwarding')).toEqual([]);
  });
});

describe('MediaTerminalConnection.generateDtmf', () => {
  it('MUST send each digit to the party the terminal talks to as SIP INFO dtmf-relay, in order', async () => {
    const h = start();
    h.driver.infoStatus = 200;
    const { caller, callee, callId } = await talking(h);
    const before = h.events.length;
    await h.engine.generateDtmf({ callId, address: '1001', terminal: 'SEP1001' }, '1#');
    expect(h.driver.take('sendInfo').map((c) => [c.leg, c.info.contentType, c.info.body])).toEqual([
      [callee, 'application/dtmf-relay', 'Signal=1\r\nDuration=160\r\n'],
      [callee, 'application/dtmf-relay', 'Signal=#\r\nDuration=160\r\n'],
    ]);
    expect(h.events.length, 'digits change no state').toBe(before);
    h.engine.released(caller);
  });

  it('MUST refuse digits that are not DTMF, a call not talking, and report a party that refuses them', async () => {
    const h = start();
    const { caller, callId } = await ringing(h);
    const ref = { callId, address: '1001', terminal: 'SEP1001' };
    expect((await refusal(h, () => h.engine.generateDtmf(ref, '12x'))).details).toMatchObject({
      ciscoError: 'CTIERR_INVALID_DTMFDIGITS',
    });
    expect(
      (await refusal(h, () => h.engine.generateDtmf({ ...ref, address: '1002', terminal: 'SEP1002' }, '1'))).code,
    ).toBe(ErrorCode.InvalidState);
    h.engine.answered(h.driver.alertFor('SEP1002').leg, { answer: 'answer of 1002' });
    await h.settle();
    await expect(h.engine.generateDtmf(ref, '5')).rejects.toMatchObject({ code: ErrorCode.ResourceUnavailable });
    h.engine.released(caller);
  });
});

describe('generateDtmf to a party that does not take SIP INFO', () => {
  it('MUST send the digits as RFC 4733 from a server endpoint the party is briefly connected to, then join the parties again', async () => {
    const h = (current = harness(config, { digitsInRtp: true }));
    h.driver.offersSdp = true;
    h.driver.infoStatus = 415;
    const { caller, callee, callId } = await talking(h);
    h.driver.commands.length = 0;
    await h.engine.generateDtmf({ callId, address: '1001', terminal: 'SEP1001' }, '12');
    const media = h.media as FakeMediaWithDigits;
    expect(media.digitSenders.map((s) => ({ sent: s.sent, accepted: s.accepted.length, closed: s.closed }))).toEqual([
      { sent: ['12'], accepted: 1, closed: true },
    ]);
    expect(h.driver.commands.map((c) => `${c.kind} ${c.leg}`)).toEqual([
      `sendInfo ${callee}`,
      `updateMedia ${callee}`,
      `requestOffer ${caller}`,
      `updateMedia ${callee}`,
      `answerOffer ${caller}`,
    ]);
    expect(h.driver.take('updateMedia')[0]?.offer).toBe('digits1 offer sendonly');
    h.engine.released(caller);
  });
});

describe('DTMF a phone sends (SIP INFO)', () => {
  it('MUST become MediaTermConnDtmfEv on the sending terminal connection, and still reach the other party', async () => {
    const h = start();
    h.driver.infoStatus = 200;
    const { caller, callee } = await talking(h);
    h.events.length = 0;
    expect(
      await h.engine.relayInfo(caller, { contentType: 'application/dtmf-relay', body: 'Signal=5\r\nDuration=160\r\n' }),
    ).toBe(200);
    await h.engine.relayInfo(caller, { contentType: 'application/dtmf', body: '11' });
    await h.engine.relayInfo(caller, { contentType: 'application/x-other', body: 'Signal=7' });
    expect(lines(h.events)).toEqual(['tc SEP1001 dtmf 5', 'tc SEP1001 dtmf #']);
    expect(h.driver.take('sendInfo').map((c) => c.leg)).toEqual([callee, callee, callee]);
    h.engine.released(caller);
  });
});

describe('message waiting (CallControlAddress.setMessageWaiting)', () => {
  it('MUST tell every device of the line once per change, and report it', async () => {
    const h = start();
    h.engine.setMessageWaiting('1002', true);
    h.engine.setMessageWaiting('1002', true);
    expect(h.engine.messageWaitingOf('1002')).toBe(true);
    h.engine.setMessageWaiting('1002', false);
    await h.settle();
    expect(h.driver.take('messageWaiting')).toEqual([
      { kind: 'messageWaiting', leg: 'SEP1002', line: '1002', waiting: true },
      { kind: 'messageWaiting', leg: 'SEP1002', line: '1002', waiting: false },
    ]);
    expect(h.deviceEvents.filter((e) => e.type === 'address.messageWaiting')).toMatchObject([
      { address: '1002', waiting: true },
      { address: '1002', waiting: false },
    ]);
    expect(() => h.engine.setMessageWaiting('4711', true)).toThrow(/not configured/);
  });
});

describe('do not disturb (CallControlTerminal.setDoNotDisturb)', () => {
  it('MUST offer the device no new call — its line busy to callers — until switched off, and report each change', async () => {
    const h = start();
    h.engine.setDoNotDisturb('SEP1002', true);
    expect(h.engine.doNotDisturbOf('SEP1002')).toBe(true);
    const refused = h.engine.originate({ device: 'SEP1001', dialled: '1002', offer: sdpOffer('SEP1001') });
    await h.settle();
    expect(h.driver.take('alert').filter((a) => a.device === 'SEP1002')).toEqual([]);
    expect(h.driver.take('release').at(-1)).toMatchObject({ leg: refused, cause: { reason: 'busy' } });
    h.engine.setDoNotDisturb('SEP1002', false);
    const { caller } = await ringing(h);
    h.engine.released(caller);
    expect(h.deviceEvents.filter((e) => e.type === 'terminal.doNotDisturb')).toMatchObject([
      { terminal: 'SEP1002', on: true },
      { terminal: 'SEP1002', on: false },
    ]);
    expect(() => h.engine.setDoNotDisturb('SEP9', true)).toThrow(/not configured/);
  });
});

describe('directed pickup (CallControlTerminal.pickup)', () => {
  it('MUST stop the ringing phone with cause CALL_PICKUP and offer the call to the picking phone, asked to auto-answer', async () => {
    const h = start();
    const { caller, callee, callId } = await ringing(h);
    h.events.length = 0;
    expect(h.engine.pickup({ device: 'SEP1003', line: '1003', pickupAddress: '1002' })).toBe(callId);
    await h.settle();
    expect(h.driver.take('cancel').at(-1)).toMatchObject({ leg: callee });
    const picker = h.driver.alertFor('SEP1003');
    expect(picker.request).toMatchObject({ autoAnswer: true, offer: sdpOffer('SEP1001') });
    expect(lines(h.events)).toEqual([
      'tc SEP1002 DROPPED NORMAL/CALL_PICKUP/0',
      'conn 1002 DISCONNECTED NORMAL/CALL_PICKUP/0',
      'conn 1003 created DIRECTCALL',
      'conn 1003 ALERTING NORMAL/-/0',
      'tc SEP1003 created',
      'tc SEP1003 RINGING NORMAL/-/0',
    ]);
    expect(h.events.every((e) => e.featureReason === 'CALLPICKUP')).toBe(true);
    h.engine.answered(picker.leg, { answer: 'answer of 1003' });
    await h.settle();
    expect(h.driver.take('connected').at(-1)).toMatchObject({ leg: caller, connectedNumber: '1003' });
    h.engine.released(caller);
  });

  it('MUST be refused when nothing rings there, and by the phone that made the call', async () => {
    const h = start();
    expect(
      (await refusal(h, () => h.engine.pickup({ device: 'SEP1003', line: '1003', pickupAddress: '1002' }))).code,
    ).toBe(ErrorCode.InvalidState);
    const { caller } = await ringing(h);
    expect(
      (await refusal(h, () => h.engine.pickup({ device: 'SEP1001', line: '1001', pickupAddress: '1002' }))).code,
    ).toBe(ErrorCode.InvalidArgument);
    h.engine.released(caller);
  });
});
