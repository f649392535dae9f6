interface SampleEditorProps {
  text: string;
  onChange: (text: string) => void;
  onLoadCaptured?: () => void;
  status?: string;
}

/** The message expressions are previewed against: pasted JSON or the trigger's captured request. */
export function SampleEditor({ text, onChange, onLoadCaptured, status }: SampleEditorProps) {
  return (
    <details className="sample" open>
      <summary>Sample message</summary>
      <label htmlFor="sample-json">Sample message (JSON)</label>
      <textarea
        id="sample-json"
        className="code"
        rows={5}
        spellCheck={false}
        value={text}
        onChange={(event) => onChange(event.target.value)}
      />
      {onLoadCaptured && (
        <button type="button" onClick={onLoadCaptured}>
          Use captured sample
        </button>
      )}
      {status && <p className="hint">{status}</p>}
    </details>
  );
}
