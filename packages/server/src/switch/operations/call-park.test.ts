import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../core/index.js';
import type { SwitchConfig } from '../config.js';
import { harness, leftovers, line, phone, sdpOffer, type Harness } from '../test-support.js';

/** Call park (CiscoConnection.park, CiscoTerminal.unPark): park numbers, music, retrieval, reversion. */
const config: SwitchConfig = {
  devices: [phone('SEP1001', ['1001']), phone('SEP1002', ['1002']), phone('SEP1003', ['1003'])],
  lines: ['1001', '1002', '1003'].map((dn) => line(dn, { maxCalls: 4, busyTrigger: 4 })),
  callPark: { numbers: ['7900', '7901'], reversionSeconds: 60 },
};

let current: Harness | undefined;

function start(overrides: Partial<SwitchConfig> = {}): Harness {
  current = harness({ ...config, ...overrides });
  current.driver.offersSdp = true;
  return current;
}

afterEach(() => {
  if (current === undefined) return;
  expect(leftovers(current), 'calls, legs or timers left behind').toEqual({ calls: 0, legs: 0, timers: 0 });
  current = undefined;
});

/** 1001 calls 1002, which answers; returns the legs and the call id. */
async function talking(h: Harness, from = 'SEP1001', dialled = '1002') {
  const caller = h.engine.originate({ device: from, dialled, offer: sdpOffer(from) });
  await h.settle();
  const alert = h.driver.alertFor(`SEP${dialled}`);
  h.engine.answered(alert.leg, { answer: `answer of ${dialled}` });
  await h.settle();
  return { caller, callee: alert.leg, callId: alert.request.callId };
}

const states = (h: Harness, address: string): string[] =>
  h.events.flatMap((e) => (e.type === 'connection.state' && e.address === address ? [e.state] : []));

describe('call park', () => {
  it('park MUST release the parker, put the other party on music at the first free park number (QUEUED), and unpark MUST offer it to the retriever with auto-answer', async () => {
    const h = start();
    const { caller, callee, callId } = await talking(h);
    const number = await h.engine.park({ callId, address: '1002', terminal: 'SEP1002' });
    await h.settle();
    expect(number).toBe('7900');
    expect(h.driver.take('release').map((r) => r.leg)).toEqual([callee]);
    expect(states(h, '1002').at(-1)).toBe('DISCONNECTED');
    const parked = h.events.find(
      (e) => e.type === 'connection.state' && e.address === '1002' && e.state === 'DISCONNECTED',
    );
    expect(parked).toMatchObject({ callControlCause: 'PARK', featureReason: 'PARK' });
    expect(states(h, '7900')).toEqual(['QUEUED']);
    expect(h.driver.take('updateMedia').at(-1)?.offer).toBe('moh1 offer sendonly');
    expect(h.engine.parkedCalls()).toEqual([{ number: '7900', callId }]);

    expect(h.engine.unpark({ device: 'SEP1003', line: '1003', parkNumber: '7900' })).toBe(callId);
    await h.settle();
    const offered = h.driver.alertFor('SEP1003');
    expect(offered.request).toMatchObject({ autoAnswer: true, offer: undefined });
    expect(states(h, '7900')).toEqual(['QUEUED', 'DISCONNECTED']);
    h.engine.answered(offered.leg, { offer: sdpOffer('SEP1003') });
    await h.settle();
    // The parked party takes the retriever's offer; the music stops.
    expect(h.driver.take('updateMedia').at(-1)).toMatchObject({ leg: caller, offer: sdpOffer('SEP1003') });
    expect(h.media.endpoints[0]?.closed).toBe(true);
    expect(h.engine.parkedCalls()).toEqual([]);
    h.engine.released(caller);
  });

  it('a parked call nobody retrieves MUST ring its parker again after the reversion time', async () => {
    const h = start();
    const { caller, callId } = await talking(h);
    await h.engine.park({ callId, address: '1002', terminal: 'SEP1002' });
    h.clock.advance(60_000);
    await h.settle();
    expect(h.driver.take('alert').filter((a) => a.device === 'SEP1002')).toHaveLength(2);
    expect(states(h, '7900')).toEqual(['QUEUED', 'DISCONNECTED']);
    h.engine.released(caller);
  });

  it('park MUST pick the next free number, refuse when all are taken or park is off, and free a number when the parked party hangs up', async () => {
    const h = start();
    const first = await talking(h, 'SEP1001', '1002');
    expect(await h.engine.park({ callId: first.callId, address: '1002', terminal: 'SEP1002' })).toBe('7900');
    const second = await talking(h, 'SEP1003', '1002');
    expect(await h.engine.park({ callId: second.callId, address: '1002', terminal: 'SEP1002' })).toBe('7901');
    const third = await talking(h, 'SEP1002', '1003');
    await expect(h.engine.park({ callId: third.callId, address: '1003', terminal: 'SEP1003' })).rejects.toMatchObject({
      code: ErrorCode.ResourceUnavailable,
    });
    h.engine.released(first.caller);
    await h.settle();
    expect(await h.engine.park({ callId: third.callId, address: '1003', terminal: 'SEP1003' })).toBe('7900');
    expect(() => h.engine.unpark({ device: 'SEP1003', line: '1003', parkNumber: '7999' })).toThrow(
      /nothing to retrieve/,
    );
    h.engine.released(second.caller);
    h.engine.released(third.caller);
    await h.settle();

    const off = start({ callPark: undefined });
    const call = await talking(off);
    await expect(off.engine.park({ callId: call.callId, address: '1002', terminal: 'SEP1002' })).rejects.toMatchObject({
      code: ErrorCode.Unsupported,
    });
    off.engine.released(call.caller);
  });
});
