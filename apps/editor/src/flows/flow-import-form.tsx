import { useState, type ChangeEvent } from 'react';
import type { ApiClient } from '../api/client';
import { prepareImport, type ImportChoice, type ImportKind } from '../imports/detect-import';
import { ImportErrorView, importProblem, type ImportProblem } from '../imports/import-error-view';
import { ImportReportView } from '../imports/import-report-view';
import { runImport, type ImportOutcome } from '../imports/run-import';

interface FlowImportFormProps {
  client: ApiClient;
  /** Opens a flow in the editor. */
  onOpen: (flowId: string) => void;
  onCredentials: () => void;
  /** A flow was saved (the list shows it at once, behind the report). */
  onImported: () => void;
}

/**
 * Sources whose report is shown before leaving the list. Hookflow documents open straight in the
 * editor (their report is about ids and credentials, which the editor shows too).
 */
const REPORTED_KINDS: readonly ImportKind[] = ['n8n', 'node-red'];

/** Import a Hookflow, n8n or Node-RED export from a file or pasted JSON, then show the report. */
export function FlowImportForm({ client, onOpen, onCredentials, onImported }: FlowImportFormProps) {
  const [text, setText] = useState('');
  const [choice, setChoice] = useState<ImportChoice>('auto');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ImportProblem>();
  const [outcome, setOutcome] = useState<ImportOutcome>();

  const submit = async (source: string, fromPaste: boolean) => {
    setProblem(undefined);
    setOutcome(undefined);
    let kind: ImportKind | undefined;
    setBusy(true);
    try {
      const prepared = prepareImport(source, choice);
      kind = prepared.kind;
      const result = await runImport(client, prepared);
      if (fromPaste) setText('');
      if (!REPORTED_KINDS.includes(result.kind)) {
        onOpen(result.flow.id);
        return;
      }
      setOutcome(result);
      onImported();
    } catch (caught) {
      setProblem(importProblem(caught, kind));
    } finally {
      setBusy(false);
    }
  };
  const fromFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file) await submit(await file.text(), false);
  };

  return (
    <section className="import" aria-label="Import a flow">
      <h2>Import</h2>
      <p className="hint">
        A Hookflow flow file, an n8n workflow export or a Node-RED flow export (JSON).
      </p>
      <label htmlFor="import-source">Source</label>
      <select
        id="import-source"
        value={choice}
        onChange={(event) => setChoice(event.target.value as ImportChoice)}
      >
        <option value="auto">Detect automatically</option>
        <option value="hookflow">Hookflow flow</option>
        <option value="n8n">n8n workflow</option>
        <option value="node-red">Node-RED flow</option>
      </select>
      <label className="button-like">
        Import from file
        <input
          type="file"
          accept="application/json,.json"
          onChange={fromFile}
          disabled={busy}
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
      <button
        type="button"
        onClick={() => void submit(text, true)}
        disabled={busy || text.trim() === ''}
      >
        Import pasted JSON
      </button>
      <p role="status" className="hint">
        {busy ? 'Importing…' : ''}
      </p>
      {problem && <ImportErrorView problem={problem} />}
      {outcome && (
        <ImportReportView
          outcome={outcome}
          onOpen={onOpen}
          onCredentials={onCredentials}
          onDismiss={() => setOutcome(undefined)}
        />
      )}
    </section>
  );
}
