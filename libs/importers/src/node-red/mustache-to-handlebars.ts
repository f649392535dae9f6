/**
 * Mustache (as Node-RED's template, http request URL and e-mail nodes use it) to Hookflow's
 * Handlebars. Both share `{{x}}`, `{{{x}}}`, dotted names and comments; the rest is rewritten:
 * - `{{&x}}` -> `{{{x}}}`; `{{.}}` -> `{{this}}`; names Handlebars would read differently
 *   (`true`, `else`, `a b`, `0`) become segment literals (`[true]`);
 * - sections `{{#x}}…{{/x}}` -> `{{#if x}}{{#x}}…{{/x}}{{/if}}`: Handlebars' own block then
 *   iterates lists and enters objects like Mustache, and the `#if` keeps `""` and `0` out as
 *   Mustache does; inverted sections `{{^x}}…{{/x}}` -> `{{#unless x}}…{{/unless}}`;
 * - standalone lines (a line holding only section, comment or partial tags) are removed here,
 *   following the Mustache spec, and the emitted tags are kept from being standalone again;
 * - inside a section, names starting with a message property (`payload.…`) are read from the
 *   message (`@root`): Mustache finds them by searching enclosing contexts, Handlebars does not.
 */

export interface MustacheTranslation {
  /** The Handlebars template (when `unsupported` is not set). */
  template: string;
  /** `{{x}}` tags (HTML-escaped by Mustache). */
  escapedTags: number;
  /** `{{{x}}}` and `{{&x}}` tags (inserted as they are). */
  rawTags: number;
  /** Behaviour that may differ, one sentence each. */
  notes: string[];
  /** Names read from Node-RED's flow/global context or the environment (`flow.count`). */
  contextNames: string[];
  /** Set when the template cannot be translated (changed delimiters, unbalanced sections). */
  unsupported?: string;
}

export interface MustacheOptions {
  /**
   * First segments that name a property of the message (`payload`, `topic`...): inside a
   * section they are read from the message itself.
   */
  rootNames?: readonly string[];
}

type TagType = 'name' | 'raw' | 'section' | 'inverted' | 'close' | 'comment' | 'partial';

type Token = { kind: 'text'; value: string } | { kind: 'tag'; type: TagType; name: string };

const DEFAULT_ROOT_NAMES = ['payload', 'topic', 'req', '_msgid', 'headers', 'statusCode'];
const PLAIN_SEGMENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const HANDLEBARS_KEYWORDS = new Set(['true', 'false', 'null', 'undefined', 'else', 'this']);
const STANDALONE_TYPES = new Set<TagType>(['section', 'inverted', 'close', 'comment', 'partial']);

class UnsupportedTemplate extends Error {}

function tagOf(inner: string, triple: boolean): Token {
  if (triple) return { kind: 'tag', type: 'raw', name: inner.trim() };
  const sigil = inner.trimStart().charAt(0);
  const rest = inner.trimStart().slice(1).trim();
  switch (sigil) {
    case '&':
      return { kind: 'tag', type: 'raw', name: rest };
    case '#':
      return { kind: 'tag', type: 'section', name: rest };
    case '^':
      return { kind: 'tag', type: 'inverted', name: rest };
    case '/':
      return { kind: 'tag', type: 'close', name: rest };
    case '!':
      return { kind: 'tag', type: 'comment', name: '' };
    case '>':
      return { kind: 'tag', type: 'partial', name: rest };
    case '=':
      throw new UnsupportedTemplate('it changes the Mustache delimiters ({{=<% %>=}})');
    default:
      return { kind: 'tag', type: 'name', name: inner.trim() };
  }
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf('{{', at);
    if (open === -1) {
      tokens.push({ kind: 'text', value: source.slice(at) });
      break;
    }
    if (open > at) tokens.push({ kind: 'text', value: source.slice(at, open) });
    const triple = source.startsWith('{{{', open);
    const closer = triple ? '}}}' : '}}';
    const close = source.indexOf(closer, open + (triple ? 3 : 2));
    if (close === -1)
      throw new UnsupportedTemplate(`a tag opened at character ${open} is never closed`);
    tokens.push(tagOf(source.slice(open + (triple ? 3 : 2), close), triple));
    at = close + closer.length;
  }
  return tokens;
}

/** Splits text tokens after each newline, so a line ends with a text token ending in `\n`. */
function splitLines(tokens: Token[]): Token[][] {
  const lines: Token[][] = [[]];
  for (const token of tokens) {
    if (token.kind === 'tag') {
      lines[lines.length - 1].push(token);
      continue;
    }
    const parts = token.value.split(/(?<=\n)/);
    for (const part of parts) {
      lines[lines.length - 1].push({ kind: 'text', value: part });
      if (part.endsWith('\n')) lines.push([]);
    }
  }
  return lines;
}

/** The Mustache spec's standalone rule: such a line loses its whitespace and line break. */
function withoutStandaloneLines(tokens: Token[]): Token[] {
  return splitLines(tokens).flatMap((line) => {
    const tags = line.filter((token) => token.kind === 'tag');
    const standalone =
      tags.length > 0 &&
      tags.every((token) => STANDALONE_TYPES.has(token.type)) &&
      line.every((token) => token.kind === 'tag' || /^[ \t]*\r?\n?$/.test(token.value));
    return standalone ? tags : line;
  });
}

function segmentOf(segment: string): string {
  if (PLAIN_SEGMENT.test(segment) && !HANDLEBARS_KEYWORDS.has(segment)) return segment;
  if (segment === '' || segment.includes(']')) {
    throw new UnsupportedTemplate(`the name segment "${segment}" cannot be written in Handlebars`);
  }
  return `[${segment}]`;
}

interface Translator {
  rootNames: ReadonlySet<string>;
  depth: number;
  rootRewrites: number;
  contextNames: Set<string>;
}

function nameOf(name: string, state: Translator): string {
  if (name === '.') return 'this';
  if (name === '') throw new UnsupportedTemplate('a tag has no name');
  const segments = name.split('.');
  if (['flow', 'global', 'env'].includes(segments[0]) && segments.length > 1) {
    state.contextNames.add(name);
  }
  const path = segments.map(segmentOf).join('.');
  if (state.depth > 0 && state.rootNames.has(segments[0])) {
    state.rootRewrites += 1;
    return `@root.${path}`;
  }
  return path;
}

/** `}}}` right after a tag, or `{{{` right before one, would change Handlebars' reading. */
function joined(parts: string[]): string {
  let out = '';
  for (const part of parts) {
    if (
      (out.endsWith('}}') && part.startsWith('}')) ||
      (out.endsWith('{') && part.startsWith('{{'))
    ) {
      out += '{{!}}';
    }
    out += part;
  }
  return out;
}

function emit(tokens: Token[], result: MustacheTranslation, state: Translator): string {
  const parts: string[] = [];
  const open: Array<{ type: 'section' | 'inverted'; name: string }> = [];
  for (const token of tokens) {
    if (token.kind === 'text') {
      // A backslash before a tag would escape the tag in Handlebars.
      parts.push(token.value.endsWith('\\') ? `${token.value}\\` : token.value);
      continue;
    }
    switch (token.type) {
      case 'name':
        result.escapedTags += 1;
        parts.push(`{{${nameOf(token.name, state)}}}`);
        break;
      case 'raw':
        result.rawTags += 1;
        parts.push(`{{{${nameOf(token.name, state)}}}}`);
        break;
      case 'section': {
        const name = nameOf(token.name, state);
        parts.push(`{{#if ${name}}}{{#${name}}}`);
        open.push({ type: 'section', name: token.name });
        state.depth += 1;
        break;
      }
      case 'inverted':
        parts.push(`{{#unless ${nameOf(token.name, state)}}}{{!}}`);
        open.push({ type: 'inverted', name: token.name });
        break;
      case 'close': {
        const section = open.pop();
        if (!section || section.name !== token.name) {
          throw new UnsupportedTemplate(`{{/${token.name}}} does not close the open section`);
        }
        if (section.type === 'inverted') {
          parts.push('{{!}}{{/unless}}');
        } else {
          state.depth -= 1;
          parts.push(`{{/${nameOf(token.name, state)}}}{{/if}}`);
        }
        break;
      }
      case 'partial':
        result.notes.push(`the partial {{> ${token.name}}} was left out: Hookflow has no partials`);
        break;
      case 'comment':
        break;
    }
  }
  if (open.length > 0)
    throw new UnsupportedTemplate(`the section {{#${open[0].name}}} is never closed`);
  return joined(parts);
}

export function mustacheToHandlebars(
  source: string,
  options: MustacheOptions = {},
): MustacheTranslation {
  const result: MustacheTranslation = {
    template: '',
    escapedTags: 0,
    rawTags: 0,
    notes: [],
    contextNames: [],
  };
  const state: Translator = {
    rootNames: new Set(options.rootNames ?? DEFAULT_ROOT_NAMES),
    depth: 0,
    rootRewrites: 0,
    contextNames: new Set(),
  };
  try {
    result.template = emit(withoutStandaloneLines(tokenize(source)), result, state);
  } catch (error) {
    if (!(error instanceof UnsupportedTemplate)) throw error;
    return { ...result, template: '', unsupported: error.message };
  }
  result.contextNames = [...state.contextNames];
  if (tokensHaveSections(source)) {
    result.notes.push(
      'Mustache sections became Handlebars `{{#if x}}{{#x}}…{{/x}}{{/if}}`: the same for lists, ' +
        'objects, booleans and empty values; over a non-empty string or number Handlebars ' +
        'makes the value the context (Mustache keeps the enclosing one)',
    );
  }
  if (state.rootRewrites > 0) {
    result.notes.push(
      'inside sections, names starting with a message property (payload, topic, req...) are ' +
        'read from the message (`@root`), as Mustache finds them in the enclosing context',
    );
  }
  return result;
}

function tokensHaveSections(source: string): boolean {
  return /\{\{\s*#/.test(source);
}
