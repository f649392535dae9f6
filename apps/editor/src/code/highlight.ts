import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorView } from '@codemirror/view';
import { tags } from '@lezer/highlight';

/** Colours of the expression fields (JSONata and Handlebars tokens). */
const style = HighlightStyle.define([
  { tag: tags.string, color: '#0b7a3e' },
  { tag: tags.number, color: '#a0522d' },
  { tag: tags.atom, color: '#a0522d' },
  { tag: tags.keyword, color: '#8b2fc9', fontWeight: '600' },
  { tag: tags.function(tags.variableName), color: '#2554c7' },
  { tag: tags.special(tags.variableName), color: '#b0367c' },
  { tag: tags.variableName, color: '#1d5e8c' },
  { tag: tags.propertyName, color: '#1d2330' },
  { tag: tags.attributeName, color: '#8a5a00' },
  { tag: tags.operator, color: '#6b7280' },
  { tag: tags.brace, color: '#b0367c', fontWeight: '600' },
  { tag: tags.comment, color: '#7c8594', fontStyle: 'italic' },
  { tag: tags.content, color: '#1d2330' },
]);

const theme = EditorView.theme({
  '&': {
    border: '1px solid var(--border)',
    borderRadius: '4px',
    background: '#fff',
    fontSize: '12px',
  },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '-1px' },
  '.cm-content': {
    fontFamily: "ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace",
    minHeight: '3.6em',
    padding: '4px 0',
  },
  '.cm-scroller': { maxHeight: '14em', overflow: 'auto' },
  '.cm-code-error': {
    textDecoration: 'underline wavy var(--fail)',
    textDecorationSkipInk: 'none',
    background: 'rgba(198, 47, 47, 0.12)',
  },
});

export const codeLook = [syntaxHighlighting(style), theme];
