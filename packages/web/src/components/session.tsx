import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api } from '../api/client';
import { ApiError } from '../api/problem';
import type { Me } from '../api/types';

interface Session {
  me: Me;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | undefined>(undefined);

/** The signed-in account; only pages inside the SessionGate use it. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === undefined) throw new Error('useSession is used outside the SessionGate');
  return session;
}

type State = { kind: 'checking' } | { kind: 'signed-out'; reason?: string } | { kind: 'signed-in'; me: Me };

/**
 * Shows the sign-in page until there is a session, then its children. After a page reload the
 * session cookie is still there: GET /api/v1/auth/me gives the account and the CSRF token again.
 */
export function SessionGate(props: { signIn: (done: (me: Me) => void) => ReactNode; children: ReactNode }) {
  const [state, setState] = useState<State>({ kind: 'checking' });
  const adopt = useCallback((me: Me) => {
    api.csrfToken = me.csrfToken;
    setState({ kind: 'signed-in', me });
  }, []);

  useEffect(() => {
    api.onSignedOut(() => {
      api.csrfToken = undefined;
      setState({ kind: 'signed-out', reason: 'Your session ended; sign in again.' });
    });
    const controller = new AbortController();
    api.get<Me>('/api/v1/auth/me', controller.signal).then(adopt, (error: unknown) => {
      if (controller.signal.aborted) return;
      setState({
        kind: 'signed-out',
        ...(error instanceof ApiError && error.status === 401 ? {} : { reason: String(error) }),
      });
    });
    return () => controller.abort();
  }, [adopt]);

  const session = useMemo<Session | undefined>(
    () =>
      state.kind === 'signed-in'
        ? {
            me: state.me,
            signOut: async () => {
              await api.send('POST', '/api/v1/auth/logout').catch(() => undefined);
              api.csrfToken = undefined;
              setState({ kind: 'signed-out' });
            },
          }
        : undefined,
    [state],
  );

  if (state.kind === 'checking') return null;
  if (session === undefined) {
    return (
      <>
        {state.kind === 'signed-out' && state.reason !== undefined ? <SignedOutNote reason={state.reason} /> : null}
        {props.signIn(adopt)}
      </>
    );
  }
  return <SessionContext.Provider value={session}>{props.children}</SessionContext.Provider>;
}

function SignedOutNote(props: { reason: string }) {
  return (
    <p role="status" style={{ textAlign: 'center', marginTop: 16 }}>
      {props.reason}
    </p>
  );
}
