import { afterEach, describe, expect, it } from 'vitest';
import type { HuntAlgorithm, HuntOption, SwitchConfig, SwitchLineGroup } from './config.js';
import { releaseCauses } from './ports.js';
import { harness, leftovers, line, phone, type Harness } from './test-support.js';

// Hunt pilots → hunt lists → line groups → members (domain reference §4), engine only.
let current: Harness | undefined;

afterEach(() => {
  if (current === undefined) return;
  expect(leftovers(current), 'calls, legs or timers left behind').toEqual({ calls: 0, legs: 0, timers: 0 });
  current = undefined;
});

const agents = ['2001', '2002', '2003'];
const overflow = ['2101'];

function group(
  name: string,
  members: string[],
  algorithm: HuntAlgorithm = 'top-down',
  options: Partial<SwitchLineGroup['huntOptions']> = {},
): SwitchLineGroup {
  const all: HuntOption = 'try-next-member-then-group';
  return {
    name,
    algorithm,
    rnaTimeoutSeconds: 10,
    huntOptions: { noAnswer: all, busy: all, notAvailable: all, ...options },
    members,
  };
}

function start(
  groups: SwitchLineGroup[],
  pilot: Partial<NonNullable<SwitchConfig['huntPilots']>[number]> = {},
  outOfService: string[] = [],
): Harness {
  const dns = ['1001', ...agents, ...overflow, '2999'];
  current = harness(
    {
      devices: dns.map((dn) => phone(`SEP${dn}`, [dn])),
      lines: dns.map((dn) => line(dn)),
      voicemailPilot: '2999',
      lineGroups: groups,
      huntLists: [{ name: 'support', lineGroups: groups.map((g) => g.name) }],
      huntPilots: [{ pattern: '5000', huntList: 'support', maxHuntSeconds: 1800, ...pilot }],
    },
    { outOfService },
  );
  return current;
}

/** Which phones were alerted, in order. */
function alerted(h: Harness): string[] {
  return h.driver.take('alert').map((c) => c.device.replace('SEP', ''));
}

async function call(h: Harness, from = '1001'): Promise<string> {
  const leg = h.engine.originate({ device: `SEP${from}`, dialled: '5000' });
  await h.settle();
  return leg;
}

async function after(h: Harness, seconds: number): Promise<void> {
  h.clock.advance(seconds * 1000);
  await h.settle();
}

describe('hunting', () => {
  it('top down MUST ring members one at a time from the first, each for the RNA timeout, until one answers', async () => {
    const h = start([group('agents', agents)]);
    const caller = await call(h);
    expect(alerted(h)).toEqual(['2001']);
    h.engine.ringing(h.driver.alertFor('SEP2001').leg);
    await after(h, 10);
    expect(h.driver.take('cancel')).toEqual([
      { kind: 'cancel', leg: h.driver.alertFor('SEP2001').leg, cause: releaseCauses.noAnswer },
    ]);
    expect(alerted(h)).toEqual(['2001', '2002']);
    h.engine.answered(h.driver.alertFor('SEP2002').leg);
    await h.settle();
    expect(h.driver.take('connected')).toHaveLength(1);
    h.engine.released(caller);
    await h.settle();
    expect(h.records[0]).toMatchObject({ dialledNumber: '5000', finalCalledNumber: '5000', calledDevice: 'SEP2002' });
    // JTAPI: each member offered is a connection of its own, disconnected when the call moves on.
    const states = h.events.flatMap((e) => (e.type === 'connection.state' && e.address === '2001' ? [e.state] : []));
    expect(states).toEqual(['ALERTING', 'DISCONNECTED']);
    // …and the pilot has a connection of its own while the call hunts, gone once a member answers.
    const pilot = h.events.flatMap((e) => (e.type === 'connection.state' && e.address === '5000' ? [e.state] : []));
    expect(pilot).toEqual(['OFFERED', 'DISCONNECTED']);
  });

  it('a busy member MUST be skipped, and one that refuses MUST move the call on at once', async () => {
    const h = start([group('agents', agents)]);
    const busy = h.engine.originate({ device: 'SEP2001', dialled: '2101' }); // 2001 is busy (trigger 1)
    await h.settle();
    h.driver.commands.length = 0;
    const caller = await call(h);
    expect(alerted(h)).toEqual(['2002']);
    h.engine.refused(h.driver.alertFor('SEP2002').leg, releaseCauses.rejected);
    await h.settle();
    expect(alerted(h)).toEqual(['2002', '2003']);
    h.engine.released(caller);
    h.engine.released(busy);
    await h.settle();
  });

  it('circular MUST start after the member that last got a call', async () => {
    const h = start([group('agents', agents, 'circular')]);
    const first = await call(h);
    h.engine.answered(h.driver.alertFor('SEP2001').leg);
    h.engine.released(first);
    await h.settle();
    h.driver.commands.length = 0;
    const second = await call(h);
    expect(alerted(h)).toEqual(['2002']);
    h.engine.released(second);
    await h.settle();
  });

  it('longest idle MUST offer the member idle longest first, and skip members on a call', async () => {
    const h = start([group('agents', agents, 'longest-idle')]);
    // 2001 has a call that ends at t=5 s, 2002 one that ends at t=8 s, 2003 is on a call now.
    const a = h.engine.originate({ device: 'SEP2001', dialled: '2101' });
    const b = h.engine.originate({ device: 'SEP2002', dialled: '2999' });
    const c = h.engine.originate({ device: 'SEP2003', dialled: '1001' });
    await after(h, 5);
    h.engine.released(a);
    await after(h, 3);
    h.engine.released(b);
    await h.settle();
    h.driver.commands.length = 0;
    const caller = await call(h);
    expect(alerted(h)).toEqual(['2001']);
    await after(h, 10);
    expect(alerted(h)).toEqual(['2001', '2002']);
    await after(h, 10);
    // The list is exhausted (2003 was on a call when hunting began): the pilot's no-answer forward is absent, so it fails.
    expect(h.driver.take('release').at(-1)).toEqual({ kind: 'release', leg: caller, cause: releaseCauses.noAnswer });
    h.engine.released(c);
    await h.settle();
  });

  it('broadcast MUST ring all members at once; the first to answer wins and the others stop', async () => {
    const h = start([group('agents', agents, 'broadcast')]);
    const caller = await call(h);
    expect(alerted(h)).toEqual(['2001', '2002', '2003']);
    const winner = h.driver.alertFor('SEP2002').leg;
    h.engine.answered(winner);
    await h.settle();
    expect(
      h.driver
        .take('cancel')
        .map((c) => `${c.leg} ${c.cause.reason}`)
        .sort(),
    ).toEqual(
      [h.driver.alertFor('SEP2001').leg, h.driver.alertFor('SEP2003').leg].map((l) => `${l} answered-elsewhere`).sort(),
    );
    expect(h.engine.answered(h.driver.alertFor('SEP2001').leg)).toBe(false);
    h.engine.released(caller);
    await h.settle();
  });

  it('after the last member of a group the next group in the hunt list MUST be hunted', async () => {
    const h = start([group('agents', ['2001']), group('overflow', overflow)]);
    const caller = await call(h);
    await after(h, 10);
    expect(alerted(h)).toEqual(['2001', '2101']);
    h.engine.released(caller);
    await h.settle();
  });

  it('hunt options MUST decide: "try next member" stays in the group, "skip to next group" leaves it, "stop" ends hunting', async () => {
    let h = start([
      group('agents', agents, 'top-down', { noAnswer: 'skip-to-next-group' }),
      group('overflow', overflow),
    ]);
    let caller = await call(h);
    await after(h, 10);
    expect(alerted(h)).toEqual(['2001', '2101']);
    h.engine.released(caller);
    await h.settle();

    h = start([
      group('agents', ['2001', '2002'], 'top-down', { noAnswer: 'try-next-member' }),
      group('overflow', overflow),
    ]);
    caller = await call(h);
    await after(h, 10);
    await after(h, 10);
    expect(alerted(h)).toEqual(['2001', '2002']);
    expect(h.driver.take('release').at(-1)?.leg).toBe(caller);

    h = start([group('agents', agents, 'top-down', { busy: 'stop' })]);
    const busy = h.engine.originate({ device: 'SEP2001', dialled: '2101' });
    await h.settle();
    h.driver.commands.length = 0;
    caller = await call(h);
    expect(alerted(h)).toEqual([]);
    expect(h.driver.take('release')).toEqual([{ kind: 'release', leg: caller, cause: releaseCauses.busy }]);
    h.engine.released(busy);
    await h.settle();
  });

  it('when hunting ends unanswered the pilot MUST forward (no answer, or busy when every member was busy)', async () => {
    let h = start([group('agents', ['2001'])], { forwardNoAnswer: { voicemail: true } });
    let caller = await call(h);
    await after(h, 10);
    const voicemail = h.driver.alertFor('SEP2999');
    expect(voicemail.request.redirections).toEqual([{ from: '5000', to: '2999', reason: 'forward-no-answer' }]);
    expect(
      h.events.find((e) => e.type === 'connection.state' && e.address === '5000' && e.state === 'DISCONNECTED'),
    ).toMatchObject({
      cause: 'NORMAL',
      callControlCause: 'REDIRECTED',
      ciscoCause: 19,
    });
    h.engine.released(caller);
    await h.settle();

    h = start([group('agents', ['2001'])], { forwardBusy: { destination: '2101' } });
    const busy = h.engine.originate({ device: 'SEP2001', dialled: '2999' });
    await h.settle();
    caller = await call(h);
    expect(h.driver.alertFor('SEP2101').request.redirections).toEqual([
      { from: '5000', to: '2101', reason: 'forward-busy' },
    ]);
    h.engine.released(caller);
    h.engine.released(busy);
    await h.settle();
  });

  it("a pilot using personal preferences MUST send the call to the forwarding line's forward no coverage", async () => {
    // 2101 is out of service and forwards to the pilot; its forward no coverage is voicemail (2999).
    const h = (current = harness(
      {
        devices: ['1001', '2001', '2101', '2999'].map((dn) => phone(`SEP${dn}`, [dn])),
        lines: [
          line('1001'),
          line('2001'),
          line('2101', { forward: { unregistered: { destination: '5000' }, noCoverage: { destination: '2999' } } }),
          line('2999'),
        ],
        lineGroups: [group('agents', ['2001'])],
        huntLists: [{ name: 'support', lineGroups: ['agents'] }],
        huntPilots: [
          {
            pattern: '5000',
            huntList: 'support',
            maxHuntSeconds: 1800,
            usePersonalPreferences: true,
            forwardNoAnswer: { destination: '1001' },
          },
        ],
      },
      { outOfService: ['SEP2101'] },
    ));
    const caller = h.engine.originate({ device: 'SEP1001', dialled: '2101' });
    await h.settle();
    await after(h, 10);
    expect(h.driver.alertFor('SEP2999').request.redirections).toEqual([
      { from: '2101', to: '5000', reason: 'forward-unregistered' },
      { from: '2101', to: '2999', reason: 'forward-no-coverage' },
    ]);
    h.engine.released(caller);
    await h.settle();
  });

  it("the pilot's maximum hunt timer MUST end hunting whatever the groups' timers", async () => {
    const h = start([group('agents', agents)], { maxHuntSeconds: 15, forwardNoAnswer: { destination: '2101' } });
    const caller = await call(h);
    await after(h, 10);
    await after(h, 5);
    expect(alerted(h)).toEqual(['2001', '2002', '2101']);
    h.engine.released(caller);
    await h.settle();
  });

  it('members whose phones are all out of service MUST be skipped as not available', async () => {
    const h = start([group('agents', agents)], {}, ['SEP2001', 'SEP2002']);
    const caller = await call(h);
    expect(alerted(h)).toEqual(['2003']);
    h.engine.released(caller);
    await h.settle();
    expect(h.driver.take('cancel')).toHaveLength(1);
  });
});
