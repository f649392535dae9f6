import { useEffect, useRef, useState } from 'react';
import { ApiError, type ApiClient } from '../api/client';
import type { FlowView } from '../api/types';
import { ComparisonView, differences } from './comparison-view';
import { useDryRun } from './use-dry-run';
import './dry-run.css';

interface DryRunDialogProps {
  client: ApiClient;
  flow: FlowView;
  onClose: () => void;
  /** The flow after "Publish" here. */
  onPublished: (flow: FlowView) => void;
}

const shortTime = (iso: string | null): string =>
  iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, '') : 'sample';

/**
 * "Test against recent deliveries": runs the latest version on the flow's recent deliveries with
 * side effects held back, shows progress, a table per delivery and, per delivery, each node's
 * output and each request published vs draft; the version can be published from here.
 */
export function DryRunDialog({ client, flow, onClose, onPublished }: DryRunDialogProps) {
  const [last, setLast] = useState(50);
  const [open, setOpen] = useState<number>();
  const [publishError, setPublishError] = useState<string>();
  const dryRun = useDryRun(client, flow.id);
  const { view } = dryRun;
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  const publish = async (version: number) => {
    try {
      onPublished(
        await client.request<FlowView>('POST', `/api/flows/${flow.id}/publish`, { version }),
      );
    } catch (error) {
      setPublishError(error instanceof ApiError ? error.message : String(error));
    }
  };
  const finished = view?.status === 'finished';
  const shown = view?.deliveries?.find((delivery) => delivery.position === open);

  return (
    <div className="dialog-backdrop">
      <div
        className="dialog dry-run-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="dry-run-title"
        onKeyDown={(event) => {
          if (event.key === 'Escape') onClose();
        }}
      >
        <h3 id="dry-run-title">Test against recent deliveries</h3>
        <p className="hint">
          Runs version {flow.version} on recorded deliveries with side effects held back (nothing is
          sent or recorded) and compares each with published version{' '}
          {flow.publishedVersion ?? flow.version}.
        </p>
        <div className="dry-run-start">
          <label>
            Last deliveries{' '}
            <input
              ref={first}
              type="number"
              min={1}
              max={1000}
              value={last}
              onChange={(event) => setLast(Number(event.target.value))}
            />
          </label>
          <button
            type="button"
            disabled={dryRun.running || !(last >= 1 && last <= 1000)}
            onClick={() => void dryRun.start(last)}
          >
            Run test
          </button>
        </div>
        {dryRun.error && (
          <p className="dry-run-error" role="alert">
            {dryRun.error}
          </p>
        )}
        {view && (
          <>
            <progress
              aria-label="Deliveries tried"
              value={view.progress.done}
              max={view.progress.total}
            />
            <span>
              {' '}
              {view.progress.done} / {view.progress.total} deliveries
              {view.status === 'failed' ? `: stopped (${view.error ?? 'failed'})` : ''}
            </span>
            <p className="dry-run-summary" aria-label="Dry run summary">
              Unchanged <output aria-label="Unchanged deliveries">{view.summary.unchanged}</output>
              {' · '}Changed <output aria-label="Changed deliveries">{view.summary.changed}</output>
              {' · '}Failed <output aria-label="Failed deliveries">{view.summary.failed}</output>
            </p>
          </>
        )}
        {finished && view.deliveries && (
          <table className="dry-run-table" aria-label="Deliveries compared">
            <thead>
              <tr>
                <th>#</th>
                <th>Received</th>
                <th>Verdict</th>
                <th>What differs</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {view.deliveries.map((delivery) => (
                <tr key={delivery.position} className={`dry-run-${delivery.verdict}`}>
                  <td>{delivery.position + 1}</td>
                  <td>{shortTime(delivery.receivedAt)}</td>
                  <td>{delivery.verdict}</td>
                  <td>{differences(delivery)}</td>
                  <td>
                    <button
                      type="button"
                      aria-label={`Compare delivery ${delivery.position + 1}`}
                      onClick={() =>
                        setOpen(open === delivery.position ? undefined : delivery.position)
                      }
                    >
                      {open === delivery.position ? 'Hide' : 'Compare'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {shown && <ComparisonView delivery={shown} />}
        {publishError && (
          <p className="dry-run-error" role="alert">
            Not published: {publishError}
          </p>
        )}
        <div className="dialog-actions">
          {finished && view.version !== view.baselineVersion && (
            <button type="button" onClick={() => void publish(view.version)}>
              Publish version {view.version}
            </button>
          )}
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
