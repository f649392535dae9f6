import { StreamLanguage, type StringStream } from '@codemirror/language';

interface HandlebarsState {
  /** Inside `{{ }}` (`'double'`) or `{{{ }}}` (`'triple'`), or in the text around them. */
  tag: 'double' | 'triple' | undefined;
  /** Inside a comment: `{{! … }}` ends at `}}`, `{{!-- … --}}` at `--}}`. */
  comment: '}}' | '--}}' | undefined;
}

function inComment(stream: StringStream, state: HandlebarsState): string {
  const end = state.comment ?? '}}';
  if (stream.skipTo(end)) {
    stream.match(end);
    state.comment = undefined;
  } else {
    stream.skipToEnd();
  }
  return 'comment';
}

function inTag(stream: StringStream, state: HandlebarsState): string | null {
  if (stream.eatSpace()) return null;
  if (stream.match(state.tag === 'triple' ? /^~?\}\}\}/ : /^~?\}\}/)) {
    state.tag = undefined;
    return 'brace';
  }
  // Block helpers open with `#name` (or `^name`), close with `/name`; `else` separates.
  if (stream.match(/^[#^/][A-Za-z_][\w-]*/) || stream.match(/^else\b/)) return 'keyword';
  const ch = stream.peek() ?? '';
  if (ch === '"' || ch === "'") {
    stream.next();
    let escaped = false;
    for (let next = stream.next(); next !== undefined; next = stream.next()) {
      if (next === ch && !escaped) break;
      escaped = !escaped && next === '\\';
    }
    return 'string';
  }
  if (stream.match(/^-?\d+(\.\d+)?/)) return 'number';
  if (stream.match(/^(true|false|null|undefined)\b/)) return 'atom';
  if (stream.match(/^(this|@[A-Za-z_]+)\b(?![./])/)) return 'variableName.special';
  if (stream.match(/^(\.\.\/)*[A-Za-z_][\w-]*(\.[\w-]+|\/[\w-]+|\.\[[^\]]*\])*/)) {
    return stream.peek() === '=' ? 'attributeName' : 'variableName';
  }
  stream.next();
  if (ch === '=') return 'operator';
  if (ch === '(' || ch === ')') return 'paren';
  return null;
}

/**
 * One Handlebars token: plain text, `{{ }}` and `{{{ }}}` braces, block helpers
 * (`{{#each}}…{{/each}}`, `else`), paths (`customer.name`, `../x`, `this`, `@index`),
 * literals, hash arguments and comments.
 */
export function handlebarsToken(stream: StringStream, state: HandlebarsState): string | null {
  if (state.comment) return inComment(stream, state);
  if (state.tag) return inTag(stream, state);
  if (stream.match('{{!--')) {
    state.comment = '--}}';
    return inComment(stream, state);
  }
  if (stream.match(/^\{\{~?!/)) {
    state.comment = '}}';
    return inComment(stream, state);
  }
  if (stream.match(/^\{\{\{~?/)) {
    state.tag = 'triple';
    return 'brace';
  }
  if (stream.match(/^\{\{~?/)) {
    state.tag = 'double';
    return 'brace';
  }
  // Text up to the next `{{` (or the end of the line).
  stream.next();
  if (!stream.skipTo('{{')) stream.skipToEnd();
  return 'content';
}

export const handlebarsLanguage = StreamLanguage.define<HandlebarsState>({
  name: 'handlebars',
  startState: () => ({ tag: undefined, comment: undefined }),
  copyState: (state) => ({ ...state }),
  token: handlebarsToken,
  languageData: { commentTokens: { block: { open: '{{!--', close: '--}}' } } },
});
