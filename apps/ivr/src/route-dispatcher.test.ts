import { FakeClock, silentLogger } from '@strowger/core';
import { describe, expect, it } from 'vitest';
import { FakeCall, FakePlatform, FakeRouteRequest, settle } from '../test/fake-platform.js';
import type { IvrCall } from './platform.js';
import { RouteDispatcher, type CallContext } from './route-dispatcher.js';

/** A dispatcher over `ports` fake ports whose calls stay until the test ends them. */
function setUp(ports: number) {
  const clock = new FakeClock();
  const platform = new FakePlatform(
    Array.from({ length: ports }, (_, i) => ({ name: `CTIPORT_${i + 1}`, dn: `510${i + 1}` })),
  );
  const served: { call: IvrCall; context: CallContext }[] = [];
  const dispatcher = new RouteDispatcher({
    platform,
    clock,
    logger: silentLogger,
    arrivalSeconds: 10,
    logSeconds: 10,
    onCall: async (call, context) => {
      served.push({ call, context });
      await call.ended;
    },
  });
  let next = 0;
  const offer = (fields: Partial<ConstructorParameters<typeof FakeRouteRequest>[0]> = {}) =>
    platform.offer(
      new FakeRouteRequest({
        callId: `c${++next}`,
        routePoint: 'CTIRP_VM',
        calling: `100${next}`,
        called: '5000',
        ...fields,
      }),
    );
  /** The caller of a routed request arrives on the port it was sent to (keeping its call id). */
  const arrive = (request: FakeRouteRequest) => {
    const dn = request.selected?.[0];
    if (dn === undefined) throw new Error(`${request.callId} was not routed`);
    const call = new FakeCall({ id: request.callId, calling: request.calling, called: dn });
    platform.port(dn).ring(call);
    return call;
  };
  return { clock, platform, dispatcher, served, offer, arrive };
}

describe('route dispatcher: port pool and queue', () => {
  it('serves 4 of 6 callers at once on 4 ports; the other 2 wait in order and are served as ports free, none lost', async () => {
    const { dispatcher, offer, arrive, served, clock } = setUp(4);
    const requests = Array.from({ length: 6 }, () => offer());
    await settle();
    expect(requests.slice(0, 4).map((r) => r.selected?.[0])).toEqual(['5101', '5102', '5103', '5104']);
    expect(requests.slice(4).map((r) => r.selected)).toEqual([undefined, undefined]);
    const calls = requests.slice(0, 4).map(arrive);
    await settle();
    clock.advance(7000);
    expect(dispatcher.status()).toMatchObject({ waiting: 2, oldestWaitSeconds: 7, portsBusy: 4, portsFree: 0 });

    calls[2]?.hangUp();
    await settle();
    expect(requests[4]?.selected).toEqual(['5103']);
    expect(requests[5]?.selected).toBeUndefined();
    calls.push(arrive(requests[4] as FakeRouteRequest));
    calls[0]?.hangUp();
    await settle();
    expect(requests[5]?.selected).toEqual(['5101']);
    calls.push(arrive(requests[5] as FakeRouteRequest));
    await settle();
    expect(served.map((s) => s.call.id).sort()).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
    expect(dispatcher.status()).toMatchObject({ waiting: 0, portsBusy: 4 });
  });

  it('drops a waiting request the server ends (route timeout) and gives the port to the next in line', async () => {
    const { dispatcher, offer, arrive } = setUp(1);
    const first = offer();
    const timedOut = offer();
    const third = offer();
    await settle();
    const call = arrive(first);
    timedOut.end();
    await settle();
    expect(dispatcher.status().waiting).toBe(1);
    call.hangUp();
    await settle();
    expect(timedOut.selected).toBeUndefined();
    expect(third.selected).toEqual(['5101']);
  });

  it('skips a port out of service and serves the queue when it comes back', async () => {
    const { platform, offer } = setUp(2);
    platform.ports.forEach((p) => p.setInService(false));
    const request = offer();
    await settle();
    expect(request.selected).toBeUndefined();
    platform.port('5102').setInService(true);
    await settle();
    expect(request.selected).toEqual(['5102']);
  });

  it('keeps the route context for the call on the port, whose called number is the port DN', async () => {
    const { offer, arrive, served } = setUp(1);
    const request = offer({ called: '5000', originalCalled: '1001', reason: 'forward-no-answer' });
    await settle();
    arrive(request);
    await settle();
    expect(served[0]?.call.called).toBe('5101');
    expect(served[0]?.context).toMatchObject({
      called: '5000',
      originalCalled: '1001',
      reason: 'forward-no-answer',
      routePoint: 'CTIRP_VM',
    });
  });

  it('frees a held port when the routed call never arrives, and tries another port when route select fails', async () => {
    const { offer, clock, dispatcher, platform } = setUp(2);
    const lost = offer();
    await settle();
    expect(lost.selected).toEqual(['5101']);
    clock.advance(10_000);
    expect(dispatcher.status()).toMatchObject({ portsHeld: 0, portsFree: 2 });
    const refused = new FakeRouteRequest({ callId: 'r', routePoint: 'CTIRP_VM', calling: '1', called: '5000' });
    refused.failNextSelect = true;
    platform.offer(refused);
    await settle();
    // 5102, free longest, refused; the request went to the other port.
    expect(refused.selected).toEqual(['5101']);
    expect(dispatcher.status()).toMatchObject({ portsHeld: 1, portsFree: 1, waiting: 0 });
  });

  it('drops a request whose caller hung up while its route select failed, and keeps the port free', async () => {
    const { platform, dispatcher } = setUp(1);
    const gone = new FakeRouteRequest({ callId: 'g', routePoint: 'CTIRP_VM', calling: '1', called: '5000' });
    gone.failNextSelect = true;
    platform.offer(gone);
    gone.end();
    await settle();
    expect(dispatcher.status()).toMatchObject({ waiting: 0, portsFree: 1, portsHeld: 0 });
    expect(gone.endedByApp).toBe(false);
  });
});
