import { useState, type FormEvent } from 'react';
import { ApiError, createApiClient } from '../api/client';

export function SignInPage({ onSignIn }: { onSignIn: (apiKey: string) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await createApiClient(key.trim()).request('GET', '/api/node-types');
      onSignIn(key.trim());
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : 'Hookflow did not answer');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <form onSubmit={submit} aria-label="Sign in">
        <h1>Hookflow</h1>
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autoComplete="current-password"
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
    </main>
  );
}
