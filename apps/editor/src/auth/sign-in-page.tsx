import { useState } from 'react';
import { createApiClient } from '../api/client';
import './auth.css';
import { OwnerSetupForm } from './owner-setup-form';
import { PasswordSignInForm } from './password-sign-in-form';
import type { Auth } from './use-auth';
import { useSubmit } from './use-submit';

/**
 * Signed out: the owner form on the first visit, else the password form; and signing in with an
 * API key either way. Nothing while the session is being asked for.
 */
export function SignInPage({ auth }: { auth: Auth }) {
  const { state } = auth;
  if (state.status !== 'signed-out') return null;
  return (
    <main className="sign-in">
      <div className="sign-in-options">
        {state.problem && <p role="alert">{state.problem}</p>}
        {state.setupNeeded ? (
          <OwnerSetupForm onDone={auth.signedIn} />
        ) : (
          <PasswordSignInForm onDone={auth.signedIn} />
        )}
        <ApiKeyForm onSignIn={auth.signInWithKey} />
      </div>
    </main>
  );
}

function ApiKeyForm({ onSignIn }: { onSignIn: (apiKey: string) => void }) {
  const [key, setKey] = useState('');
  const { submit, error, busy } = useSubmit(async () => {
    await createApiClient(key.trim()).request('GET', '/api/node-types');
    onSignIn(key.trim());
  });

  return (
    <form onSubmit={submit} className="api-key-form">
      <h2>Sign in with an API key</h2>
      <label htmlFor="api-key">API key</label>
      <input
        id="api-key"
        type="password"
        autoComplete="off"
        value={key}
        onChange={(event) => setKey(event.target.value)}
        required
      />
      <button type="submit" disabled={busy || key.trim() === ''}>
        Sign in
      </button>
      {error && <p role="alert">{error}</p>}
      <p className="hint">The key stays in this tab only (session storage).</p>
    </form>
  );
}
