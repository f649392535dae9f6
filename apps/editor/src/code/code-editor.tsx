import { useEffect, useRef, useState } from 'react';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { EditorState, Prec } from '@codemirror/state';
import { EditorView, keymap, placeholder as placeholderText } from '@codemirror/view';
import { errorMarks, setCodeError, type CodeError } from './error-mark';
import { handlebarsLanguage } from './handlebars-language';
import type { Completions } from './completions';
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
  /** Suggestions for the text before the cursor, offered as it is typed. */
  complete?: (before: string) => Completions | undefined;
}

interface Suggestions extends Completions {
  active: number;
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
  complete,
}: CodeEditorProps) {
  const [suggestions, setSuggestions] = useState<Suggestions>();
  const suggestionsRef = useRef(suggestions);
  suggestionsRef.current = suggestions;
  const completeRef = useRef(complete);
  completeRef.current = complete;
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView>(undefined);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  /** The latest value from the props: a remount starts from it, echoes of it are not changes. */
  const latest = useRef(value);
  latest.current = value;

  /** Replaces the word before the cursor with the chosen suggestion. */
  const accept = (target: EditorView, index: number) => {
    const chosen = suggestionsRef.current;
    const option = chosen?.options[index];
    if (!chosen || !option) return false;
    const head = target.state.selection.main.head;
    const from = head - chosen.replace;
    target.dispatch({
      changes: { from, to: head, insert: option.apply },
      selection: { anchor: from + option.apply.length },
      userEvent: 'input.complete',
    });
    setSuggestions(undefined);
    return true;
  };
  const acceptRef = useRef(accept);
  acceptRef.current = accept;

  useEffect(() => {
    if (!host.current) return;
    const move = (step: number) => () => {
      const open = suggestionsRef.current;
      if (!open) return false;
      const count = open.options.length;
      setSuggestions({ ...open, active: (open.active + step + count) % count });
      return true;
    };
    const choose = (target: EditorView) =>
      suggestionsRef.current ? acceptRef.current(target, suggestionsRef.current.active) : false;
    const suggestionKeys = Prec.highest(
      keymap.of([
        { key: 'ArrowDown', run: move(1) },
        { key: 'ArrowUp', run: move(-1) },
        { key: 'Enter', run: choose },
        { key: 'Tab', run: choose },
        {
          key: 'Escape',
          run: () => {
            if (!suggestionsRef.current) return false;
            setSuggestions(undefined);
            return true;
          },
        },
      ]),
    );
    const created = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: latest.current,
        extensions: [
          history(),
          suggestionKeys,
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
            if (update.focusChanged && !update.view.hasFocus) setSuggestions(undefined);
            const typed = update.transactions.some(
              (tr) =>
                (tr.isUserEvent('input.type') || tr.isUserEvent('delete')) &&
                !tr.isUserEvent('input.complete'),
            );
            if (typed && completeRef.current) {
              const head = update.state.selection.main.head;
              const found = completeRef.current(update.state.doc.sliceString(0, head));
              setSuggestions(found ? { ...found, active: 0 } : undefined);
            } else if (update.selectionSet && !update.docChanged) {
              setSuggestions(undefined);
            }
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

  return (
    <div className="code-editor-wrap">
      <div className="code-editor" ref={host} />
      {suggestions && (
        <ul className="suggestions" role="listbox" aria-label={`Suggestions for ${label}`}>
          {suggestions.options.map((option, index) => (
            <li
              key={option.label}
              role="option"
              aria-selected={index === suggestions.active}
              // Keep the focus in the field: a click chooses without blurring it.
              onMouseDown={(event) => {
                event.preventDefault();
                if (view.current) accept(view.current, index);
              }}
            >
              <code>{option.label}</code>
              {option.detail && <small>{option.detail}</small>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
