import { createContext, useContext, useEffect, useReducer, type ReactNode } from 'react';
import { applyLiveMessage, initialLiveState, type LiveMessage, type LiveState } from './live-state';

const LiveContext = createContext<LiveState>(initialLiveState);

/** Registrations, calls and CTI sessions as the server streams them, for every page at once. */
export function useLive(): LiveState {
  return useContext(LiveContext);
}

const streamEvents = ['snapshot', 'registration', 'calls', 'cti-sessions'] as const;

/**
 * Keeps one event stream open while signed in. The browser reconnects by itself after a network
 * hiccup or a server restart, and each new connection starts with a full snapshot, so nothing
 * missed in between stays wrong.
 */
export function LiveProvider(props: { children: ReactNode }) {
  const [state, dispatch] = useReducer(applyLiveMessage, initialLiveState);
  useEffect(() => {
    const source = new EventSource('/api/v1/live');
    for (const name of streamEvents) {
      source.addEventListener(name, (event) => {
        dispatch({ event: name, data: JSON.parse((event as MessageEvent<string>).data) } as LiveMessage);
      });
    }
    source.onerror = () => dispatch({ event: 'connection', data: { connected: false } });
    return () => source.close();
  }, []);
  return <LiveContext.Provider value={state}>{props.children}</LiveContext.Provider>;
}
