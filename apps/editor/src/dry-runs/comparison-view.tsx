import type { JsonValue, ValueChange } from '../api/types';
import type {
  DryRunDeliveryView,
  NodeComparisonView,
  SideEffectComparisonView,
} from './dry-run-types';

const pretty = (value: JsonValue | undefined): string =>
  value === undefined ? '—' : JSON.stringify(value, null, 2);

const VERDICT_TEXT: Record<string, string> = {
  equal: 'equal',
  changed: 'changed',
  newly_reached: 'newly reached',
  no_longer_reached: 'no longer reached',
  failed: 'failed',
  new: 'new',
  gone: 'gone',
};

function Diff({ changes }: { changes?: ValueChange[] }) {
  if (!changes || changes.length === 0) return null;
  return (
    <ul className="diff-changes">
      {changes.map((change) => (
        <li key={change.path || '/'}>
          <code>{change.path || '/'}</code>: <del>{pretty(change.before)}</del> →{' '}
          <ins>{pretty(change.after)}</ins>
        </li>
      ))}
    </ul>
  );
}

/** The published version's value beside the draft's, and the leaf changes under them. */
function SideBySide(props: {
  label: string;
  what: string;
  before?: JsonValue;
  after?: JsonValue;
  diff?: ValueChange[];
}) {
  return (
    <section className="dry-run-pair" aria-label={props.label}>
      <div className="dry-run-columns">
        <div>
          <h5>Published</h5>
          <pre aria-label={`Published ${props.what}`}>{pretty(props.before)}</pre>
        </div>
        <div>
          <h5>Draft</h5>
          <pre aria-label={`Draft ${props.what}`}>{pretty(props.after)}</pre>
        </div>
      </div>
      <Diff changes={props.diff} />
    </section>
  );
}

function NodeRow({ node }: { node: NodeComparisonView }) {
  return (
    <li>
      <strong>{node.nodeId}</strong>: {VERDICT_TEXT[node.verdict]}
      {node.error && <span className="dry-run-error"> ({node.error.message})</span>}
      {node.verdict !== 'equal' && (
        <SideBySide
          label={`Output of ${node.nodeId}`}
          what="output"
          before={node.before}
          after={node.after}
          diff={node.diff}
        />
      )}
    </li>
  );
}

function RequestRow({ effect }: { effect: SideEffectComparisonView }) {
  const name = `${effect.nodeId}${effect.occurrence > 0 ? ` #${effect.occurrence + 1}` : ''}`;
  return (
    <li>
      <strong>{name}</strong> ({effect.kind === 'mail' ? 'email' : 'HTTP'}):{' '}
      {VERDICT_TEXT[effect.verdict]}
      {effect.blocked && (
        <span className="dry-run-error"> (would be refused: {effect.blocked})</span>
      )}
      {effect.verdict !== 'equal' && (
        <SideBySide
          label={`Request of ${name}`}
          what="request"
          before={effect.before}
          after={effect.after}
          diff={effect.diff}
        />
      )}
    </li>
  );
}

/** One delivery: every node's output and every request it would send, published vs draft. */
export function ComparisonView({ delivery }: { delivery: DryRunDeliveryView }) {
  return (
    <div className="dry-run-detail" aria-label={`Delivery ${delivery.position + 1} compared`}>
      {delivery.error && <p className="dry-run-error">Failed: {delivery.error.message}</p>}
      <h4>Nodes</h4>
      <ul className="dry-run-list">
        {delivery.nodes.map((node) => (
          <NodeRow key={node.nodeId} node={node} />
        ))}
      </ul>
      <h4>Requests that would be sent</h4>
      {delivery.sideEffects.length === 0 ? (
        <p className="hint">None, in either version.</p>
      ) : (
        <ul className="dry-run-list">
          {delivery.sideEffects.map((effect) => (
            <RequestRow key={`${effect.nodeId}#${effect.occurrence}`} effect={effect} />
          ))}
        </ul>
      )}
    </div>
  );
}

/** `map changed, call gone`: what differs in one delivery, for the table. */
export function differences(delivery: DryRunDeliveryView): string {
  if (delivery.error) return delivery.error.message;
  const nodes = delivery.nodes
    .filter((node) => node.verdict !== 'equal')
    .map((node) => `${node.nodeId} ${VERDICT_TEXT[node.verdict]}`);
  const requests = delivery.sideEffects
    .filter((effect) => effect.verdict !== 'equal')
    .map((effect) => `request of ${effect.nodeId} ${VERDICT_TEXT[effect.verdict]}`);
  return [...nodes, ...requests].join(', ') || '—';
}
