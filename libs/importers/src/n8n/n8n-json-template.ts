import { isExpression, splitTemplate } from './n8n-expression';
import { JsSyntaxError, parseJs } from './n8n-js-parser';
import { jsonValueCode, stringLiteral } from './n8n-jsonata-emit';
import type { MappingContext } from './n8n-mapping';

const MARK = '\ue000';
/** A block in place of a JSON value (not inside a string). */
const BARE = '\ue001';

/**
 * A JSON parameter (HTTP `jsonBody`, Respond `responseBody`, Set raw `jsonOutput`) as JSONata.
 * n8n renders `{{ }}` blocks into the text, then parses the text as JSON. The same result comes
 * from a JSONata constructor where a block alone in a JSON string gives that string, a block in
 * place of a value gives the value, and a block inside a longer string is concatenated.
 */
export function jsonTemplateCode(ctx: MappingContext, value: unknown): string {
  if (!isExpression(value)) {
    if (typeof value !== 'string') return jsonValueCode(value);
    try {
      return jsonValueCode(JSON.parse(value));
    } catch {
      ctx.differs('the JSON is not valid; sent as a string');
      return stringLiteral(value);
    }
  }
  const parts = splitTemplate(value.slice(1));
  if (parts.length === 1 && 'js' in parts[0]) return ctx.jsonata(value);
  const blocks: string[] = [];
  let text = '';
  let inString = false;
  for (const part of parts) {
    if ('text' in part) {
      for (let at = 0; at < part.text.length; at += 1) {
        if (part.text[at] === '\\') at += 1;
        else if (part.text[at] === '"') inString = !inString;
      }
      text += part.text;
    } else {
      blocks.push(part.js);
      const mark = `${MARK}${blocks.length - 1}${MARK}`;
      text += inString ? mark : JSON.stringify(`${BARE}${blocks.length - 1}`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    ctx.differs('the JSON template does not give valid JSON once its blocks are filled in');
    return ctx.jsonata(value);
  }
  return build(ctx, parsed, blocks);
}

/**
 * A block standing for a JSON value. `{{ JSON.stringify(x) }}` there (the common way to put a
 * string into a JSON body safely) gives x back once n8n parses the text: it is translated as x.
 * When x is undefined n8n's text is not JSON and the node fails; so does the translation.
 */
function bareBlock(ctx: MappingContext, js: string): string {
  const inner = stringifiedArgument(js);
  if (inner === undefined) return ctx.jsonata(`={{ ${js} }}`);
  const code = ctx.jsonata(`={{ ${inner} }}`);
  return (
    `($j := ${code}; $exists($j) ? $j : ` +
    `$error("the JSON body is not valid: JSON.stringify gave undefined"))`
  );
}

/** The argument's source of `JSON.stringify(<argument>)`, when that is the whole block. */
function stringifiedArgument(js: string): string | undefined {
  const match = /^\s*JSON\.stringify\(([\s\S]*)\)\s*$/.exec(js);
  if (!match) return undefined;
  try {
    const call = parseJs(js);
    const whole =
      call.kind === 'call' &&
      call.args.length === 1 &&
      call.callee.kind === 'member' &&
      call.callee.object.kind === 'identifier' &&
      call.callee.object.name === 'JSON';
    parseJs(match[1]);
    return whole ? match[1] : undefined;
  } catch (error) {
    if (error instanceof JsSyntaxError) return undefined;
    throw error;
  }
}

function build(ctx: MappingContext, value: unknown, blocks: string[]): string {
  if (Array.isArray(value)) return `[${value.map((item) => build(ctx, item, blocks)).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(
      ([key, item]) => `${stringLiteral(key)}: ${build(ctx, item, blocks)}`,
    );
    return `{${entries.join(', ')}}`;
  }
  if (typeof value === 'string' && value.startsWith(BARE)) {
    return bareBlock(ctx, blocks[Number(value.slice(BARE.length))]);
  }
  if (typeof value !== 'string' || !value.includes(MARK)) return jsonValueCode(value);
  const pieces = value.split(new RegExp(`${MARK}(\\d+)${MARK}`));
  // A block alone in a JSON string renders to text: a string whatever the value's type.
  const code = pieces
    .map((piece, index) =>
      index % 2 === 0
        ? piece === ''
          ? ''
          : stringLiteral(piece)
        : ctx.jsonata(`={{ ${blocks[Number(piece)]} }}`),
    )
    .filter((piece) => piece !== '');
  if (pieces.length === 3 && pieces[0] === '' && pieces[2] === '') {
    return `$string(${code[0]})`;
  }
  return `(${code.join(' & ')})`;
}
