import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from '../api/client';
import type { FlowDocument, FlowSummary, FlowView, Page } from '../api/types';
import { StatusBadge } from '../shared/status-badge';
import { downloadJson, fileNameFor } from './flow-file';
import { FlowImportForm } from './flow-import-form';
import { useFlowStats } from './use-flow-stats';

interface FlowListPageProps {
  client: ApiClient;
  onOpen: (flowId: string) => void;
  onNew: () => void;
  onCredentials: () => void;
  /** The API keys page (admin scope; others see the API's 403 there). */
  onKeys: () => void;
  onSignOut: () => void;
}

export function FlowListPage({
  client,
  onOpen,
  onNew,
  onCredentials,
  onKeys,
  onSignOut,
}: FlowListPageProps) {
  const [flows, setFlows] = useState<FlowSummary[]>([]);
  const [error, setError] = useState<string>();
  const stats = useFlowStats(client, flows);

  const reload = useCallback(async () => {
    try {
      setFlows((await client.request<Page<FlowSummary>>('GET', '/api/flows?limit=200')).items);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  }, [client]);
  useEffect(() => void reload(), [reload]);

  const act = async (action: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await action();
      await reload();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };
  const rename = (flow: FlowSummary) => {
    const name = window.prompt('New name', flow.name);
    if (!name || name === flow.name) return;
    void act(async () => {
      const current = await client.request<FlowView>('GET', `/api/flows/${flow.id}`);
      await client.request('PUT', `/api/flows/${flow.id}`, { ...current.document, name });
    });
  };
  const remove = (flow: FlowSummary) => {
    if (!window.confirm(`Delete "${flow.name}" and its runs?`)) return;
    void act(() => client.request('DELETE', `/api/flows/${flow.id}`));
  };
  const toggle = (flow: FlowSummary) => {
    // Optimistic: the switch moves at once; the reload after the call shows the truth.
    setFlows((list) => list.map((f) => (f.id === flow.id ? { ...f, enabled: !f.enabled } : f)));
    return act(() =>
      client.request('POST', `/api/flows/${flow.id}/${flow.enabled ? 'disable' : 'enable'}`),
    );
  };
  const exportFlow = (flow: FlowSummary) =>
    act(async () => {
      const document = await client.request<FlowDocument>('GET', `/api/flows/${flow.id}/export`);
      downloadJson(fileNameFor(flow.name), document);
    });

  return (
    <main className="flow-list">
      <header className="topbar">
        <h1>Flows</h1>
        <button type="button" onClick={onNew}>
          New flow
        </button>
        <button type="button" onClick={onCredentials}>
          Credentials
        </button>
        <button type="button" onClick={onKeys}>
          API keys
        </button>
        <button type="button" onClick={onSignOut} className="quiet">
          Sign out
        </button>
      </header>
      {error && <p role="alert">{error}</p>}
      <table aria-label="Flows">
        <thead>
          <tr>
            <th>Name</th>
            <th>Enabled</th>
            <th>Last run</th>
            <th>Failures</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {flows.length === 0 && (
            <tr>
              <td colSpan={5}>No flows yet: create one or import a flow file.</td>
            </tr>
          )}
          {flows.map((flow) => {
            const stat = stats.get(flow.id);
            return (
              <tr key={flow.id}>
                <td>
                  <a
                    href={`/flows/${flow.id}`}
                    onClick={(event) => {
                      event.preventDefault();
                      onOpen(flow.id);
                    }}
                  >
                    {flow.name}
                  </a>
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Enable ${flow.name}`}
                    checked={flow.enabled}
                    onChange={() => void toggle(flow)}
                  />
                </td>
                <td>
                  {!stat ? (
                    <span className="loading-cell">Loading…</span>
                  ) : stat.lastRun ? (
                    <>
                      <StatusBadge status={stat.lastRun.status} />{' '}
                      {new Date(stat.lastRun.createdAt ?? '').toLocaleString()}
                    </>
                  ) : (
                    'never'
                  )}
                </td>
                <td>{stat ? stat.failures : ''}</td>
                <td className="actions">
                  <button
                    type="button"
                    onClick={() => rename(flow)}
                    aria-label={`Rename ${flow.name}`}
                  >
                    Rename
                  </button>
                  <button
                    type="button"
                    onClick={() => void exportFlow(flow)}
                    aria-label={`Export ${flow.name}`}
                  >
                    Export
                  </button>
                  <button
                    type="button"
                    onClick={() => remove(flow)}
                    aria-label={`Delete ${flow.name}`}
                    className="danger"
                  >
                    Delete
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <FlowImportForm
        client={client}
        onOpen={onOpen}
        onCredentials={onCredentials}
        onImported={() => void reload()}
      />
    </main>
  );
}
