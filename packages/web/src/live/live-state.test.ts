import { describe, expect, it } from 'vitest';
import type { DeviceView } from '../api/types';
import { applyLiveMessage, initialLiveState } from './live-state';

const device = (name: string, state: 'registered' | 'unregistered'): DeviceView => ({
  name,
  type: 'sip-phone',
  lines: ['1001'],
  allowCtiControl: true,
  registration: { state, bindings: [] },
});

describe('the live state', () => {
  it('a snapshot MUST replace everything and mark the stream connected', () => {
    const state = applyLiveMessage(initialLiveState, {
      event: 'snapshot',
      data: {
        devices: [device('A', 'unregistered')],
        calls: [],
        ctiSessions: { sessions: 1, providers: 1, items: [] },
      },
    });
    expect(state.connected).toBe(true);
    expect(state.devices.get('A')?.registration.state).toBe('unregistered');
    expect(state.ctiSessions.sessions).toBe(1);
  });

  it('a registration event MUST change that device only, without touching the previous state', () => {
    const before = applyLiveMessage(initialLiveState, {
      event: 'snapshot',
      data: {
        devices: [device('A', 'unregistered'), device('B', 'unregistered')],
        calls: [],
        ctiSessions: initialLiveState.ctiSessions,
      },
    });
    const after = applyLiveMessage(before, { event: 'registration', data: device('A', 'registered') });
    expect(after.devices.get('A')?.registration.state).toBe('registered');
    expect(after.devices.get('B')?.registration.state).toBe('unregistered');
    expect(before.devices.get('A')?.registration.state).toBe('unregistered');
  });

  it('a lost connection MUST keep what was known and say it is not live', () => {
    const state = applyLiveMessage(
      { ...initialLiveState, connected: true, calls: [] },
      { event: 'connection', data: { connected: false } },
    );
    expect(state.connected).toBe(false);
  });
});
