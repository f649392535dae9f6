import { useState } from 'react';
import { createOwner, type SessionUser } from './session-api';
import { useSubmit } from './use-submit';

/** First visit: nobody owns this Hookflow yet. */
export function OwnerSetupForm({ onDone }: { onDone: (user: SessionUser) => void }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { submit, error, busy } = useSubmit(async () => {
    onDone(await createOwner({ email: email.trim(), password, name: name.trim() || undefined }));
  });

  return (
    <form onSubmit={submit}>
      <h1>Hookflow</h1>
      <h2>Create the owner account</h2>
      <p className="hint">
        Nobody has set up this Hookflow yet. The owner manages users, API keys and the audit log.
      </p>
      <label htmlFor="owner-name">Name</label>
      <input
        id="owner-name"
        autoComplete="name"
        value={name}
        onChange={(event) => setName(event.target.value)}
      />
      <label htmlFor="owner-email">Email</label>
      <input
        id="owner-email"
        type="email"
        autoComplete="username"
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        required
      />
      <label htmlFor="owner-password">Password</label>
      <input
        id="owner-password"
        type="password"
        autoComplete="new-password"
        minLength={10}
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        required
      />
      <p className="hint">At least 10 characters.</p>
      <button type="submit" disabled={busy}>
        Create the owner account
      </button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}
