import { afterEach, describe, expect, it } from 'vitest';
import { isStrowgerError } from '../core/index.js';
import type { SwitchConfig } from './config.js';
import { ctiPort, harness, leftovers, line, phone, routePoint, type Harness } from './test-support.js';

// Calls offered to applications' devices (domain reference §1.2, §1.3): a route point's line holds
// many calls, each OFFERED until the application decides; a port rings as a phone does.
const config: SwitchConfig = {
  devices: [
    phone('SEP1001', ['1001']),
    phone('SEP1002', ['1002']),
    phone('SEP1003', ['1003']),
    routePoint('IVR_RP', ['7000']),
    ctiPort('IVR_P1', '7101'),
  ],
  lines: [
    line('1001'),
    line('1002'),
    line('1003'),
    line('7000', {
      maxCalls: 5000,
      busyTrigger: 4500,
      forward: { noAnswer: { destination: '1002' }, ctiFailure: { destination: '1003' } },
    }),
    line('7101'),
  ],
};

let current: Harness | undefined;

function start(options?: { outOfService?: string[] }): Harness {
  current = harness(config, options);
  return current;
}

afterEach(() => {
  if (current === undefined) return;
  // Every test ends its calls: nothing may be left behind.
  for (const call of current.engine.listCalls()) current.engine.drop(call.id);
  expect(leftovers(current)).toEqual({ calls: 0, legs: 0, timers: 0 });
  current = undefined;
});

function connectionStates(h: Harness, address: string): string[] {
  return h.events.flatMap((e) => (e.type === 'connection.state' && e.address === address ? [e.state] : []));
}

describe('CTI route points', () => {
  it('a call to a route point MUST be OFFERED (its terminal connection IDLE) and the caller not told of ringing until accepted', async () => {
    const h = start();
    h.engine.originate({ device: 'SEP1001', dialled: '7000', offer: 'offer-A' });
    await h.settle();
    const alert = h.driver.alertFor('IVR_RP');
    expect(alert.request).toMatchObject({ line: '7000', called: '7000' });
    expect(connectionStates(h, '7000')).toEqual(['OFFERED']);
    expect(h.events.some((e) => e.type === 'terminalConnection.state' && e.terminal === 'IVR_RP')).toBe(false);
    expect(h.driver.take('progress')).toHaveLength(0);

    const [call] = h.engine.listCalls();
    h.engine.accept({ callId: call!.id, address: '7000' });
    await h.settle();
    expect(connectionStates(h, '7000')).toEqual(['OFFERED', 'ALERTING']);
    expect(h.events.filter((e) => e.type === 'terminalConnection.state' && e.terminal === 'IVR_RP')).toMatchObject([
      { state: 'RINGING' },
    ]);
    expect(h.driver.take('progress')).toHaveLength(1); // the caller hears ringback
  });

  it('a route point line MUST hold many calls at once, up to its busy trigger', async () => {
    const h = start();
    for (const device of ['SEP1001', 'SEP1002', 'SEP1003'])
      h.engine.originate({ device, dialled: '7000', offer: device });
    await h.settle();
    expect(h.driver.take('alert').filter((a) => a.device === 'IVR_RP')).toHaveLength(3);
    expect(h.engine.listCalls()).toHaveLength(3);
  });

  it('reject MUST treat the caller as reaching a busy line', async () => {
    const h = start();
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '7000', offer: 'offer-A' });
    await h.settle();
    const [call] = h.engine.listCalls();
    h.engine.reject({ callId: call!.id, address: '7000' });
    await h.settle();
    expect(h.driver.take('release').find((r) => r.leg === caller)?.cause.reason).toBe('busy');
    expect(h.engine.callCount).toBe(0);
  });

  it('accept and reject MUST refuse a connection that is not OFFERED, changing nothing', async () => {
    const h = start();
    h.engine.originate({ device: 'SEP1001', dialled: '7000', offer: 'offer-A' });
    await h.settle();
    const [call] = h.engine.listCalls();
    h.engine.accept({ callId: call!.id, address: '7000' });
    let error: unknown;
    try {
      h.engine.reject({ callId: call!.id, address: '7000' });
    } catch (caught) {
      error = caught;
    }
    expect(isStrowgerError(error) && error.code).toBe('INVALID_STATE');
    expect(connectionStates(h, '7000')).toEqual(['OFFERED', 'ALERTING']);
  });

  it('when the application does not decide in time, forward no answer MUST apply at once', async () => {
    const h = start();
    h.engine.originate({ device: 'SEP1001', dialled: '7000', offer: 'offer-A' });
    await h.settle();
    const [call] = h.engine.listCalls();
    h.engine.offerTimedOut({ callId: call!.id, address: '7000' });
    await h.settle();
    expect(h.driver.alertFor('SEP1002').request.redirections).toEqual([
      { from: '7000', to: '1002', reason: 'forward-no-answer' },
    ]);
  });

  it("the line's no-answer timer MUST NOT run while a call is only OFFERED; after accept it does", async () => {
    const h = start();
    h.engine.originate({ device: 'SEP1001', dialled: '7000', offer: 'offer-A' });
    await h.settle();
    h.clock.advance(60_000);
    await h.settle();
    expect(h.driver.take('alert').filter((a) => a.device === 'SEP1002')).toHaveLength(0);
    const [call] = h.engine.listCalls();
    h.engine.accept({ callId: call!.id, address: '7000' });
    h.clock.advance(12_000);
    await h.settle();
    expect(h.driver.alertFor('SEP1002').request.redirections.at(-1)?.reason).toBe('forward-no-answer');
  });

  it('an application redirect MAY send a call back to the route point it came from (a queue)', async () => {
    const h = start();
    h.engine.originate({ device: 'SEP1001', dialled: '7000', offer: 'offer-A' });
    await h.settle();
    const [call] = h.engine.listCalls();
    h.engine.redirect(call!.id, '7101');
    await h.settle();
    h.engine.redirect(call!.id, '7000');
    await h.settle();
    expect(h.driver.take('alert').map((a) => a.device)).toEqual(['IVR_RP', 'IVR_P1', 'IVR_RP']);
    expect(connectionStates(h, '7000').at(-1)).toBe('OFFERED');
  });

  it('when the application fails, calls not yet connected MUST follow forward on CTI failure; connected calls go on', async () => {
    const h = start();
    h.engine.originate({ device: 'SEP1001', dialled: '7000', offer: 'offer-A' });
    h.engine.originate({ device: 'SEP1002', dialled: '7101', offer: 'offer-B' });
    await h.settle();
    const portLeg = h.driver.alertFor('IVR_P1').leg;
    expect(h.engine.answered(portLeg, { answer: 'port-answer' })).toBe(true);
    h.engine.applicationFailed('IVR_RP');
    h.engine.applicationFailed('IVR_P1');
    await h.settle();
    expect(h.driver.alertFor('SEP1003').request.redirections).toEqual([
      { from: '7000', to: '1003', reason: 'forward-cti-failure' },
    ]);
    const portCall = h.engine.listCalls().find((c) => c.connections.some((p) => p.address === '7101'));
    expect(portCall).toBeDefined();
  });

  it("without forward on CTI failure or no answer, a failed application's offered call MUST fail as unavailable", async () => {
    const h = start();
    const caller = h.engine.originate({ device: 'SEP1002', dialled: '7101', offer: 'offer-B' });
    await h.settle();
    h.engine.applicationFailed('IVR_P1');
    await h.settle();
    expect(h.driver.take('release').find((r) => r.leg === caller)?.cause.reason).toBe('unavailable');
  });
});

describe('CTI ports', () => {
  it('a call to a port MUST ring it like a phone (ALERTING, RINGING) and connect when the application answers', async () => {
    const h = start();
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '7101', offer: 'offer-A' });
    await h.settle();
    const alert = h.driver.alertFor('IVR_P1');
    expect(connectionStates(h, '7101')).toEqual(['ALERTING']);
    h.engine.answered(alert.leg, { answer: 'port-answer' });
    await h.settle();
    expect(h.driver.take('connected').find((c) => c.leg === caller)?.answer).toBe('port-answer');
  });

  it('a port that is out of service (no application registered it) MUST be unavailable', async () => {
    const h = start({ outOfService: ['IVR_P1'] });
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '7101', offer: 'offer-A' });
    await h.settle();
    expect(h.driver.take('release').find((r) => r.leg === caller)?.cause.reason).toBe('unavailable');
  });
});
