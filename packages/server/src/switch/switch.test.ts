import { afterEach, describe, expect, it } from 'vitest';
import { isStrowgerError } from '../core/index.js';
import type { SwitchConfig } from './config.js';
import { releaseCauses } from './ports.js';
import { harness, leftovers, line, phone, type Harness } from './test-support.js';

const basic: SwitchConfig = {
  devices: [phone('SEP1001', ['1001']), phone('SEP1002', ['1002']), phone('SEP1003', ['1003'])],
  lines: [line('1001'), line('1002'), line('1003')],
};

let current: Harness | undefined;

function start(config: SwitchConfig, options?: { outOfService?: string[]; withoutMedia?: boolean }): Harness {
  current = harness(config, options);
  return current;
}

afterEach(() => {
  // After every test: no call, leg or timer is left behind.
  if (current === undefined) return;
  expect(leftovers(current), 'calls, legs or timers left behind').toEqual({ calls: 0, legs: 0, timers: 0 });
  current = undefined;
});

function eventLine(h: Harness): string[] {
  return h.events.map((e) => {
    switch (e.type) {
      case 'call.state':
        return `call ${e.state}`;
      case 'connection.created':
        return `conn ${e.address} created`;
      case 'connection.state':
        return `conn ${e.address} ${e.state}/${e.coreState}`;
      case 'terminalConnection.created':
        return `tc ${e.terminal} created`;
      case 'terminalConnection.state':
        return `tc ${e.terminal} ${e.state}/${e.coreState}`;
      case 'terminalConnection.dtmf':
        return `tc ${e.terminal} dtmf ${e.digit}`;
      case 'call.transferStart':
      case 'call.transferEnd':
      case 'call.conferenceStart':
      case 'call.conferenceEnd':
        return e.type.slice('call.'.length);
    }
  });
}

describe('basic call', () => {
  it('a call MUST ring the called line, connect on answer, and end both sides when the callee hangs up', async () => {
    const h = start(basic);
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '1002', offer: 'offer-A' });
    await h.settle();
    const alert = h.driver.alertFor('SEP1002');
    expect(alert.request).toMatchObject({ line: '1002', called: '1002', dialled: '1002', offer: 'offer-A' });
    expect(alert.request.calling).toMatchObject({ number: '1001', device: 'SEP1001' });

    h.engine.ringing(alert.leg);
    await h.settle();
    expect(h.driver.take('progress')).toEqual([{ kind: 'progress', leg: caller, earlyMedia: undefined }]);

    h.clock.advance(3000);
    h.engine.answered(alert.leg, { answer: 'answer-B' });
    await h.settle();
    expect(h.driver.take('connected')).toEqual([
      { kind: 'connected', leg: caller, answer: 'answer-B', connectedNumber: '1002' },
    ]);

    h.clock.advance(60_000);
    h.engine.released(alert.leg);
    await h.settle();
    expect(h.driver.take('release')).toEqual([{ kind: 'release', leg: caller, cause: releaseCauses.normal }]);

    // §2.7: each Connection's event before its TerminalConnection's; the callee, who hung up, first.
    expect(eventLine(h)).toEqual([
      'call ACTIVE',
      'conn 1001 created',
      'conn 1001 INITIATED/CONNECTED',
      'tc SEP1001 created',
      'tc SEP1001 TALKING/ACTIVE',
      'conn 1001 DIALING/CONNECTED',
      'conn 1001 ESTABLISHED/CONNECTED',
      'conn 1002 created',
      'conn 1002 ALERTING/ALERTING',
      'tc SEP1002 created',
      'tc SEP1002 RINGING/RINGING',
      'conn 1002 ESTABLISHED/CONNECTED',
      'tc SEP1002 TALKING/ACTIVE',
      'tc SEP1002 DROPPED/DROPPED',
      'conn 1002 DISCONNECTED/DISCONNECTED',
      'tc SEP1001 DROPPED/DROPPED',
      'conn 1001 DISCONNECTED/DISCONNECTED',
      'call INVALID',
    ]);
    expect(h.events.map((e) => e.seq)).toEqual(h.events.map((_, i) => i + 1));

    expect(h.records).toHaveLength(1);
    expect(h.records[0]).toMatchObject({
      callingNumber: '1001',
      callingDevice: 'SEP1001',
      dialledNumber: '1002',
      originalCalledNumber: '1002',
      finalCalledNumber: '1002',
      calledDevice: 'SEP1002',
      releasedBy: 'callee',
      cause: releaseCauses.normal,
      redirections: [],
    });
    const record = h.records[0]!;
    expect(record.answeredAt! - record.startedAt).toBe(3000);
    expect(record.endedAt - record.answeredAt!).toBe(60_000);
  });

  it('when the caller hangs up after answer, the callee MUST be released', async () => {
    const h = start(basic);
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    const callee = h.driver.alertFor('SEP1002').leg;
    h.engine.answered(callee);
    h.engine.released(caller);
    await h.settle();
    expect(h.driver.take('release')).toEqual([{ kind: 'release', leg: callee, cause: releaseCauses.normal }]);
    expect(h.records[0]).toMatchObject({ releasedBy: 'caller', calledDevice: 'SEP1002' });
  });

  it('when the caller gives up before answer (CANCEL), ringing MUST stop with cause "cancelled"', async () => {
    const h = start(basic);
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    const callee = h.driver.alertFor('SEP1002').leg;
    h.engine.ringing(callee);
    h.engine.released(caller);
    await h.settle();
    expect(h.driver.take('cancel')).toEqual([{ kind: 'cancel', leg: callee, cause: releaseCauses.cancelled }]);
    expect(h.driver.take('release')).toEqual([]);
    expect(h.records[0]).toMatchObject({ answeredAt: undefined, releasedBy: 'caller', cause: releaseCauses.cancelled });
  });

  it('an unknown number MUST fail the caller with "unallocated" (404) and the caller\'s connection FAILED', async () => {
    const h = start(basic);
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '4711' });
    await h.settle();
    expect(h.driver.take('release')).toEqual([{ kind: 'release', leg: caller, cause: releaseCauses.unallocated }]);
    expect(eventLine(h)).toContain('conn 1001 FAILED/FAILED');
    expect(h.events.find((e) => e.type === 'connection.state' && e.state === 'FAILED')).toMatchObject({
      cause: 'DEST_NOT_OBTAINABLE',
    });
  });

  it('originating from an unknown device or a line the device does not have MUST be refused with a clear error', () => {
    const h = start(basic);
    expect(() => h.engine.originate({ device: 'SEP9999', dialled: '1002' })).toThrow(/SEP9999 is not configured/);
    try {
      h.engine.originate({ device: 'SEP1001', line: '1002', dialled: '1003' });
      expect.unreachable();
    } catch (error) {
      expect(isStrowgerError(error, 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});

describe('busy, unregistered and no answer', () => {
  it('a line at its busy trigger MUST refuse a new call with "busy" (486)', async () => {
    const h = start(basic);
    const first = h.engine.originate({ device: 'SEP1002', dialled: '1003' });
    await h.settle();
    const second = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    expect(h.driver.take('release')).toEqual([{ kind: 'release', leg: second, cause: releaseCauses.busy }]);
    h.engine.released(first);
    await h.settle();
  });

  it('a line at its busy trigger with forward-busy MUST send the call to the target', async () => {
    const config: SwitchConfig = {
      ...basic,
      lines: [line('1001'), line('1002', { forward: { busy: { destination: '1003' } } }), line('1003')],
    };
    const h = start(config);
    const first = h.engine.originate({ device: 'SEP1002', dialled: '1001' });
    const second = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    const alert = h.driver.alertFor('SEP1003');
    expect(alert.request).toMatchObject({
      called: '1003',
      dialled: '1002',
      redirections: [{ from: '1002', to: '1003', reason: 'forward-busy' }],
    });
    h.engine.released(first);
    h.engine.released(second);
    await h.settle();
  });

  it('a phone that answers busy MUST trigger forward-busy too', async () => {
    const config: SwitchConfig = {
      ...basic,
      lines: [line('1001'), line('1002', { forward: { busy: { destination: '1003' } } }), line('1003')],
    };
    const h = start(config);
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    h.engine.refused(h.driver.alertFor('SEP1002').leg, releaseCauses.busy);
    await h.settle();
    expect(h.driver.alertFor('SEP1003').request.redirections).toEqual([
      { from: '1002', to: '1003', reason: 'forward-busy' },
    ]);
    h.engine.released(caller);
    await h.settle();
  });

  it('a line with no device in service MUST fail with "unavailable" (480) when it has no forward', async () => {
    const h = start(basic, { outOfService: ['SEP1002'] });
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    expect(h.driver.take('release')).toEqual([{ kind: 'release', leg: caller, cause: releaseCauses.unavailable }]);
  });

  it('a line with no device in service MUST follow forward-unregistered', async () => {
    const config: SwitchConfig = {
      ...basic,
      lines: [line('1001'), line('1002', { forward: { unregistered: { destination: '1003' } } }), line('1003')],
    };
    const h = start(config, { outOfService: ['SEP1002'] });
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    expect(h.driver.alertFor('SEP1003').request.redirections).toEqual([
      { from: '1002', to: '1003', reason: 'forward-unregistered' },
    ]);
    h.engine.released(caller);
    await h.settle();
  });

  it('no answer within the line\'s timer MUST forward, stopping the ringing with cause "forwarded"', async () => {
    const config: SwitchConfig = {
      ...basic,
      lines: [
        line('1001'),
        line('1002', { forward: { noAnswer: { destination: '1003' } }, noAnswerSeconds: 5 }),
        line('1003'),
      ],
    };
    const h = start(config);
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    const first = h.driver.alertFor('SEP1002').leg;
    h.engine.ringing(first);
    h.clock.advance(4999);
    await h.settle();
    expect(h.driver.take('cancel')).toEqual([]);
    h.clock.advance(1);
    await h.settle();
    expect(h.driver.take('cancel')).toEqual([{ kind: 'cancel', leg: first, cause: releaseCauses.forwarded }]);
    const second = h.driver.alertFor('SEP1003');
    expect(second.request.redirections).toEqual([{ from: '1002', to: '1003', reason: 'forward-no-answer' }]);
    expect(
      h.events.find((e) => e.type === 'connection.state' && e.address === '1002' && e.state === 'DISCONNECTED'),
    ).toMatchObject({ cause: 'NORMAL', callControlCause: 'REDIRECTED', ciscoCause: 19 });

    // A late answer from the phone that was forwarded away is not wanted: its driver clears it.
    expect(h.engine.answered(first)).toBe(false);

    h.engine.answered(second.leg);
    h.engine.released(caller);
    await h.settle();
    expect(h.records[0]).toMatchObject({
      originalCalledNumber: '1002',
      finalCalledNumber: '1003',
      calledDevice: 'SEP1003',
    });
  });

  it('without forward-no-answer the call MUST keep ringing until the caller gives up', async () => {
    const h = start(basic);
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    h.clock.advance(120_000);
    await h.settle();
    expect(h.driver.take('cancel')).toEqual([]);
    h.engine.released(caller);
    await h.settle();
  });

  it('a line at its maximum calls MUST refuse a further outgoing call', async () => {
    const config: SwitchConfig = { ...basic, lines: [line('1001', { maxCalls: 1 }), line('1002'), line('1003')] };
    const h = start(config);
    const first = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    const second = h.engine.originate({ device: 'SEP1001', dialled: '1003' });
    await h.settle();
    expect(h.driver.take('release')).toEqual([
      {
        kind: 'release',
        leg: second,
        cause: { ...releaseCauses.congestion, text: 'line 1001 is already in 1 call, its maximum' },
      },
    ]);
    h.engine.released(first);
    await h.settle();
  });
});

describe('configuration', () => {
  it('a number that cannot be routed MUST be skipped, the rest of the configuration still applied', async () => {
    const h = start(basic);
    // "5-3" is no range of digits: the store refuses it, and the engine must survive it anyway.
    h.engine.updateConfig({ ...basic, lines: [...basic.lines, line('7[5-3]')] });
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    expect(h.driver.alertFor('SEP1002')).toBeDefined();
    h.engine.released(caller);
    await h.settle();
  });
});

describe('forwarding', () => {
  it('forward-all MUST send the call on before any phone of the line rings', async () => {
    const config: SwitchConfig = {
      ...basic,
      lines: [line('1001'), line('1002', { forward: { all: { destination: '1003' } } }), line('1003')],
    };
    const h = start(config);
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    expect(h.driver.take('alert').map((a) => a.device)).toEqual(['SEP1003']);
    h.engine.released(caller);
    await h.settle();
  });

  it('a forwarding loop MUST be stopped at the last number that does not loop', async () => {
    const config: SwitchConfig = {
      ...basic,
      lines: [
        line('1001'),
        line('1002', { forward: { all: { destination: '1003' } } }),
        line('1003', { forward: { all: { destination: '1002' } } }),
      ],
    };
    const h = start(config);
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    expect(h.driver.take('alert').map((a) => a.device)).toEqual(['SEP1003']);
    h.engine.released(caller);
    await h.settle();
  });

  it('forward to voicemail MUST reach the voicemail pilot with the original called number in the history', async () => {
    const config: SwitchConfig = {
      devices: [...basic.devices, phone('SEPVM', ['6000'])],
      lines: [line('1001'), line('1002', { forward: { all: { voicemail: true } } }), line('1003'), line('6000')],
      voicemailPilot: '6000',
    };
    const h = start(config);
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    expect(h.driver.alertFor('SEPVM').request).toMatchObject({
      called: '6000',
      dialled: '1002',
      redirections: [{ from: '1002', to: '6000', reason: 'forward-all' }],
    });
    h.engine.released(caller);
    await h.settle();
  });

  it("forward to voicemail MUST reach the line's voicemail profile pilot when it has one", async () => {
    const config: SwitchConfig = {
      devices: [...basic.devices, phone('SEPVM2', ['6100'])],
      lines: [
        line('1001'),
        line('1002', { forward: { all: { voicemail: true } }, voicemailPilot: '6100' }),
        line('1003'),
        line('6100'),
      ],
      voicemailPilot: '1003',
    };
    const h = start(config);
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    expect(h.driver.alertFor('SEPVM2').request.redirections).toEqual([
      { from: '1002', to: '6100', reason: 'forward-all' },
    ]);
    h.engine.released(caller);
    await h.settle();
  });

  it('forward to voicemail without a voicemail pilot MUST NOT be taken', async () => {
    const config: SwitchConfig = {
      ...basic,
      lines: [line('1001'), line('1002', { forward: { all: { voicemail: true } } }), line('1003')],
    };
    const h = start(config);
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    expect(h.driver.take('alert').map((a) => a.device)).toEqual(['SEP1002']);
    h.engine.released(caller);
    await h.settle();
  });
});

describe('shared lines', () => {
  const shared: SwitchConfig = {
    devices: [phone('SEP1001', ['1001']), phone('SEPA', ['2000']), phone('SEPB', ['2000', '2001'])],
    lines: [line('1001'), line('2000'), line('2001')],
  };

  it('every phone of a shared line MUST ring; the first to answer wins and the others show BRIDGED', async () => {
    const h = start(shared);
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '2000' });
    await h.settle();
    const a = h.driver.alertFor('SEPA').leg;
    const b = h.driver.alertFor('SEPB').leg;
    h.engine.ringing(a);
    h.engine.ringing(b);
    h.engine.answered(b);
    await h.settle();
    expect(h.driver.take('cancel')).toEqual([{ kind: 'cancel', leg: a, cause: releaseCauses.answeredElsewhere }]);
    expect(h.driver.take('progress')).toHaveLength(1);
    expect(eventLine(h)).toContain('tc SEPA BRIDGED/PASSIVE');
    h.engine.released(caller);
    await h.settle();
    expect(h.driver.take('release')).toEqual([{ kind: 'release', leg: b, cause: releaseCauses.normal }]);
  });

  it('when two phones of a shared line answer at once, the second answer MUST be refused', async () => {
    const h = start(shared);
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '2000' });
    await h.settle();
    const a = h.driver.alertFor('SEPA').leg;
    const b = h.driver.alertFor('SEPB').leg;
    expect(h.engine.answered(a)).toBe(true);
    expect(h.engine.answered(b)).toBe(false);
    await h.settle();
    expect(h.driver.take('cancel')).toEqual([{ kind: 'cancel', leg: b, cause: releaseCauses.answeredElsewhere }]);
    h.engine.released(a);
    await h.settle();
    expect(h.driver.take('release').at(-1)).toEqual({ kind: 'release', leg: caller, cause: releaseCauses.normal });
  });

  it('when one phone of a shared line refuses, the others MUST keep ringing', async () => {
    const h = start(shared);
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '2000' });
    await h.settle();
    h.engine.refused(h.driver.alertFor('SEPA').leg, releaseCauses.rejected);
    await h.settle();
    expect(h.driver.take('release')).toEqual([]);
    h.engine.refused(h.driver.alertFor('SEPB').leg, releaseCauses.rejected);
    await h.settle();
    expect(h.driver.take('release')).toEqual([{ kind: 'release', leg: caller, cause: releaseCauses.rejected }]);
  });

  it("the caller's own phone MUST NOT ring when it shares the line it calls", async () => {
    const h = start(shared);
    const caller = h.engine.originate({ device: 'SEPB', line: '2001', dialled: '2000' });
    await h.settle();
    expect(h.driver.take('alert').map((a) => a.device)).toEqual(['SEPA']);
    h.engine.released(caller);
    await h.settle();
  });
});

describe('races', () => {
  it("an answer crossing the caller's CANCEL MUST be released and the call end once", async () => {
    const h = start(basic);
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    const callee = h.driver.alertFor('SEP1002').leg;
    h.engine.released(caller);
    expect(h.engine.answered(callee)).toBe(false);
    await h.settle();
    expect(h.driver.take('cancel')).toEqual([{ kind: 'cancel', leg: callee, cause: releaseCauses.cancelled }]);
    expect(h.records).toHaveLength(1);
    expect(h.records[0]?.answeredAt).toBeUndefined();
  });

  it('both sides hanging up at once MUST end the call once, with nothing sent to either', async () => {
    const h = start(basic);
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    const callee = h.driver.alertFor('SEP1002').leg;
    h.engine.answered(callee);
    await h.settle();
    h.driver.commands.length = 0;
    h.engine.released(caller);
    h.engine.released(callee);
    await h.settle();
    expect(h.driver.commands).toEqual([{ kind: 'release', leg: callee, cause: releaseCauses.normal }]);
    expect(h.records).toHaveLength(1);
    expect(h.events.filter((e) => e.type === 'call.state' && e.state === 'INVALID')).toHaveLength(1);
  });

  it('a BYE crossing a re-INVITE MUST end the call once, and the late answer MUST change nothing', async () => {
    const sdp = (direction: string) =>
      `v=0\r\no=a 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=${direction}\r\n`;
    for (const withoutMedia of [true, false]) {
      const h = start(basic, { withoutMedia });
      const caller = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
      await h.settle();
      const callee = h.driver.alertFor('SEP1002').leg;
      h.engine.answered(callee);
      await h.settle();
      h.driver.deferredMediaUpdates = [];
      const hold = h.engine.updateMedia(caller, sdp('sendonly'));
      await h.settle();
      expect(h.driver.deferredMediaUpdates).toHaveLength(1);
      h.engine.released(callee); // the callee's BYE crosses the re-INVITE sent to it
      await h.settle();
      expect(h.driver.take('release')).toEqual([{ kind: 'release', leg: caller, cause: releaseCauses.normal }]);
      h.driver.deferredMediaUpdates[0]?.resolve('a late 200 to the re-INVITE');
      const outcome = await hold.then(
        () => 'answered',
        (error: unknown) => String(error),
      );
      // Passed through, the late answer is returned (the driver drops it: its dialog is gone); with music
      // on hold the endpoint is closed and the hold refused. Either way no state moves after the end.
      expect(outcome).toMatch(withoutMedia ? /answered/ : /ended while it was being put on hold/);
      expect(h.events.filter((e) => e.type === 'call.state' && e.state === 'INVALID')).toHaveLength(1);
      expect(h.events.some((e) => e.type === 'terminalConnection.state' && e.state === 'HELD')).toBe(false);
      expect(h.media.endpoints.every((endpoint) => endpoint.closed)).toBe(true);
      expect(h.records).toHaveLength(1);
      expect(h.engine.callCount).toBe(0);
      expect(h.engine.legCount).toBe(0);
    }
  });

  it('an offer that stops receiving audio MUST put the offering terminal on HELD, and a resume MUST bring it back', async () => {
    const sdp = (direction: string) =>
      `v=0\r\no=a 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=${direction}\r\n`;
    const h = start(basic);
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    const callee = h.driver.alertFor('SEP1002').leg;
    h.engine.answered(callee);
    await h.engine.updateMedia(caller, sdp('sendonly'));
    expect(eventLine(h).at(-1)).toBe('tc SEP1001 HELD/ACTIVE');
    h.driver.refuseMediaUpdates = true;
    await expect(h.engine.updateMedia(caller, sdp('sendrecv'))).rejects.toThrow();
    expect(eventLine(h).at(-1)).toBe('tc SEP1001 HELD/ACTIVE');
    h.driver.refuseMediaUpdates = false;
    await h.engine.updateMedia(caller, sdp('sendrecv'));
    expect(h.events.at(-1)).toMatchObject({
      type: 'terminalConnection.state',
      state: 'TALKING',
      cause: 'NORMAL',
      callControlCause: 'UNHOLD',
    });
    h.engine.released(callee);
    await h.settle();
  });

  it('a media update MUST be passed to the other party, and a refusal MUST leave the call up', async () => {
    const h = start(basic);
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    const callee = h.driver.alertFor('SEP1002').leg;
    await expect(h.engine.updateMedia(caller, 'hold')).rejects.toThrow(/no connected party/);
    h.engine.answered(callee);
    await expect(h.engine.updateMedia(caller, 'hold')).resolves.toBe('answer to hold');
    expect(h.driver.take('updateMedia')).toEqual([{ kind: 'updateMedia', leg: callee, offer: 'hold' }]);
    h.driver.refuseMediaUpdates = true;
    await expect(h.engine.updateMedia(callee, 'resume')).rejects.toThrow(/488/);
    expect(h.engine.callCount).toBe(1);
    h.engine.released(caller);
    await h.settle();
  });
});

describe('music on hold', () => {
  const sdp = (direction: string, codec = '0') =>
    `v=0\r\no=a 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP ${codec}\r\na=${direction}\r\n`;

  async function connected(h: Harness): Promise<{ caller: string; callee: string }> {
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    const callee = h.driver.alertFor('SEP1002').leg;
    h.engine.answered(callee);
    await h.settle();
    return { caller, callee };
  }

  it('hold MUST connect the held party to music on hold, and resume MUST connect the parties again', async () => {
    const h = start(basic);
    const { caller, callee } = await connected(h);
    await expect(h.engine.updateMedia(caller, sdp('sendonly'))).resolves.toBe('moh1 answer recvonly');
    expect(h.driver.take('updateMedia')).toEqual([{ kind: 'updateMedia', leg: callee, offer: 'moh1 offer sendonly' }]);
    const music = h.media.endpoints[0]!;
    expect(music.accepted).toEqual(['answer to moh1 offer sendonly']);
    expect(eventLine(h).at(-1)).toBe('tc SEP1001 HELD/ACTIVE');
    await expect(h.engine.updateMedia(caller, sdp('sendrecv'))).resolves.toBe(`answer to ${sdp('sendrecv')}`);
    expect(h.driver.take('updateMedia').at(-1)).toEqual({ kind: 'updateMedia', leg: callee, offer: sdp('sendrecv') });
    expect(music.closed).toBe(true);
    expect(eventLine(h).at(-1)).toBe('tc SEP1001 TALKING/ACTIVE');
    h.engine.released(caller);
    await h.settle();
  });

  it('a hold offer with no usable codec, or a server without media, MUST be passed to the other party instead', async () => {
    let h = start(basic);
    let legs = await connected(h);
    await h.engine.updateMedia(legs.caller, sdp('sendonly', '18'));
    expect(h.driver.take('updateMedia')).toEqual([
      { kind: 'updateMedia', leg: legs.callee, offer: sdp('sendonly', '18') },
    ]);
    expect(h.media.endpoints[0]?.closed).toBe(true);
    expect(eventLine(h).at(-1)).toBe('tc SEP1001 HELD/ACTIVE');
    h.engine.released(legs.caller);
    await h.settle();

    h = start(basic, { withoutMedia: true });
    legs = await connected(h);
    await h.engine.updateMedia(legs.caller, sdp('sendonly'));
    expect(h.driver.take('updateMedia')).toEqual([{ kind: 'updateMedia', leg: legs.callee, offer: sdp('sendonly') }]);
    h.engine.released(legs.caller);
    await h.settle();
  });

  it('the held party refusing the music MUST refuse the hold and leave the call as it was', async () => {
    const h = start(basic);
    const { caller } = await connected(h);
    h.driver.refuseMediaUpdates = true;
    await expect(h.engine.updateMedia(caller, sdp('sendonly'))).rejects.toThrow(/488/);
    expect(h.media.endpoints[0]?.closed).toBe(true);
    expect(eventLine(h).at(-1)).toBe('tc SEP1002 TALKING/ACTIVE');
    h.engine.released(caller);
    await h.settle();
  });

  it('hanging up while on hold MUST stop the music', async () => {
    const h = start(basic);
    const { caller, callee } = await connected(h);
    await h.engine.updateMedia(caller, sdp('sendonly'));
    h.engine.released(callee);
    await h.settle();
    expect(h.media.endpoints[0]?.closed).toBe(true);
  });
});

describe('offer and answer', () => {
  it("a caller without an offer MUST get the callee's offer on connection, and its answer MUST reach the callee", async () => {
    const h = start(basic);
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    const callee = h.driver.alertFor('SEP1002');
    expect(callee.request.offer).toBeUndefined();
    h.engine.answered(callee.leg, { offer: 'offer of 1002' });
    await h.settle();
    expect(h.driver.take('connected')).toEqual([
      { kind: 'connected', leg: caller, answer: 'offer of 1002', connectedNumber: '1002' },
    ]);
    h.engine.offerAnswered(caller, 'answer of 1001');
    h.engine.offerAnswered(caller, 'a second answer is ignored');
    await h.settle();
    expect(h.driver.take('answerOffer')).toEqual([{ kind: 'answerOffer', leg: callee.leg, answer: 'answer of 1001' }]);
    h.engine.released(caller);
    await h.settle();
  });

  it('a caller that sends no answer MUST end the call, and the callee MUST get an empty answer before release', async () => {
    const h = start(basic);
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    const callee = h.driver.alertFor('SEP1002').leg;
    h.engine.answered(callee, { offer: 'offer of 1002' });
    h.engine.offerAnswered(caller, undefined);
    await h.settle();
    expect(h.driver.commands.slice(-3).map((c) => `${c.kind} ${c.leg}`)).toEqual([
      `answerOffer ${callee}`,
      `release ${caller}`,
      `release ${callee}`,
    ]);
  });
});

describe('mid-call information', () => {
  it('INFO MUST go to the connected party and its status come back; without a party it MUST be taken and dropped', async () => {
    const h = start(basic);
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    const callee = h.driver.alertFor('SEP1002').leg;
    const dtmf = { contentType: 'application/dtmf-relay', body: 'Signal=5\r\n' };
    await expect(h.engine.relayInfo(caller, dtmf)).resolves.toBe(200);
    expect(h.driver.take('sendInfo')).toEqual([]);
    h.engine.answered(callee);
    await expect(h.engine.relayInfo(caller, dtmf)).resolves.toBe(415);
    expect(h.driver.take('sendInfo')).toEqual([{ kind: 'sendInfo', leg: callee, info: dtmf }]);
    h.engine.released(caller);
    await h.settle();
  });
});

describe('call control', () => {
  it('redirect MUST move a ringing call to another number, and MUST be refused once the call is answered', async () => {
    const h = start(basic);
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    const ringing = h.driver.alertFor('SEP1002').leg;
    h.engine.ringing(ringing);
    const callId = h.engine.listCalls()[0]!.id;
    expect(() => h.engine.redirect(callId, '4711')).toThrow(/not a routable number/);
    h.engine.redirect(callId, '1003');
    await h.settle();
    expect(h.driver.take('cancel')).toEqual([{ kind: 'cancel', leg: ringing, cause: releaseCauses.forwarded }]);
    const redirected = h.driver.alertFor('SEP1003');
    expect(redirected.request.redirections).toEqual([{ from: '1002', to: '1003', reason: 'redirect' }]);
    h.engine.answered(redirected.leg);
    try {
      h.engine.redirect(callId, '1002');
      expect.unreachable();
    } catch (error) {
      expect(isStrowgerError(error, 'INVALID_STATE')).toBe(true);
    }
    h.engine.released(caller);
    await h.settle();
  });

  it('drop MUST end the call for every party, and a second drop MUST say the call is gone', async () => {
    const h = start(basic);
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    const callee = h.driver.alertFor('SEP1002').leg;
    h.engine.answered(callee);
    const callId = h.engine.listCalls()[0]!.id;
    h.engine.drop(callId);
    await h.settle();
    expect(
      h.driver
        .take('release')
        .map((c) => c.leg)
        .sort(),
    ).toEqual([caller, callee].sort());
    expect(h.records[0]).toMatchObject({ releasedBy: 'system' });
    expect(() => h.engine.drop(callId)).toThrow(/not in progress/);
  });
});

describe('transfer', () => {
  const three: SwitchConfig = {
    ...basic,
    devices: [...basic.devices, phone('SEP1004', ['1004'])],
    lines: [...basic.lines, line('1004', { forward: { busy: { destination: '1003' } } })],
  };

  /** 1001 calls `dialled` and it answers; returns both legs. */
  async function connect(h: Harness, from: string, dialled: string): Promise<{ caller: string; callee: string }> {
    const caller = h.engine.originate({ device: `SEP${from}`, dialled, offer: `offer of ${from}` });
    await h.settle();
    const callee = h.driver.alertFor(`SEP${dialled}`).leg;
    h.engine.answered(callee, { answer: `answer of ${dialled}` });
    await h.settle();
    return { caller, callee };
  }

  it('a blind transfer MUST drop the transferring party, ring the target without an offer, and join the parties when it answers', async () => {
    const h = start(three);
    const { caller, callee } = await connect(h, '1001', '1002');
    h.events.length = 0;
    h.driver.commands.length = 0;
    h.engine.transfer(callee, '1003');
    await h.settle();
    expect(h.driver.take('release')).toEqual([{ kind: 'release', leg: callee, cause: releaseCauses.transferred }]);
    const target = h.driver.alertFor('SEP1003');
    expect(target.request).toMatchObject({
      offer: undefined,
      calling: { number: '1001', device: 'SEP1001' },
      redirections: [{ from: '1002', to: '1003', reason: 'transfer' }],
    });
    expect(eventLine(h).slice(0, 4)).toEqual([
      'transferStart',
      'tc SEP1002 DROPPED/DROPPED',
      'conn 1002 DISCONNECTED/DISCONNECTED',
      'conn 1003 created',
    ]);
    expect(h.events[2]).toMatchObject({ cause: 'NORMAL', callControlCause: 'TRANSFER' });
    h.engine.ringing(target.leg);
    await h.settle();
    expect(h.driver.take('progress'), 'the caller is connected already; no second ringing').toEqual([]);
    expect(h.engine.answered(target.leg, { offer: 'offer of 1003' })).toBe(true);
    await h.settle();
    // RFC 3725 flow III: the newcomer's offer goes to the party that stayed, its answer comes back.
    expect(h.driver.take('connected')).toEqual([]);
    expect(h.driver.take('updateMedia')).toEqual([{ kind: 'updateMedia', leg: caller, offer: 'offer of 1003' }]);
    expect(h.driver.take('answerOffer')).toEqual([
      { kind: 'answerOffer', leg: target.leg, answer: 'answer to offer of 1003' },
    ]);
    const view = h.engine.listCalls()[0]!;
    expect(view.connections.map((c) => `${c.address} ${c.state}`)).toEqual([
      '1001 ESTABLISHED',
      '1002 DISCONNECTED',
      '1003 ESTABLISHED',
    ]);
    h.engine.released(caller);
    await h.settle();
    expect(h.driver.take('release').at(-1)).toEqual({ kind: 'release', leg: target.leg, cause: releaseCauses.normal });
    // One record per leg: 1001 with 1002 until the transfer, then 1001 with 1003.
    expect(h.records).toHaveLength(2);
    expect(h.records[0]).toMatchObject({
      callingNumber: '1001',
      finalCalledNumber: '1002',
      cause: releaseCauses.transferred,
      releasedBy: 'callee',
    });
    expect(h.records[1]).toMatchObject({
      callingNumber: '1001',
      originalCalledNumber: '1002',
      finalCalledNumber: '1003',
      calledDevice: 'SEP1003',
      releasedBy: 'caller',
      redirections: [{ from: '1002', to: '1003', reason: 'transfer' }],
    });
  });

  it('the caller MAY transfer too: the called party then calls the target', async () => {
    const h = start(three);
    const { caller, callee } = await connect(h, '1001', '1002');
    h.engine.transfer(caller, '1003');
    await h.settle();
    const target = h.driver.alertFor('SEP1003');
    expect(target.request.calling).toMatchObject({ number: '1002' });
    h.engine.answered(target.leg, { offer: 'offer of 1003' });
    await h.settle();
    expect(h.driver.take('updateMedia')).toEqual([{ kind: 'updateMedia', leg: callee, offer: 'offer of 1003' }]);
    h.engine.released(target.leg);
    await h.settle();
    expect(h.driver.take('release').at(-1)).toEqual({ kind: 'release', leg: callee, cause: releaseCauses.normal });
    expect(h.records.map((r) => r.releasedBy)).toEqual(['caller', 'callee']);
  });

  it('a blind transfer to a busy target MUST follow its forward-busy, and without one end the call as busy', async () => {
    const h = start(three);
    const { caller, callee } = await connect(h, '1001', '1002');
    h.engine.transfer(callee, '1004');
    await h.settle();
    h.engine.refused(h.driver.alertFor('SEP1004').leg, releaseCauses.busy);
    await h.settle();
    const forwarded = h.driver.alertFor('SEP1003');
    expect(forwarded.request.redirections.map((r) => r.reason)).toEqual(['transfer', 'forward-busy']);
    h.engine.refused(forwarded.leg, releaseCauses.busy);
    await h.settle();
    expect(h.driver.take('release').at(-1)).toEqual({ kind: 'release', leg: caller, cause: releaseCauses.busy });
  });

  it('a blind transfer MUST be refused, leaving the call up, for an unroutable target, the other party itself, or an unanswered call', async () => {
    const h = start(three);
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '1002' });
    await h.settle();
    const ringing = h.driver.alertFor('SEP1002').leg;
    expect(() => h.engine.transfer(ringing, '1003')).toThrow(/RINGING|IDLE/);
    expect(() => h.engine.transfer(caller, '1003')).toThrow(/not connected to anyone/);
    h.engine.answered(ringing);
    expect(() => h.engine.transfer(ringing, '4711')).toThrow(/not a routable number/);
    expect(() => h.engine.transfer(ringing, '1001')).toThrow(/connect it to itself/);
    expect(() => h.engine.transfer('nope', '1003')).toThrow(/not in a call/);
    expect(h.engine.listCalls()[0]?.connections.map((c) => c.state)).toEqual(['ESTABLISHED', 'ESTABLISHED']);
    h.engine.released(caller);
    await h.settle();
  });

  it('the party that stayed hanging up while the target rings MUST cancel the target', async () => {
    const h = start(three);
    const { caller, callee } = await connect(h, '1001', '1002');
    h.engine.transfer(callee, '1003');
    await h.settle();
    const target = h.driver.alertFor('SEP1003').leg;
    h.engine.released(caller);
    await h.settle();
    expect(h.driver.take('cancel')).toEqual([{ kind: 'cancel', leg: target, cause: releaseCauses.cancelled }]);
  });

  it('when the parties cannot agree on media after a transfer, the call MUST end and the newcomer get no answer', async () => {
    const h = start(three);
    const { caller, callee } = await connect(h, '1001', '1002');
    h.engine.transfer(callee, '1003');
    await h.settle();
    const target = h.driver.alertFor('SEP1003').leg;
    h.driver.refuseMediaUpdates = true;
    h.engine.answered(target, { offer: 'offer of 1003' });
    await h.settle();
    await h.settle();
    expect(h.driver.take('answerOffer')).toEqual([{ kind: 'answerOffer', leg: target, answer: undefined }]);
    expect(
      h.driver
        .take('release')
        .map((c) => c.leg)
        .sort(),
    ).toEqual([callee, caller, target].sort());
  });

  it('a consult transfer MUST join the held party and the consulted party in the first call, and end the second', async () => {
    const h = start(three);
    const first = await connect(h, '1001', '1002');
    const second = await connect(h, '1002', '1003');
    const [firstCall, secondCall] = h.engine.listCalls().map((c) => c.id);
    h.events.length = 0;
    h.driver.commands.length = 0;
    h.engine.transferCalls(first.callee, second.caller);
    await h.settle();
    expect(
      h.driver
        .take('release')
        .map((c) => `${c.leg} ${c.cause.reason}`)
        .sort(),
    ).toEqual([`${first.callee} transferred`, `${second.caller} transferred`].sort());
    // The consulted party's device is asked for an offer; the held party answers it.
    expect(h.driver.take('requestOffer')).toEqual([{ kind: 'requestOffer', leg: second.callee }]);
    expect(h.driver.take('updateMedia')).toEqual([
      { kind: 'updateMedia', leg: first.caller, offer: `offer from ${second.callee}` },
    ]);
    expect(h.driver.take('answerOffer')).toEqual([
      { kind: 'answerOffer', leg: second.callee, answer: `answer to offer from ${second.callee}` },
    ]);
    const calls = h.engine.listCalls();
    expect(calls.map((c) => c.id)).toEqual([firstCall]);
    expect(calls[0]?.connections.map((c) => `${c.address} ${c.state}`)).toEqual([
      '1001 ESTABLISHED',
      '1002 DISCONNECTED',
      '1003 ESTABLISHED',
    ]);
    const secondEvents = h.events.filter((e) => e.callId === secondCall);
    expect(secondEvents.at(-2)).toMatchObject({ type: 'call.state', state: 'INVALID', callControlCause: 'TRANSFER' });
    expect(secondEvents.at(-1)).toMatchObject({ type: 'call.transferEnd', transferredCallId: secondCall });
    expect(
      h.events.find((e) => e.callId === firstCall && e.type === 'terminalConnection.state' && e.terminal === 'SEP1003'),
    ).toMatchObject({
      terminal: 'SEP1003',
      state: 'TALKING',
      callControlCause: 'TRANSFER',
    });
    // The moved party keeps its leg: hanging it up ends the first call.
    h.engine.released(second.callee);
    await h.settle();
    expect(h.driver.take('release').at(-1)).toEqual({
      kind: 'release',
      leg: first.caller,
      cause: releaseCauses.normal,
    });
    expect(h.records.map((r) => `${r.callingNumber}→${r.finalCalledNumber} ${r.cause.reason}`)).toEqual([
      '1001→1002 transferred',
      '1002→1003 transferred',
      '1001→1003 normal',
    ]);
  });

  it('a consult transfer MUST be refused for legs of one call or a call not yet answered', async () => {
    const h = start(three);
    const first = await connect(h, '1001', '1002');
    expect(() => h.engine.transferCalls(first.callee, first.caller)).toThrow(/same call/);
    const ringingCaller = h.engine.originate({ device: 'SEP1002', dialled: '1003' });
    await h.settle();
    expect(() => h.engine.transferCalls(first.callee, ringingCaller)).toThrow(/must be connected/);
    h.engine.released(ringingCaller);
    h.engine.released(first.caller);
    await h.settle();
  });
});

describe('conference', () => {
  const four: SwitchConfig = {
    devices: [...basic.devices, phone('SEP1004', ['1004'])],
    lines: [line('1001'), line('1002', { maxCalls: 4, busyTrigger: 4 }), line('1003'), line('1004')],
  };

  async function connect(h: Harness, from: string, dialled: string): Promise<{ caller: string; callee: string }> {
    const caller = h.engine.originate({ device: `SEP${from}`, dialled, offer: `offer of ${from}` });
    await h.settle();
    const callee = h.driver.alertFor(`SEP${dialled}`).leg;
    h.engine.answered(callee, { answer: `answer of ${dialled}` });
    await h.settle();
    return { caller, callee };
  }

  it('conference MUST bring the consulted party into the first call and connect all three to one bridge', async () => {
    const h = start(four);
    const first = await connect(h, '1001', '1002');
    const second = await connect(h, '1002', '1003');
    const [firstCall, secondCall] = h.engine.listCalls().map((c) => c.id);
    h.driver.commands.length = 0;
    await h.engine.conference(first.callee, second.caller);
    await h.settle();
    // The controller's leg in the second call is released; the three others are re-INVITEd to the bridge.
    expect(h.driver.take('release')).toEqual([
      { kind: 'release', leg: second.caller, cause: releaseCauses.conferenced },
    ]);
    const bridge = h.media.bridges[0]!;
    expect(bridge.endpoints).toHaveLength(3);
    expect(
      h.driver
        .take('updateMedia')
        .map((c) => c.leg)
        .sort(),
    ).toEqual([first.caller, first.callee, second.callee].sort());
    expect(bridge.endpoints.map((e) => e.accepted.length)).toEqual([1, 1, 1]);
    const calls = h.engine.listCalls();
    expect(calls.map((c) => c.id)).toEqual([firstCall]);
    expect(calls[0]?.connections.filter((c) => c.state === 'ESTABLISHED').map((c) => c.address)).toEqual([
      '1001',
      '1002',
      '1003',
    ]);
    expect(h.events.filter((e) => e.callId === secondCall).at(-2)).toMatchObject({
      type: 'call.state',
      state: 'INVALID',
      callControlCause: 'CONFERENCE',
    });

    // One party leaves: the other two stay in the bridge; the next to leave ends the call.
    h.driver.commands.length = 0;
    h.engine.released(first.caller);
    await h.settle();
    expect(h.engine.callCount).toBe(1);
    expect(bridge.endpoints.filter((e) => e.closed)).toHaveLength(1);
    expect(h.driver.take('release')).toEqual([]);
    h.engine.released(second.callee);
    await h.settle();
    expect(h.driver.take('release')).toEqual([{ kind: 'release', leg: first.callee, cause: releaseCauses.normal }]);
    expect(bridge.closed).toBe(true);
    expect(bridge.endpoints.every((e) => e.closed)).toBe(true);
    expect(h.records.map((r) => r.cause.reason)).toEqual(['conferenced', 'normal']);
  });

  it("a party's hold in a conference MUST be answered by its bridge endpoint, not passed on", async () => {
    const sdp = (direction: string) =>
      `v=0\r\no=a 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=${direction}\r\n`;
    const h = start(four);
    const first = await connect(h, '1001', '1002');
    const second = await connect(h, '1002', '1003');
    await h.engine.conference(first.callee, second.caller);
    h.driver.commands.length = 0;
    await expect(h.engine.updateMedia(second.callee, sdp('sendonly'))).resolves.toMatch(/answer recvonly/);
    expect(h.driver.take('updateMedia')).toEqual([]);
    expect(eventLine(h).at(-1)).toBe('tc SEP1003 HELD/ACTIVE');
    h.engine.drop(h.engine.listCalls()[0]!.id);
    await h.settle();
  });

  it('conference MUST be refused without media resources, for one call, or when already a conference', async () => {
    let h = start(four, { withoutMedia: true });
    let first = await connect(h, '1001', '1002');
    let second = await connect(h, '1002', '1003');
    await expect(h.engine.conference(first.callee, second.caller)).rejects.toThrow(/media resources/);
    h.engine.released(first.caller);
    h.engine.released(second.callee);
    await h.settle();

    h = start(four);
    first = await connect(h, '1001', '1002');
    await expect(h.engine.conference(first.callee, first.caller)).rejects.toThrow(/same call/);
    second = await connect(h, '1002', '1003');
    await h.engine.conference(first.callee, second.caller);
    const third = await connect(h, '1002', '1004');
    await expect(h.engine.conference(first.callee, third.caller)).rejects.toThrow(/already a conference/);
    expect(() => h.engine.transfer(first.callee, '1004')).toThrow(/in a conference/);
    h.engine.released(third.callee);
    h.engine.drop(h.engine.listCalls()[0]!.id);
    await h.settle();
  });

  it('a party whose device refuses the bridge MUST be released, and the others MUST stay', async () => {
    const h = start(four);
    const first = await connect(h, '1001', '1002');
    const second = await connect(h, '1002', '1003');
    h.driver.refuseMediaUpdates = true;
    await h.engine.conference(first.callee, second.caller);
    await h.settle();
    // All three refused: the first two to fail leave, the call ends with the last.
    expect(h.engine.callCount).toBe(0);
    expect(h.media.bridges[0]?.closed).toBe(true);
  });

  it('a call to the conference number MUST be answered by a bridge port as a focus, and REFER-style joins MUST bring other calls in', async () => {
    const h = start({ ...four, conferenceNumber: '8000' });
    const withA = await connect(h, '1001', '1002');
    const withC = await connect(h, '1003', '1002');
    h.driver.commands.length = 0;
    const focus = h.engine.originate({ device: 'SEP1002', dialled: '8000', offer: 'offer of 1002' });
    await h.settle();
    await h.settle();
    expect(h.driver.take('connected')).toEqual([
      { kind: 'connected', leg: focus, answer: 'bridge1.1 answer sendrecv', connectedNumber: '8000', focus: true },
    ]);
    expect(h.engine.inConference(focus)).toBe(true);
    expect(h.engine.inConference(withA.callee)).toBe(false);

    await h.engine.joinConference(focus, withA.callee);
    await h.engine.joinConference(focus, withC.callee);
    await h.settle();
    expect(h.driver.take('release').map((c) => `${c.leg} ${c.cause.reason}`)).toEqual([
      `${withA.callee} conferenced`,
      `${withC.callee} conferenced`,
    ]);
    expect(h.driver.take('updateMedia')).toEqual([
      { kind: 'updateMedia', leg: withA.caller, offer: 'bridge1.2 offer sendrecv' },
      { kind: 'updateMedia', leg: withC.caller, offer: 'bridge1.3 offer sendrecv' },
    ]);
    const [call] = h.engine.listCalls();
    expect(h.engine.callCount).toBe(1);
    expect(call?.connections.filter((c) => c.state === 'ESTABLISHED').map((c) => c.address)).toEqual([
      '1002',
      '8000',
      '1001',
      '1003',
    ]);
    // The phone that made the conference leaves; the two it brought in go on talking.
    h.driver.commands.length = 0;
    h.engine.released(focus);
    await h.settle();
    expect(h.engine.callCount).toBe(1);
    h.engine.released(withA.caller);
    await h.settle();
    expect(h.driver.take('release')).toEqual([{ kind: 'release', leg: withC.caller, cause: releaseCauses.normal }]);
    expect(h.media.bridges[0]?.closed).toBe(true);
  });

  it('joining MUST be refused from a call that is not a conference, and the conference number MUST need an offer', async () => {
    const h = start({ ...four, conferenceNumber: '8000' });
    const withA = await connect(h, '1001', '1002');
    const withC = await connect(h, '1003', '1002');
    await expect(h.engine.joinConference(withA.callee, withC.callee)).rejects.toThrow(/not in a conference/);
    const noOffer = h.engine.originate({ device: 'SEP1004', dialled: '8000' });
    await h.settle();
    expect(h.driver.take('release').at(-1)).toEqual({
      kind: 'release',
      leg: noOffer,
      cause: releaseCauses.unavailable,
    });
    h.engine.released(withA.caller);
    h.engine.released(withC.caller);
    await h.settle();
  });
});
