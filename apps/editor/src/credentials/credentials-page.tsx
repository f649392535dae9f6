import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError, type ApiClient } from '../api/client';
import type { CredentialView, JsonValue } from '../api/types';
import { useCredentialUsage } from './use-credential-usage';

interface CredentialsPageProps {
  client: ApiClient;
  onBack: () => void;
}

/** Stored credentials (secrets masked by the API): list, add, delete. */
export function CredentialsPage({ client, onBack }: CredentialsPageProps) {
  const [items, setItems] = useState<CredentialView[]>([]);
  const [error, setError] = useState<string>();
  const [name, setName] = useState('');
  const [type, setType] = useState('');
  const [data, setData] = useState('{\n  \n}');
  const usage = useCredentialUsage(client);

  const reload = useCallback(async () => {
    try {
      setItems(
        (await client.request<{ items: CredentialView[] }>('GET', '/api/credentials')).items,
      );
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  }, [client]);
  useEffect(() => void reload(), [reload]);

  const describe = (caught: unknown): string =>
    caught instanceof ApiError
      ? [caught.message, ...caught.details.map((d) => `${d.path}: ${d.message}`)].join('; ')
      : caught instanceof Error
        ? caught.message
        : String(caught);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const parsed = JSON.parse(data) as JsonValue;
      await client.request('POST', '/api/credentials', { name, type, data: parsed });
      setName('');
      setData('{\n  \n}');
      await reload();
    } catch (caught) {
      setError(describe(caught));
    }
  };
  const remove = async (credential: CredentialView) => {
    if (!window.confirm(`Delete credential "${credential.name}"? Flows using it will fail.`))
      return;
    try {
      await client.request('DELETE', `/api/credentials/${credential.id}`);
      await reload();
    } catch (caught) {
      setError(describe(caught));
    }
  };

  return (
    <main className="flow-list">
      <header className="topbar">
        <button type="button" onClick={onBack} className="quiet">
          ← Flows
        </button>
        <h1>Credentials</h1>
      </header>
      {error && <p role="alert">{error}</p>}
      <table aria-label="Credentials">
        <thead>
          <tr>
            <th>Name</th>
            <th>Type</th>
            <th>Fields (masked)</th>
            <th>Used by</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {items.length === 0 && (
            <tr>
              <td colSpan={5}>No credentials yet.</td>
            </tr>
          )}
          {items.map((credential) => (
            <tr key={credential.id}>
              <td>{credential.name}</td>
              <td>{credential.type}</td>
              <td className="code">{JSON.stringify(credential.fields)}</td>
              <td>{usage.get(credential.name)?.join(', ') || 'No flows'}</td>
              <td>
                <button
                  type="button"
                  className="danger"
                  aria-label={`Delete credential ${credential.name}`}
                  onClick={() => void remove(credential)}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="import" onSubmit={create} aria-label="Add a credential">
        <h2>Add a credential</h2>
        <label htmlFor="credential-name">Name (what flows reference)</label>
        <input
          id="credential-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
        />
        <label htmlFor="credential-type">Type (e.g. hmac-secret, http-bearer, slack, smtp)</label>
        <input
          id="credential-type"
          value={type}
          onChange={(e) => setType(e.target.value)}
          required
        />
        <label htmlFor="credential-data">
          Secret fields (JSON; stored encrypted, never shown again)
        </label>
        <textarea
          id="credential-data"
          className="code"
          rows={5}
          value={data}
          onChange={(e) => setData(e.target.value)}
        />
        <button type="submit">Add credential</button>
      </form>
    </main>
  );
}
