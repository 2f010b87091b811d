import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../core/index.js';
import type { SwitchConfig } from './config.js';
import type { CallEvent } from './events.js';
import type { FeatureCall, FeatureServices, FeatureSession, MidCallInfo } from './ports.js';
import { Switch } from './switch.js';
import { FakeDriver, line, phone, sdpOffer } from './test-support.js';

/** A feature session that records what the engine asked of it. */
class FakeFeatureSession implements FeatureSession {
  readonly answers: Array<{ offer: string; direction: string }> = [];
  readonly infos: MidCallInfo[] = [];
  closed = 0;

  answer(offer: string, direction: 'recvonly' | 'sendrecv'): string | undefined {
    this.answers.push({ offer, direction });
    return /RTP\/AVP 18\r/.test(offer) ? undefined : `feature answer ${direction}`;
  }

  info(info: MidCallInfo): number {
    this.infos.push(info);
    return 200;
  }

  close(): void {
    this.closed += 1;
  }
}

class FakeFeatures implements FeatureServices {
  readonly calls: FeatureCall[] = [];
  readonly sessions: FakeFeatureSession[] = [];
  refuse = false;

  open(call: FeatureCall): Promise<FeatureSession> {
    this.calls.push(call);
    if (this.refuse) return Promise.reject(new Error('no media port'));
    const session = new FakeFeatureSession();
    this.sessions.push(session);
    return Promise.resolve(session);
  }
}

const config: SwitchConfig = {
  devices: [phone('SEP1001', ['1001'])],
  lines: [line('1001')],
  featureCodes: [
    { code: '*70', feature: 'extension-mobility-login' },
    { code: '*71', feature: 'extension-mobility-logout' },
  ],
};

let engine: Switch | undefined;
let clock: FakeClock;
afterEach(() => {
  // No call, leg or timer is left behind.
  expect({ calls: engine?.callCount, legs: engine?.legCount, timers: clock.pendingTimers }).toEqual({
    calls: 0,
    legs: 0,
    timers: 0,
  });
  engine = undefined;
});

function start(options: { withoutFeatures?: boolean } = {}) {
  clock = new FakeClock();
  const driver = new FakeDriver();
  driver.inService.add('SEP1001');
  const features = new FakeFeatures();
  engine = new Switch({
    clock,
    drivers: { 'sip-phone': driver },
    ...(options.withoutFeatures === true ? {} : { features }),
    config,
  });
  const events: CallEvent[] = [];
  engine.events.on('call', (event) => events.push(event));
  return { engine, driver, features, events, settle: () => new Promise((done) => setImmediate(done)) };
}

describe('feature codes', () => {
  it('a call to a feature code MUST be answered by the feature with the calling device and line, and its hang-up MUST end the call', async () => {
    const { engine, driver, features, events, settle } = start();
    const leg = engine.originate({ device: 'SEP1001', dialled: '*70', offer: sdpOffer('caller') });
    await settle();
    expect(features.calls).toMatchObject([
      { feature: 'extension-mobility-login', device: 'SEP1001', line: '1001', dialled: '*70' },
    ]);
    expect(driver.commands).toContainEqual({
      kind: 'connected',
      leg,
      answer: 'feature answer sendrecv',
      connectedNumber: '*70',
    });
    // The feature code is a connection of its own, ESTABLISHED, with no terminal (as the conference number).
    const atCode = events.flatMap((e) => (e.type === 'connection.state' && e.address === '*70' ? [e.state] : []));
    expect(atCode).toEqual(['ESTABLISHED']);

    // Keys as SIP INFO go to the feature, and are reported to observers as DTMF.
    const info = { contentType: 'application/dtmf-relay', body: 'Signal=5\r\nDuration=160\r\n' };
    expect(await engine.relayInfo(leg, info)).toBe(200);
    expect(features.sessions[0]?.infos).toEqual([info]);
    expect(events.some((e) => e.type === 'terminalConnection.dtmf' && e.digit === '5')).toBe(true);

    // A hold is answered by the feature too, receive-only.
    await engine.updateMedia(leg, sdpOffer('caller').replace('a=sendrecv', 'a=sendonly'));
    expect(features.sessions[0]?.answers.at(-1)?.direction).toBe('recvonly');

    features.calls[0]?.hangUp();
    await settle();
    expect(driver.commands.at(-1)).toMatchObject({ kind: 'release', leg });
    expect(features.sessions[0]?.closed).toBe(1);
    features.calls[0]?.hangUp(); // twice is harmless
    expect(engine.callCount).toBe(0);
  });

  it('the caller hanging up MUST close the feature session', async () => {
    const { engine, features, settle } = start();
    const leg = engine.originate({ device: 'SEP1001', dialled: '*71', offer: sdpOffer('caller') });
    await settle();
    expect(features.calls[0]?.feature).toBe('extension-mobility-logout');
    engine.released(leg);
    expect(features.sessions[0]?.closed).toBe(1);
  });

  it('a feature code MUST fail the call when no feature service is there, when it cannot start, or without a usable codec', async () => {
    const none = start({ withoutFeatures: true });
    const first = none.engine.originate({ device: 'SEP1001', dialled: '*70', offer: sdpOffer('caller') });
    await none.settle();
    expect(none.driver.commands).toContainEqual(expect.objectContaining({ kind: 'release', leg: first }));

    const refused = start();
    refused.features.refuse = true;
    const second = refused.engine.originate({ device: 'SEP1001', dialled: '*70', offer: sdpOffer('caller') });
    await refused.settle();
    expect(refused.driver.commands).toContainEqual(expect.objectContaining({ kind: 'release', leg: second }));

    const g729 = start();
    const third = g729.engine.originate({
      device: 'SEP1001',
      dialled: '*70',
      offer: sdpOffer('caller').replace('RTP/AVP 0', 'RTP/AVP 18'),
    });
    await g729.settle();
    expect(g729.driver.commands).toContainEqual(expect.objectContaining({ kind: 'release', leg: third }));
    expect(g729.features.sessions[0]?.closed).toBe(1);
  });
});
