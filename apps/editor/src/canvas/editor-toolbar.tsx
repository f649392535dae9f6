import type { FlowEditorState } from './use-flow-editor';

interface EditorToolbarProps {
  editor: FlowEditorState;
  onBack: () => void;
  onSave: () => void;
  onExport: () => void;
}

export function EditorToolbar({ editor, onBack, onSave, onExport }: EditorToolbarProps) {
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
        {editor.dirty ? 'Unsaved changes' : flow ? `Version ${flow.version}` : 'New flow'}
      </span>
      <button type="button" onClick={onSave} title="Ctrl+S">
        Save
      </button>
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
