import type { ExecutionStep } from '../api/types';
import { JsonViewer } from '../runs/json-viewer';
import { StatusBadge } from '../shared/status-badge';

/** What one node received and produced in a run. */
export function StepDetails({ step }: { step: ExecutionStep }) {
  return (
    <section className="step" aria-label={`Step ${step.nodeId}`}>
      <h4>
        {step.nodeId} <StatusBadge status={step.status} />{' '}
        <span className="duration">{step.durationMs} ms</span>
        {step.port && step.port !== 'main' && <span className="port"> → {step.port}</span>}
      </h4>
      <h5>Input</h5>
      <JsonViewer label={`Input of ${step.nodeId}`} value={step.input} />
      <h5>Output</h5>
      <JsonViewer label={`Output of ${step.nodeId}`} value={step.output} />
      {step.error !== null && step.error !== undefined && (
        <>
          <h5>Error</h5>
          <JsonViewer label={`Error of ${step.nodeId}`} value={step.error} />
        </>
      )}
    </section>
  );
}
