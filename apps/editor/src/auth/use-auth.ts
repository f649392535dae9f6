import { useCallback, useEffect, useMemo, useState } from 'react';
import { createApiClient, createSessionClient, type ApiClient } from '../api/client';
import { endSession, fetchSession, type SessionUser } from './session-api';

const KEY_STORAGE = 'hookflow.apiKey';

export type AuthState =
  | { status: 'loading' }
  | { status: 'signed-out'; setupNeeded: boolean; problem?: string }
  | { status: 'key'; key: string }
  | { status: 'session'; user: SessionUser };

export interface Auth {
  state: AuthState;
  /** Set once signed in, by either means. */
  client?: ApiClient;
  signInWithKey(key: string): void;
  signedIn(user: SessionUser): void;
  signOut(): void;
}

/**
 * Signed in with an API key (kept in this tab's session storage) or with a password (the
 * session cookie, which the page cannot read: GET /api/session says whether there is one).
 */
export function useAuth(): Auth {
  const [state, setState] = useState<AuthState>(() => {
    const key = sessionStorage.getItem(KEY_STORAGE);
    return key ? { status: 'key', key } : { status: 'loading' };
  });

  useEffect(() => {
    if (state.status !== 'loading') return;
    let live = true;
    fetchSession()
      .then((session) => {
        if (!live) return;
        setState(
          session.user
            ? { status: 'session', user: session.user }
            : { status: 'signed-out', setupNeeded: session.setupNeeded },
        );
      })
      .catch(() => {
        if (live)
          setState({
            status: 'signed-out',
            setupNeeded: false,
            problem: 'Hookflow did not answer',
          });
      });
    return () => {
      live = false;
    };
  }, [state.status]);

  const client = useMemo(
    () =>
      state.status === 'key'
        ? createApiClient(state.key)
        : state.status === 'session'
          ? createSessionClient()
          : undefined,
    [state],
  );

  const signInWithKey = useCallback((key: string) => {
    sessionStorage.setItem(KEY_STORAGE, key);
    setState({ status: 'key', key });
  }, []);
  const signedIn = useCallback((user: SessionUser) => setState({ status: 'session', user }), []);
  const signOut = useCallback(() => {
    sessionStorage.removeItem(KEY_STORAGE);
    // Then ask again who this browser is (the cookie may be gone, setup may still be needed).
    const ask = () => setState({ status: 'loading' });
    if (state.status === 'session')
      void endSession()
        .catch(() => undefined)
        .finally(ask);
    else ask();
  }, [state.status]);

  return { state, client, signInWithKey, signedIn, signOut };
}
