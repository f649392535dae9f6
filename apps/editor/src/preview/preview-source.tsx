import type { NodePreview, PreviewSource } from './use-node-preview';

const SOURCES: Array<{ value: PreviewSource; label: string }> = [
  { value: 'sample', label: 'Trigger sample (through the nodes before)' },
  { value: 'last-run', label: 'Last run' },
  { value: 'pasted', label: 'Pasted JSON' },
];

/** The switch choosing what the node's expressions are previewed against, and that input. */
export function PreviewSourcePicker({ nodeId, preview }: { nodeId: string; preview: NodePreview }) {
  const name = `preview-source-${nodeId}`;
  return (
    <fieldset className="preview-source" aria-label="Preview input">
      <legend>Preview input</legend>
      {SOURCES.map((source) => (
        <label key={source.value} className="inline">
          <input
            type="radio"
            name={name}
            value={source.value}
            checked={preview.source === source.value}
            onChange={() => preview.setSource(source.value)}
          />
          {source.label}
        </label>
      ))}
      {preview.source === 'pasted' && (
        <>
          <label htmlFor={`${name}-json`}>Input of {nodeId} (JSON)</label>
          <textarea
            id={`${name}-json`}
            className="code"
            rows={4}
            spellCheck={false}
            value={preview.pasted}
            onChange={(event) => preview.setPasted(event.target.value)}
          />
        </>
      )}
      {preview.status && (
        <p className="hint" role="status" aria-label="Preview input status">
          {preview.status}
        </p>
      )}
      {preview.context && (
        <details className="preview-input">
          <summary>Input used</summary>
          <pre className="code" aria-label={`Preview input of ${nodeId}`}>
            {JSON.stringify(preview.context.message, null, 2)}
          </pre>
        </details>
      )}
    </fieldset>
  );
}
