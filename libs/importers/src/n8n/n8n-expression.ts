import { JsSyntaxError, parseJs } from './n8n-js-parser';
import { JsToJsonata, type NodeLookup } from './n8n-js-translate';
import {
  handlebarsPath,
  jsonValueCode,
  literal,
  stringLiteral,
  Untranslatable,
  type Emitted,
  type StaticType,
} from './n8n-jsonata-emit';

export type { NodeLookup } from './n8n-js-translate';

/**
 * n8n parameter values: a plain value, or an expression when the string starts with `=`:
 * text with `{{ js }}` blocks (`=Hello {{ $json.name }}`). A value that is one block alone keeps
 * the block's type; otherwise the blocks are rendered into the text.
 */
export type TemplatePart = { text: string } | { js: string };

/** What became of a parameter value; `problems` name each expression left in place. */
export interface JsonataValue {
  jsonata: string;
  type: StaticType;
  problems: string[];
}

export interface TemplateValue {
  template: string;
  problems: string[];
}

export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('=');
}

/** Finds the `}}` closing a block that opens at `from`, skipping braces and strings inside. */
function blockEnd(text: string, from: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let at = from; at < text.length; at += 1) {
    const char = text[at];
    if (quote) {
      if (char === '\\') at += 1;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'" || char === '`') {
      quote = char;
    } else if (char === '{') {
      depth += 1;
    } else if (char === '}') {
      if (depth === 0 && text[at + 1] === '}') return at;
      depth = Math.max(depth - 1, 0);
    }
  }
  return -1;
}

/** Splits the text after `=` into literal text and `{{ }}` blocks. */
export function splitTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('{{', at);
    const end = open === -1 ? -1 : blockEnd(text, open + 2);
    if (open === -1 || end === -1) {
      parts.push({ text: text.slice(at) });
      break;
    }
    if (open > at) parts.push({ text: text.slice(at, open) });
    parts.push({ js: text.slice(open + 2, end).trim() });
    at = end + 2;
  }
  return parts;
}

/** One `{{ }}` block in JSONata, or the reason it stays untranslated. */
export function translateJs(js: string, lookup: NodeLookup): Emitted | { problem: string } {
  try {
    return new JsToJsonata(lookup).emit(parseJs(js));
  } catch (error) {
    if (error instanceof JsSyntaxError || error instanceof Untranslatable) {
      return { problem: `expression {{ ${js} }} left untranslated: ${error.message}` };
    }
    throw error;
  }
}

/**
 * Stands in for an expression that could not be translated: keeps the original visible and fails
 * the node loudly when it runs, rather than computing something n8n would not have.
 */
function leftInPlace(js: string): Emitted {
  return {
    // No braces in the message: JSONata fills `{{name}}` in error messages itself.
    code: `$error(${stringLiteral(`untranslated n8n expression: ${js}`)})`,
    type: 'unknown',
  };
}

/** A parameter value as JSONata: literals as constructors, expressions translated. */
export function toJsonata(value: unknown, lookup: NodeLookup): JsonataValue {
  if (!isExpression(value)) {
    const type: StaticType =
      typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? (typeof value as StaticType)
        : Array.isArray(value)
          ? 'array'
          : value === null || value === undefined
            ? 'null'
            : 'object';
    return { jsonata: jsonValueCode(value), type, problems: [] };
  }
  const problems: string[] = [];
  const pieces = splitTemplate(value.slice(1)).flatMap((part): Emitted[] => {
    if ('text' in part) return part.text === '' ? [] : [literal(part.text)];
    const emitted = translateJs(part.js, lookup);
    if ('problem' in emitted) {
      problems.push(emitted.problem);
      return [leftInPlace(part.js)];
    }
    return [emitted];
  });
  if (pieces.length === 1) return { jsonata: pieces[0].code, type: pieces[0].type, problems };
  if (pieces.length === 0) return { jsonata: '""', type: 'string', problems };
  return {
    jsonata: `(${pieces.map((piece) => piece.code).join(' & ')})`,
    type: 'string',
    problems,
  };
}

/** Literal text for Handlebars: `{{` must not open a tag. */
function templateText(text: string): string {
  return text.replace(/\\(?=\{\{)/g, '\\\\').replace(/\{\{/g, '\\{{');
}

/**
 * A parameter value as a Handlebars template (Hookflow's text fields). Blocks that are plain field
 * accesses become `{{path}}`; anything computed cannot be expressed in a template and is left in
 * place as literal text, flagged.
 */
export function toTemplate(value: unknown, lookup: NodeLookup): TemplateValue {
  if (!isExpression(value)) {
    const text =
      typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
    return { template: templateText(text), problems: [] };
  }
  const problems: string[] = [];
  const template = splitTemplate(value.slice(1))
    .map((part) => {
      if ('text' in part) return templateText(part.text);
      const emitted = translateJs(part.js, lookup);
      if ('problem' in emitted) {
        problems.push(emitted.problem);
        return templateText(`{{ ${part.js} }}`);
      }
      if (emitted.path) {
        try {
          return `{{${handlebarsPath(emitted.path)}}}`;
        } catch (error) {
          if (!(error instanceof Untranslatable)) throw error;
          problems.push(`expression {{ ${part.js} }} left untranslated: ${error.message}`);
          return templateText(`{{ ${part.js} }}`);
        }
      }
      if (/^"(?:[^"\\]|\\.)*"$/.test(emitted.code) || /^-?\d/.test(emitted.code)) {
        return templateText(String(JSON.parse(emitted.code) as string | number));
      }
      problems.push(
        `expression {{ ${part.js} }} left untranslated: this field is a Handlebars template, ` +
          'which takes field paths only (compute the value in a Set node first)',
      );
      return templateText(`{{ ${part.js} }}`);
    })
    .join('');
  return { template, problems };
}
