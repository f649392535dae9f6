import { useCallback, useEffect, useState } from 'react';
import { ApiError, type ApiClient } from '../api/client';
import type { FlowDiffView, FlowVersionSummary, FlowView, Page } from '../api/types';
import type { EditorNotice } from '../canvas/use-flow-editor';
import { DiffView } from './diff-view';

interface VersionsPanelProps {
  client: ApiClient;
  flow: FlowView;
  /** Unsaved edits on the canvas: a restore asks before replacing them. */
  dirty: boolean;
  /** A restore or publish answered with the flow as it is now. */
  onFlowChanged: (flow: FlowView, replaceCanvas: boolean) => void;
  setNotice: (notice: EditorNotice | undefined) => void;
}

const describe = (error: unknown): string =>
  error instanceof ApiError
    ? [error.message, ...error.details.map((detail) => detail.message)].join('; ')
    : String(error);

/** The version history: who saved what and when, diffs, restore as draft, publish. */
export function VersionsPanel({
  client,
  flow,
  dirty,
  onFlowChanged,
  setNotice,
}: VersionsPanelProps) {
  const [versions, setVersions] = useState<FlowVersionSummary[]>([]);
  const [from, setFrom] = useState<number>(Math.max(1, flow.version - 1));
  const [to, setTo] = useState<number>(flow.version);
  const [diff, setDiff] = useState<{ from: number; to: number; diff: FlowDiffView }>();

  useEffect(() => {
    let live = true;
    client
      .request<Page<FlowVersionSummary>>('GET', `/api/flows/${flow.id}/versions?limit=100`)
      .then((page) => live && setVersions(page.items))
      .catch((error: unknown) => live && setNotice({ kind: 'error', text: describe(error) }));
    setFrom(Math.max(1, flow.version - 1));
    setTo(flow.version);
    return () => {
      live = false;
    };
  }, [client, flow.id, flow.version, flow.publishedVersion, setNotice]);

  const compare = useCallback(async () => {
    try {
      const result = await client.request<{ diff: FlowDiffView }>(
        'GET',
        `/api/flows/${flow.id}/diff?from=${from}&to=${to}`,
      );
      setDiff({ from, to, diff: result.diff });
    } catch (error) {
      setNotice({ kind: 'error', text: `No diff: ${describe(error)}` });
    }
  }, [client, flow.id, from, to, setNotice]);

  const restore = async (version: number) => {
    if (dirty && !window.confirm('Restoring replaces your unsaved changes. Restore anyway?'))
      return;
    try {
      const restored = await client.request<FlowView>(
        'POST',
        `/api/flows/${flow.id}/versions/${version}/restore`,
        { draft: true, baseVersion: flow.version, message: `restored from version ${version}` },
      );
      onFlowChanged(restored, true);
      setNotice({
        kind: 'info',
        text: `Version ${version} restored as draft version ${restored.version}`,
      });
    } catch (error) {
      setNotice({ kind: 'error', text: `Not restored: ${describe(error)}` });
    }
  };

  const publish = async (version: number) => {
    try {
      const published = await client.request<FlowView>('POST', `/api/flows/${flow.id}/publish`, {
        version,
      });
      onFlowChanged(published, false);
      setNotice({ kind: 'info', text: `Version ${version} published` });
    } catch (error) {
      setNotice({ kind: 'error', text: `Not published: ${describe(error)}` });
    }
  };

  const numbers = versions.map((item) => item.version);
  return (
    <section className="versions" aria-label="Versions">
      <ol className="version-list">
        {versions.map((item) => {
          const published = item.published ?? item.version === flow.publishedVersion;
          return (
            <li key={item.version} aria-label={`Version ${item.version}`}>
              <div className="version-head">
                <strong>v{item.version}</strong>
                {published && <span className="badge badge-published">published</span>}
                {!published && item.version > (flow.publishedVersion ?? flow.version) && (
                  <span className="badge">draft</span>
                )}
                {item.version === flow.version && <span className="badge">latest</span>}
              </div>
              <p className="hint">
                {item.author ?? 'unknown author'} · {new Date(item.createdAt).toLocaleString()}
              </p>
              {item.message && <p className="version-message">{item.message}</p>}
              <div className="row">
                {item.version !== flow.version && (
                  <button type="button" onClick={() => void restore(item.version)}>
                    Restore v{item.version} as draft
                  </button>
                )}
                {!published && (
                  <button type="button" onClick={() => void publish(item.version)}>
                    Publish v{item.version}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ol>
      {numbers.length > 1 && (
        <div className="compare row">
          <label htmlFor="diff-from">From</label>
          <select id="diff-from" value={from} onChange={(e) => setFrom(Number(e.target.value))}>
            {numbers.map((n) => (
              <option key={n} value={n}>
                v{n}
              </option>
            ))}
          </select>
          <label htmlFor="diff-to">to</label>
          <select id="diff-to" value={to} onChange={(e) => setTo(Number(e.target.value))}>
            {numbers.map((n) => (
              <option key={n} value={n}>
                v{n}
              </option>
            ))}
          </select>
          <button type="button" onClick={() => void compare()}>
            Compare
          </button>
        </div>
      )}
      {diff && (
        <DiffView
          diff={diff.diff}
          label={`Diff of version ${diff.from} and ${diff.to}`}
          beforeName={`v${diff.from}`}
          afterName={`v${diff.to}`}
        />
      )}
    </section>
  );
}
