import { StateEffect, StateField, type EditorState, type Extension } from '@codemirror/state';
import { Decoration, EditorView, type DecorationSet } from '@codemirror/view';

/** An error at a character of the expression (JSONata counts `position` from 1). */
export interface CodeError {
  message: string;
  position?: number;
}

export const setCodeError = StateEffect.define<CodeError | undefined>();

/** The range underlined for an error: the character JSONata stopped at, kept inside the text. */
export function errorRange(length: number, position: number): { from: number; to: number } {
  const from = Math.max(0, Math.min(length - 1, position - 1));
  return { from, to: from + 1 };
}

function decorate(state: EditorState, error: CodeError | undefined): DecorationSet {
  const length = state.doc.length;
  if (!error || error.position === undefined || length === 0) return Decoration.none;
  const { from, to } = errorRange(length, error.position);
  return Decoration.set([
    Decoration.mark({
      class: 'cm-code-error',
      attributes: { 'aria-label': `Error at position ${error.position}`, title: error.message },
    }).range(from, to),
  ]);
}

/** A lint-like wavy underline at the error's position; replaced by each `setCodeError`. */
const errorField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, transaction) {
    let next = marks.map(transaction.changes);
    for (const effect of transaction.effects) {
      if (effect.is(setCodeError)) next = decorate(transaction.state, effect.value);
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

export const errorMarks: Extension = errorField;
