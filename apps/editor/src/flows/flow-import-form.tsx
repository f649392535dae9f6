import { useState, type ChangeEvent } from 'react';
import { parseFlowDocument } from './flow-file';
import type { FlowDocument } from '../api/types';

/** Import from a file or from pasted JSON. */
export function FlowImportForm({
  onImport,
}: {
  onImport: (document: FlowDocument) => Promise<void>;
}) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();

  const submit = async (source: string) => {
    setError(undefined);
    try {
      await onImport(parseFlowDocument(source));
      setText('');
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };
  const fromFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file) await submit(await file.text());
  };

  return (
    <section className="import" aria-label="Import a flow">
      <h2>Import</h2>
      <label className="button-like">
        Import from file
        <input
          type="file"
          accept="application/json,.json"
          onChange={fromFile}
          className="visually-hidden"
        />
      </label>
      <label htmlFor="import-json">Or paste flow JSON</label>
      <textarea
        id="import-json"
        className="code"
        rows={5}
        value={text}
        onChange={(event) => setText(event.target.value)}
      />
      <button type="button" onClick={() => submit(text)} disabled={text.trim() === ''}>
        Import pasted JSON
      </button>
      {error && <p role="alert">{error}</p>}
    </section>
  );
}
