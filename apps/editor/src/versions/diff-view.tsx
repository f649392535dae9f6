import type { FlowDiffView, FlowDocumentEdge, JsonValue, ValueChange } from '../api/types';

const show = (value: JsonValue | undefined): string =>
  value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value);

const edgeText = (edge: FlowDocumentEdge): string =>
  `${edge.from}${edge.port && edge.port !== 'main' ? `:${edge.port}` : ''} → ${edge.to}`;

function Changes({ changes }: { changes: ValueChange[] }) {
  return (
    <ul className="diff-changes">
      {changes.map((change) => (
        <li key={change.path}>
          <code>{change.path}</code>: <del>{show(change.before)}</del> →{' '}
          <ins>{show(change.after)}</ins>
        </li>
      ))}
    </ul>
  );
}

/** A node-level diff: flow fields, nodes added/removed/changed (each change), edges. */
export function DiffView({
  diff,
  label,
  beforeName,
  afterName,
}: {
  diff: FlowDiffView;
  label: string;
  beforeName: string;
  afterName: string;
}) {
  return (
    <section className="diff" aria-label={label}>
      <p className="hint">
        From <strong>{beforeName}</strong> to <strong>{afterName}</strong>
      </p>
      {diff.identical && <p>No differences.</p>}
      {diff.flow.length > 0 && <Changes changes={diff.flow} />}
      {diff.nodes.added.map((node) => (
        <p key={`+${node.id}`} className="diff-added">
          + node <code>{node.id}</code> ({node.type})
        </p>
      ))}
      {diff.nodes.removed.map((node) => (
        <p key={`-${node.id}`} className="diff-removed">
          − node <code>{node.id}</code> ({node.type})
        </p>
      ))}
      {diff.nodes.changed.map((node) => (
        <div key={`~${node.id}`} className="diff-changed">
          ~ node <code>{node.id}</code> ({node.type})
          <Changes changes={node.changes} />
        </div>
      ))}
      {diff.edges.added.map((edge) => (
        <p key={`+e${edgeText(edge)}`} className="diff-added">
          + edge {edgeText(edge)}
        </p>
      ))}
      {diff.edges.removed.map((edge) => (
        <p key={`-e${edgeText(edge)}`} className="diff-removed">
          − edge {edgeText(edge)}
        </p>
      ))}
    </section>
  );
}
