import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/index.js';
import type { CallView } from '../call-view.js';
import type { DeviceView } from '../device-view.js';
import type { CtiSessionsView } from '../routes/runtime.js';
import { LiveFeed, type LiveChange, type LiveEvent } from './live-feed.js';

function setup() {
  const clock = new FakeClock(0);
  const devices: DeviceView[] = [
    {
      name: 'SEP1',
      type: 'sip-phone',
      lines: ['1001'],
      allowCtiControl: true,
      registration: { state: 'unregistered', bindings: [] },
    },
  ];
  const calls: CallView[] = [];
  let sessions: CtiSessionsView = { sessions: 0, providers: 0, items: [] };
  const listeners = new Set<(change: LiveChange) => void>();
  const feed = new LiveFeed({
    source: {
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    devices: { listDevices: () => devices },
    calls: { listCalls: () => calls },
    ctiSessions: () => sessions,
    clock,
  });
  const change = (c: LiveChange) => {
    for (const listener of listeners) listener(c);
  };
  return {
    clock,
    feed,
    devices,
    calls,
    listeners,
    change,
    setSessions: (s: CtiSessionsView) => (sessions = s),
  };
}

describe('the live feed behind GET /api/v1/live', () => {
  it('MUST follow the server only while someone listens', () => {
    const { feed, listeners } = setup();
    expect(listeners.size).toBe(0);
    const stop = feed.listen(() => undefined);
    expect(listeners.size).toBe(1);
    stop();
    expect(listeners.size).toBe(0);
  });

  it("MUST send a device's new registration state at once", () => {
    const { feed, devices, change } = setup();
    const events: LiveEvent[] = [];
    feed.listen((event) => events.push(event));
    devices[0]!.registration = { state: 'registered', bindings: [] };
    change({ kind: 'registration', device: 'SEP1' });
    expect(events).toEqual([{ event: 'registration', data: devices[0] }]);
  });

  it("MUST gather a call's many engine events into one list of calls", () => {
    const { feed, clock, calls, change } = setup();
    const events: LiveEvent[] = [];
    feed.listen((event) => events.push(event));
    for (let i = 0; i < 12; i += 1) change({ kind: 'calls' });
    expect(events).toEqual([]);
    calls.push({ id: 'c1', state: 'ACTIVE', startedAt: '2026-11-30T08:00:00.000Z', dialled: '1002', connections: [] });
    clock.advance(100);
    expect(events).toEqual([{ event: 'calls', data: { items: calls } }]);
  });

  it('MUST notice a CTI application opening a provider, which has no event of its own', () => {
    const { feed, clock, setSessions } = setup();
    const events: LiveEvent[] = [];
    feed.listen((event) => events.push(event));
    clock.advance(2000);
    expect(events).toEqual([]);
    setSessions({ sessions: 1, providers: 0, items: [] });
    clock.advance(2000);
    expect(events).toEqual([{ event: 'cti-sessions', data: { sessions: 1, providers: 0, items: [] } }]);
  });

  it('MUST start each stream with a snapshot of devices, calls and CTI sessions', () => {
    const { feed, devices } = setup();
    expect(feed.snapshot()).toEqual({
      event: 'snapshot',
      data: { devices, calls: [], ctiSessions: { sessions: 0, providers: 0, items: [] } },
    });
  });
});
