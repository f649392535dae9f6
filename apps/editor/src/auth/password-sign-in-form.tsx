import { useState } from 'react';
import { signInWithPassword, type SessionUser } from './session-api';
import { useSubmit } from './use-submit';

/** Email and password: the API answers with a session cookie (HttpOnly: the page never sees it). */
export function PasswordSignInForm({ onDone }: { onDone: (user: SessionUser) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { submit, error, busy } = useSubmit(async () => {
    onDone(await signInWithPassword(email.trim(), password));
  });

  return (
    <form onSubmit={submit}>
      <h1>Hookflow</h1>
      <label htmlFor="sign-in-email">Email</label>
      <input
        id="sign-in-email"
        type="email"
        autoComplete="username"
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        required
      />
      <label htmlFor="sign-in-password">Password</label>
      <input
        id="sign-in-password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        required
      />
      {/* Not "Sign in": that name belongs to the API key form below. */}
      <button type="submit" disabled={busy}>
        Continue
      </button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}
