import type { JsonValue } from '../api/types';

function Scalar({ value }: { value: JsonValue }) {
  const kind = value === null ? 'null' : typeof value;
  return <span className={`json-${kind}`}>{JSON.stringify(value)}</span>;
}

function JsonNode({ name, value, depth }: { name?: string; value: JsonValue; depth: number }) {
  const label = name !== undefined ? <span className="json-key">{name}: </span> : null;
  if (value === null || typeof value !== 'object') {
    return (
      <div className="json-line">
        {label}
        <Scalar value={value} />
      </div>
    );
  }
  const entries: Array<[string, JsonValue]> = Array.isArray(value)
    ? value.map((item, index) => [String(index), item])
    : Object.entries(value);
  const summary = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
  return (
    <details className="json-branch" open={depth < 2}>
      <summary>
        {label}
        <span className="json-summary">{summary}</span>
      </summary>
      {entries.map(([key, item]) => (
        <JsonNode key={key} name={key} value={item} depth={depth + 1} />
      ))}
    </details>
  );
}

/** A collapsible JSON tree (the first two levels open). */
export function JsonViewer({ value, label }: { value: JsonValue | undefined; label: string }) {
  return (
    <div className="json-viewer" role="group" aria-label={label}>
      <JsonNode value={value ?? null} depth={0} />
    </div>
  );
}
