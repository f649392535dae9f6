import { isJsonObject, type ExecutionStep, type JsonValue } from '../api/types';
import { DataView } from '../runs/data-view';
import { JsonViewer } from '../runs/json-viewer';
import { StatusBadge } from '../shared/status-badge';

/** How to fix a failure, by the error code the engine records. */
const FIX_HINTS: Record<string, string> = {
  http_status:
    'the target answered with an error status: check the URL, method and credential, or turn ' +
    'off "Fail unless 2xx" to pass the answer on.',
  timeout: 'the target did not answer in time: raise the Timeout or check the target is up.',
  blocked:
    'private and loopback addresses are blocked: allow the host with HOOKFLOW_OUTBOUND_ALLOW.',
  network: 'the target could not be reached: check the host name and that it is up.',
  credential_missing: 'pick an existing credential in the node Settings, or create it first.',
  credential_type: 'this node needs another credential type: pick a fitting one in Settings.',
  expression_failed: 'the expression failed on this input: preview it with "Last run" as input.',
  expression_syntax: 'the expression does not parse: the field underlines where.',
  expression_timeout: 'the expression took too long: simplify it or raise the limit.',
};

/** A failure's message and the hint on how to fix it. */
function FailureSummary({ error }: { error: JsonValue }) {
  if (!isJsonObject(error)) return null;
  const text = (key: string) => (typeof error[key] === 'string' ? error[key] : undefined);
  const message = text('message');
  const code = text('code');
  const hint = text('hint') ?? (code ? FIX_HINTS[code] : undefined);
  if (!message && !hint) return null;
  return (
    <div className="failure" role="alert" aria-label="Step error">
      {message && <p className="failure-message">{message}</p>}
      {hint && <p className="failure-hint">How to fix it: {hint}</p>}
    </div>
  );
}

/** What one node received and produced in a run. */
export function StepDetails({ step }: { step: ExecutionStep }) {
  return (
    <section className="step" aria-label={`Step ${step.nodeId}`}>
      <h4>
        {step.nodeId} <StatusBadge status={step.status} />{' '}
        <span className="duration">{step.durationMs} ms</span>
        {step.port && step.port !== 'main' && <span className="port"> → {step.port}</span>}
      </h4>
      {step.error !== null && step.error !== undefined && <FailureSummary error={step.error} />}
      <h5>Input</h5>
      <DataView label={`Input of ${step.nodeId}`} value={step.input} />
      <h5>Output</h5>
      <DataView label={`Output of ${step.nodeId}`} value={step.output} />
      {step.error !== null && step.error !== undefined && (
        <>
          <h5>Error</h5>
          <JsonViewer label={`Error of ${step.nodeId}`} value={step.error} />
        </>
      )}
    </section>
  );
}
