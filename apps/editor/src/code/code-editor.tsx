import { useEffect, useRef } from 'react';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, placeholder as placeholderText } from '@codemirror/view';
import { errorMarks, setCodeError, type CodeError } from './error-mark';
import { handlebarsLanguage } from './handlebars-language';
import { codeLook } from './highlight';
import { jsonataLanguage } from './jsonata-language';

export type CodeLanguage = 'jsonata' | 'handlebars';

interface CodeEditorProps {
  /** The id of the editable element, for `<label htmlFor>` users and tests. */
  id: string;
  /** The accessible name (CodeMirror's editable element is not a labelable element). */
  label: string;
  language: CodeLanguage;
  value: string;
  onChange: (value: string) => void;
  /** Underlined at its position; undefined clears the mark. */
  error?: CodeError;
  placeholder?: string;
}

/**
 * A CodeMirror 6 field with JSONata or Handlebars highlighting, its own undo history and an
 * error underline. Its editable element is contenteditable, so the canvas's Delete, copy, paste
 * and undo shortcuts (use-editor-keys) leave keys typed here alone.
 */
export function CodeEditor({
  id,
  label,
  language,
  value,
  onChange,
  error,
  placeholder,
}: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView>(undefined);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  /** The latest value from the props: a remount starts from it, echoes of it are not changes. */
  const latest = useRef(value);
  latest.current = value;

  useEffect(() => {
    if (!host.current) return;
    const created = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: latest.current,
        extensions: [
          history(),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          language === 'jsonata' ? jsonataLanguage : handlebarsLanguage,
          codeLook,
          errorMarks,
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({
            id,
            'aria-label': label,
            'aria-multiline': 'true',
            'data-language': language,
          }),
          ...(placeholder ? [placeholderText(placeholder)] : []),
          EditorView.updateListener.of((update) => {
            if (!update.docChanged) return;
            const text = update.state.doc.toString();
            if (text !== latest.current) onChangeRef.current(text);
          }),
        ],
      }),
    });
    view.current = created;
    return () => {
      created.destroy();
      view.current = undefined;
    };
  }, [id, label, language, placeholder]);

  // A value changed from outside (undo on the canvas, another node selected): replace the text.
  useEffect(() => {
    const current = view.current;
    if (!current) return;
    const text = current.state.doc.toString();
    if (text !== value) {
      current.dispatch({ changes: { from: 0, to: text.length, insert: value } });
    }
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: setCodeError.of(error) });
  }, [error, value]);

  return <div className="code-editor" ref={host} />;
}
