import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from '../api/client';
import { messageOf, useSubmit } from './use-submit';

type Scope = 'read' | 'write' | 'admin';

interface KeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  owner: { email: string } | null;
}

const SCOPE_CHOICES: Array<{ value: Scope; label: string }> = [
  { value: 'read', label: 'read: look, never change' },
  { value: 'write', label: 'write: read and change flows, credentials, runs' },
  { value: 'admin', label: 'admin: everything, including keys and users' },
];

const when = (iso: string | null): string => (iso ? new Date(iso).toLocaleString() : 'never');

/** Admin only (the API answers 403 otherwise): create keys with a scope, see them, revoke. */
export function ApiKeysPage({ client, onBack }: { client: ApiClient; onBack: () => void }) {
  const [items, setItems] = useState<KeyView[]>([]);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<Scope>('read');
  const [created, setCreated] = useState<{ name: string; key: string }>();

  const [error, setError] = useState<string>();

  const reload = useCallback(async () => {
    try {
      setItems((await client.request<{ items: KeyView[] }>('GET', '/api/keys')).items);
    } catch (caught) {
      setError(messageOf(caught));
    }
  }, [client]);
  useEffect(() => void reload(), [reload]);

  const create = useSubmit(async () => {
    const answer = await client.request<KeyView & { key: string }>('POST', '/api/keys', {
      name: name.trim(),
      scopes: [scope],
    });
    setCreated({ name: answer.name, key: answer.key });
    setName('');
    await reload();
  });
  const revoke = async (key: KeyView) => {
    if (!window.confirm(`Revoke "${key.name}"? Whatever uses it is refused from now on.`)) return;
    try {
      await client.request('DELETE', `/api/keys/${key.id}`);
    } catch (caught) {
      setError(messageOf(caught));
    }
    await reload();
  };

  return (
    <main className="flow-list">
      <header className="topbar">
        <button type="button" onClick={onBack} className="quiet">
          ← Flows
        </button>
        <h1>API keys</h1>
      </header>
      {(error ?? create.error) && <p role="alert">{error ?? create.error}</p>}
      {created && (
        <p role="status" className="new-key">
          Copy the key &quot;{created.name}&quot; now, it is not shown again:{' '}
          <code>{created.key}</code>
        </p>
      )}
      <table aria-label="API keys">
        <thead>
          <tr>
            <th>Name</th>
            <th>Starts with</th>
            <th>Scopes</th>
            <th>Owner</th>
            <th>Last used</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {items.map((key) => (
            <tr key={key.id}>
              <td>{key.name}</td>
              <td className="code">{key.prefix}…</td>
              <td>{key.scopes.join(', ')}</td>
              <td>{key.owner?.email ?? '—'}</td>
              <td>{when(key.lastUsedAt)}</td>
              <td>
                {key.revokedAt ? (
                  `revoked ${when(key.revokedAt)}`
                ) : (
                  <button
                    type="button"
                    className="danger"
                    aria-label={`Revoke ${key.name}`}
                    onClick={() => void revoke(key)}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="import" onSubmit={create.submit}>
        <h2>Create a key</h2>
        <label htmlFor="key-name">Key name</label>
        <input id="key-name" value={name} onChange={(e) => setName(e.target.value)} required />
        <label htmlFor="key-scope">Scope</label>
        <select id="key-scope" value={scope} onChange={(e) => setScope(e.target.value as Scope)}>
          {SCOPE_CHOICES.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
        <button type="submit" disabled={create.busy || name.trim() === ''}>
          Create key
        </button>
      </form>
    </main>
  );
}
