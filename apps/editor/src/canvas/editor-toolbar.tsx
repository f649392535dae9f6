import type { FlowEditorState } from './use-flow-editor';

interface EditorToolbarProps {
  editor: FlowEditorState;
  /** Why this save: kept with the version (optional). */
  message: string;
  onMessage: (message: string) => void;
  onBack: () => void;
  /** Saves and publishes, or with `draft` stores a version deliveries do not run yet. */
  onSave: (draft: boolean) => void;
  onExport: () => void;
  /** Opens "Test against recent deliveries" (a dry run of the latest version). */
  onTest: () => void;
}

function versionLabel(flow: FlowEditorState['flow']): string {
  if (!flow) return 'New flow';
  const published = flow.publishedVersion;
  return published !== undefined && published !== flow.version
    ? `Version ${flow.version} (draft; v${published} published)`
    : `Version ${flow.version}`;
}

export function EditorToolbar({
  editor,
  message,
  onMessage,
  onBack,
  onSave,
  onExport,
  onTest,
}: EditorToolbarProps) {
  const { flow, history } = editor;
  return (
    <header className="topbar" aria-label="Flow toolbar">
      <button type="button" onClick={onBack} className="quiet">
        ← Flows
      </button>
      <input
        className="flow-name"
        aria-label="Flow name"
        value={editor.name}
        onChange={(event) => editor.rename(event.target.value)}
      />
      <span className="dirty" aria-live="polite">
        {editor.dirty ? 'Unsaved changes' : versionLabel(flow)}
      </span>
      {flow && (
        <input
          className="save-message"
          aria-label="Version message"
          placeholder="Version message (optional)"
          value={message}
          onChange={(event) => onMessage(event.target.value)}
        />
      )}
      <button type="button" onClick={() => onSave(false)} title="Ctrl+S: save and publish">
        Save
      </button>
      {flow && (
        <button
          type="button"
          onClick={() => onSave(true)}
          title="Store a version without publishing it"
        >
          Save draft
        </button>
      )}
      {flow && (
        <button
          type="button"
          onClick={onTest}
          disabled={editor.dirty}
          title={editor.dirty ? 'Save first: the test runs the latest saved version' : undefined}
        >
          Test against recent deliveries
        </button>
      )}
      <label className="inline toggle">
        <input
          type="checkbox"
          aria-label="Enabled"
          disabled={!flow}
          checked={flow?.enabled ?? false}
          onChange={(event) => void editor.setEnabled(event.target.checked)}
        />
        Enabled
      </label>
      <button type="button" onClick={history.undo} disabled={!history.canUndo} title="Ctrl+Z">
        Undo
      </button>
      <button type="button" onClick={history.redo} disabled={!history.canRedo} title="Ctrl+Shift+Z">
        Redo
      </button>
      <button type="button" onClick={editor.autoLayout}>
        Auto-layout
      </button>
      <button type="button" onClick={onExport}>
        Export
      </button>
    </header>
  );
}
