import { createSessionClient } from '../api/client';

/** The signed-in user, as GET/POST /api/session and POST /api/setup answer it. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: 'owner' | 'member';
}

export interface SessionState {
  setupNeeded: boolean;
  user: SessionUser | null;
}

const open = createSessionClient();

/** Who this browser is (by its cookie), and whether the owner account still has to be made. */
export const fetchSession = (): Promise<SessionState> => open.request('GET', '/api/session');

export const signInWithPassword = (email: string, password: string): Promise<SessionUser> =>
  open.request('POST', '/api/session', { email, password });

export const createOwner = (input: {
  email: string;
  password: string;
  name?: string;
}): Promise<SessionUser> => open.request('POST', '/api/setup', input);

export const endSession = (): Promise<void> => open.request('DELETE', '/api/session');
