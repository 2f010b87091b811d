import { createContext, useContext, useEffect, useReducer, useState, type ReactNode } from 'react';
import { api } from '../api/client';
import { applyLiveMessage, initialLiveState, type LiveMessage, type LiveState } from './live-state';

const LiveContext = createContext<LiveState>(initialLiveState);

/** Registrations, calls and CTI sessions as the server streams them, for every page at once. */
export function useLive(): LiveState {
  return useContext(LiveContext);
}

const streamEvents = ['snapshot', 'registration', 'calls', 'cti-sessions'] as const;

/** How long to wait before opening a stream the server refused (an answer that was not the stream). */
const reopenMs = 3000;

/**
 * Keeps one event stream open while signed in. The browser reconnects by itself after a network
 * hiccup, and each new connection starts with a full snapshot, so nothing missed in between stays
 * wrong. A stream the server refused (the session ended with a restart) is not retried by the
 * browser: asking who is signed in then either shows the sign-in page (401) or opens a new stream.
 */
export function LiveProvider(props: { children: ReactNode }) {
  const [state, dispatch] = useReducer(applyLiveMessage, initialLiveState);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const source = new EventSource('/api/v1/live');
    let timer = 0;
    for (const name of streamEvents) {
      source.addEventListener(name, (event) => {
        dispatch({ event: name, data: JSON.parse((event as MessageEvent<string>).data) } as LiveMessage);
      });
    }
    source.onerror = () => {
      dispatch({ event: 'connection', data: { connected: false } });
      if (source.readyState !== EventSource.CLOSED) return;
      timer = window.setTimeout(() => {
        api.get('/api/v1/auth/me').then(
          () => setAttempt((n) => n + 1),
          () => setAttempt((n) => n + 1),
        );
      }, reopenMs);
    };
    return () => {
      window.clearTimeout(timer);
      source.close();
    };
  }, [attempt]);
  return <LiveContext.Provider value={state}>{props.children}</LiveContext.Provider>;
}
