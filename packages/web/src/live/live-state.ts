import type { CallView, CtiSessions, DeviceView } from '../api/types';

/** What the live event stream (GET /api/v1/live) has told so far. */
export interface LiveState {
  connected: boolean;
  devices: ReadonlyMap<string, DeviceView>;
  calls: CallView[];
  ctiSessions: CtiSessions;
}

export const initialLiveState: LiveState = {
  connected: false,
  devices: new Map(),
  calls: [],
  ctiSessions: { sessions: 0, providers: 0, items: [] },
};

export type LiveMessage =
  | { event: 'snapshot'; data: { devices: DeviceView[]; calls: CallView[]; ctiSessions: CtiSessions } }
  | { event: 'registration'; data: DeviceView }
  | { event: 'calls'; data: { items: CallView[] } }
  | { event: 'cti-sessions'; data: CtiSessions }
  | { event: 'connection'; data: { connected: boolean } };

/** The state after one message: a snapshot replaces everything, the others replace their part. */
export function applyLiveMessage(state: LiveState, message: LiveMessage): LiveState {
  switch (message.event) {
    case 'snapshot':
      return {
        connected: true,
        devices: new Map(message.data.devices.map((device) => [device.name, device])),
        calls: message.data.calls,
        ctiSessions: message.data.ctiSessions,
      };
    case 'registration': {
      const devices = new Map(state.devices);
      devices.set(message.data.name, message.data);
      return { ...state, devices };
    }
    case 'calls':
      return { ...state, calls: message.data.items };
    case 'cti-sessions':
      return { ...state, ctiSessions: message.data };
    case 'connection':
      return { ...state, connected: message.data.connected };
  }
}
