import { useState } from 'react';
import type { ExecutionDetail, ExecutionSummary, ReplayVersion } from '../api/types';
import { StepDetails } from '../panel/step-details';
import { StatusBadge } from '../shared/status-badge';

interface RunsPanelProps {
  executions: ExecutionSummary[];
  /** What started each run (the event type), by execution id. */
  summaries?: ReadonlyMap<string, string>;
  connected: boolean;
  selected: ExecutionDetail | undefined;
  onSelect: (executionId: string | undefined) => void;
  /** Replays the run's delivery; resolves once the new execution is accepted. */
  onReplay?: (deliveryId: string, version: ReplayVersion) => Promise<void>;
}

const time = (iso: string | null): string => (iso ? new Date(iso).toLocaleTimeString() : '');

/** How long a run took ("120 ms", "2.4 s"), or "running" while it has not finished. */
export function runDuration(execution: ExecutionSummary): string {
  if (!execution.createdAt || !execution.finishedAt) return 'running';
  const ms = Date.parse(execution.finishedAt) - Date.parse(execution.createdAt);
  return ms < 1000 ? `${Math.max(ms, 0)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

const STATUS_FILTERS = ['all', 'succeeded', 'failed', 'running'] as const;
type StatusFilter = (typeof STATUS_FILTERS)[number];

/** Runs of this flow as they arrive; opening one colours the canvas and lists every step. */
export function RunsPanel({
  executions,
  summaries,
  connected,
  selected,
  onSelect,
  onReplay,
}: RunsPanelProps) {
  const [replaying, setReplaying] = useState(false);
  const [filter, setFilter] = useState<StatusFilter>('all');
  const shown = executions.filter(
    (execution) =>
      filter === 'all' ||
      execution.status === filter ||
      (filter === 'running' && !execution.finishedAt),
  );
  const replay = (deliveryId: string, version: ReplayVersion) => {
    if (!onReplay) return;
    setReplaying(true);
    void onReplay(deliveryId, version).finally(() => setReplaying(false));
  };
  const deliveryId = selected?.deliveryId;
  return (
    <section className="runs-panel" aria-label="Runs">
      <h2>
        Runs{' '}
        <span className={connected ? 'live on' : 'live'}>{connected ? 'live' : 'offline'}</span>
      </h2>
      {executions.length === 0 && <p className="hint">No runs yet: post to the trigger URL.</p>}
      {executions.length > 0 && (
        <label className="run-filter">
          Status{' '}
          <select
            value={filter}
            onChange={(event) => setFilter(event.target.value as StatusFilter)}
          >
            {STATUS_FILTERS.map((status) => (
              <option key={status} value={status}>
                {status === 'all' ? `all (${executions.length})` : status}
              </option>
            ))}
          </select>
        </label>
      )}
      <ul className="run-list">
        {shown.map((execution) => (
          <li key={execution.id}>
            <button
              type="button"
              className={selected?.id === execution.id ? 'run selected' : 'run'}
              aria-label={`Run ${execution.id} ${execution.status}`}
              aria-pressed={selected?.id === execution.id}
              onClick={() => onSelect(selected?.id === execution.id ? undefined : execution.id)}
            >
              <StatusBadge status={execution.status} /> {time(execution.createdAt)}
              <span className="run-duration">{runDuration(execution)}</span>
              {summaries?.get(execution.id) && (
                <span className="run-summary">{summaries.get(execution.id)}</span>
              )}
            </button>
          </li>
        ))}
      </ul>
      {selected && (
        <div className="run-detail" aria-label="Run details">
          <h3>
            Run <StatusBadge status={selected.status} />
          </h3>
          {deliveryId && onReplay && (
            <div className="row" role="group" aria-label="Replay this run">
              <button
                type="button"
                disabled={replaying}
                onClick={() => replay(deliveryId, 'current')}
              >
                Replay
              </button>
              <button
                type="button"
                disabled={replaying}
                onClick={() => replay(deliveryId, 'original')}
              >
                Retry with original version
              </button>
            </div>
          )}
          {selected.steps.map((step) => (
            <StepDetails key={step.seq} step={step} />
          ))}
        </div>
      )}
    </section>
  );
}
