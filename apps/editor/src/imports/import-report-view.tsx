import { useEffect, useRef } from 'react';
import type { ImportedNodeView } from '../api/types';
import { IMPORT_KIND_LABELS } from './detect-import';
import type { ImportOutcome } from './run-import';

interface ImportReportViewProps {
  outcome: ImportOutcome;
  onOpen: (flowId: string) => void;
  onCredentials: () => void;
  onDismiss: () => void;
}

/** Why the flow does not accept deliveries yet, in the user's terms. */
function disabledReason(outcome: ImportOutcome): string {
  const reasons: string[] = [];
  if (outcome.conversion) {
    reasons.push(
      `flows converted from ${IMPORT_KIND_LABELS[outcome.kind].replace(/ .*$/, '')} are always ` +
        'saved disabled so you can review the conversion before it handles real requests',
    );
  } else {
    reasons.push('the editor imports flows disabled so you can review them first');
  }
  const names = [...new Set(outcome.missingCredentials.map((reference) => reference.name))];
  if (names.length > 0) {
    reasons.push(
      `it uses ${names.length === 1 ? 'a credential' : 'credentials'} not created yet ` +
        `(${names.join(', ')})`,
    );
  }
  return `The flow was saved disabled: ${reasons.join(', and ')}. It accepts no deliveries until you enable it in the editor.`;
}

function NodeRows({ nodes }: { nodes: ImportedNodeView[] }) {
  return (
    <>
      {nodes.map((node) => (
        <tr key={node.sourceId}>
          <th scope="row">{node.sourceName || node.sourceId}</th>
          <td>
            <code>{node.sourceType}</code>
          </td>
          <td>
            <span className={`badge outcome-${node.outcome}`}>{node.outcome}</span>
          </td>
          <td>{node.nodeIds.length > 0 ? node.nodeIds.join(', ') : '(left out)'}</td>
          <td>
            {node.notes.length === 0 ? (
              '—'
            ) : (
              <ul className="notes">
                {node.notes.map((note, index) => (
                  <li key={index}>{note}</li>
                ))}
              </ul>
            )}
          </td>
        </tr>
      ))}
    </>
  );
}

/** The import report, shown before the user leaves the list for the new flow. */
export function ImportReportView({
  outcome,
  onOpen,
  onCredentials,
  onDismiss,
}: ImportReportViewProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Keyboard and screen-reader users land on the report, not on the form they just used.
  useEffect(() => heading.current?.focus(), [outcome]);
  const { conversion, flow } = outcome;
  const notSimple = conversion?.nodes.filter((node) => node.outcome !== 'converted') ?? [];

  return (
    <section className="import-report" aria-labelledby="import-report-title">
      <h3 id="import-report-title" tabIndex={-1} ref={heading}>
        Imported “{flow.name}” from{' '}
        {IMPORT_KIND_LABELS[outcome.kind].replace(/ (flow|workflow)$/, '')}
      </h3>
      {!outcome.enabled && (
        <p className="notice notice-info" data-testid="import-disabled">
          {disabledReason(outcome)}
        </p>
      )}
      {conversion && (
        <>
          <p className="import-summary" aria-label="Conversion summary">
            {conversion.summary.converted} converted, {conversion.summary.approximated}{' '}
            approximated, {conversion.summary.unsupported} unsupported
          </p>
          {notSimple.length === 0 ? (
            <p>Every node was converted with the same behaviour.</p>
          ) : (
            <table aria-label="Nodes not simply converted">
              <caption>
                Approximated nodes run but behave differently as noted; unsupported nodes fail the
                run when reached: rewrite them in the editor.
              </caption>
              <thead>
                <tr>
                  <th scope="col">Source node</th>
                  <th scope="col">Type</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Hookflow nodes</th>
                  <th scope="col">Notes</th>
                </tr>
              </thead>
              <tbody>
                <NodeRows nodes={notSimple} />
              </tbody>
            </table>
          )}
          {conversion.warnings.length > 0 && (
            <>
              <h4 id="import-warnings">Warnings</h4>
              <ul aria-labelledby="import-warnings">
                {conversion.warnings.map((warning, index) => (
                  <li key={index}>{warning}</li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      {outcome.missingCredentials.length > 0 && (
        <>
          <h4 id="import-missing-credentials">
            {outcome.credentialsChecked ? 'Missing credentials' : 'Credentials the flow uses'}
          </h4>
          <ul aria-labelledby="import-missing-credentials">
            {outcome.missingCredentials.map((reference) => (
              <li key={reference.path}>
                <strong>{reference.name}</strong> at <code>{reference.path}</code>
              </li>
            ))}
          </ul>
          <p>
            Create them on the{' '}
            <a
              href="/credentials"
              onClick={(event) => {
                event.preventDefault();
                onCredentials();
              }}
            >
              credentials page
            </a>{' '}
            before enabling the flow.
          </p>
        </>
      )}
      {outcome.remapped.length > 0 && (
        <>
          <h4 id="import-remapped">Ids changed</h4>
          <p>This installation already had these ids, so the flow got new ones:</p>
          <ul aria-labelledby="import-remapped">
            {outcome.remapped.map((id) => (
              <li key={id.path}>
                {id.kind} <code>{id.path}</code>: <code>{id.from}</code> → <code>{id.to}</code>
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="row">
        <button type="button" onClick={() => onOpen(flow.id)}>
          Open imported flow
        </button>
        <button type="button" className="quiet" onClick={onDismiss}>
          Dismiss report
        </button>
      </div>
    </section>
  );
}
