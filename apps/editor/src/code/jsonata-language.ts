import { StreamLanguage, type StringStream } from '@codemirror/language';

interface JsonataState {
  /** Inside a `/* … *\/` comment that spans lines. */
  inComment: boolean;
}

const KEYWORDS = new Set(['and', 'or', 'in', 'function']);
const ATOMS = new Set(['true', 'false', 'null']);
const OPERATOR = /^(:=|!=|<=|>=|~>|\.\.|\?:|\?\?|[-+*/%=<>&|!?:.^#@~])/;

function comment(stream: StringStream, state: JsonataState): string {
  if (stream.skipTo('*/')) {
    stream.match('*/');
    state.inComment = false;
  } else {
    stream.skipToEnd();
  }
  return 'comment';
}

function quoted(stream: StringStream, quote: string): void {
  let escaped = false;
  let ch = stream.next();
  while (ch !== undefined) {
    if (ch === quote && !escaped) return;
    escaped = !escaped && ch === '\\';
    ch = stream.next();
  }
}

/**
 * One JSONata token: comments, strings, numbers, `$functions(` and `$variables`, keywords,
 * operators, brackets and field paths (names, or `backtick quoted`).
 */
export function jsonataToken(stream: StringStream, state: JsonataState): string | null {
  if (state.inComment) return comment(stream, state);
  if (stream.eatSpace()) return null;
  if (stream.match('/*')) {
    state.inComment = true;
    return comment(stream, state);
  }
  const ch = stream.peek() ?? '';
  if (ch === '"' || ch === "'") {
    stream.next();
    quoted(stream, ch);
    return 'string';
  }
  if (ch === '`') {
    stream.next();
    quoted(stream, '`');
    return 'propertyName';
  }
  if (stream.match(/^\d+(\.\d+)?([eE][+-]?\d+)?/)) return 'number';
  if (stream.match(/^\$[A-Za-z0-9_]*/)) {
    return stream.peek() === '(' ? 'variableName.function' : 'variableName.special';
  }
  const word = stream.match(/^[A-Za-z_][A-Za-z0-9_]*/);
  if (word && typeof word !== 'boolean') {
    if (KEYWORDS.has(word[0])) return 'keyword';
    if (ATOMS.has(word[0])) return 'atom';
    return 'propertyName';
  }
  if (stream.match(OPERATOR)) return 'operator';
  stream.next();
  if ('()[]{}'.includes(ch)) return 'bracket';
  if (ch === ',' || ch === ';') return 'punctuation';
  return null;
}

export const jsonataLanguage = StreamLanguage.define<JsonataState>({
  name: 'jsonata',
  startState: () => ({ inComment: false }),
  copyState: (state) => ({ ...state }),
  token: jsonataToken,
  languageData: { commentTokens: { block: { open: '/*', close: '*/' } } },
});
