/**
 * A parser for the small JavaScript subset n8n expressions use (`{{ ... }}` bodies): literals,
 * template literals, member access, calls, unary/binary/logical operators, `?:`, `??`, array and
 * object literals. Anything else (arrow functions, regex literals, assignments, `new`, ...) is a
 * `JsSyntaxError`: the translator then leaves the expression in place and flags it.
 */

export type JsNode =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'template'; parts: Array<string | JsNode> }
  | { kind: 'identifier'; name: string }
  | { kind: 'member'; object: JsNode; property: JsNode; computed: boolean }
  | { kind: 'call'; callee: JsNode; args: JsNode[] }
  | { kind: 'unary'; operator: string; operand: JsNode }
  | { kind: 'binary'; operator: string; left: JsNode; right: JsNode }
  | { kind: 'conditional'; test: JsNode; consequent: JsNode; alternate: JsNode }
  | { kind: 'array'; elements: JsNode[] }
  | { kind: 'object'; entries: Array<[string, JsNode]> };

export class JsSyntaxError extends Error {}

type Token =
  | { type: 'number'; value: number }
  | { type: 'string'; value: string }
  | { type: 'template'; parts: Array<string | JsNode> }
  | { type: 'name'; value: string }
  | { type: 'punct'; value: string };

const PUNCTUATION = [
  '===', '!==', '...', '==', '!=', '<=', '>=', '&&', '||', '??', '?.', '=>',
  '+', '-', '*', '/', '%', '<', '>', '!', '?', ':', '.', ',', '(', ')', '[', ']', '{', '}', '=',
]; // prettier-ignore

/** Binary operators by precedence, loosest first (as in JavaScript). */
const BINARY_LEVELS = [
  ['??'],
  ['||'],
  ['&&'],
  ['===', '!==', '==', '!='],
  ['<', '<=', '>', '>='],
  ['+', '-'],
  ['*', '/', '%'],
];

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v' };

function readEscape(source: string, at: number): [string, number] {
  const next = source[at + 1];
  if (next === undefined) throw new JsSyntaxError('unterminated string');
  if (next === 'u') {
    const hex = /^[0-9a-fA-F]{4}/.exec(source.slice(at + 2));
    if (!hex) throw new JsSyntaxError('bad \\u escape');
    return [String.fromCharCode(parseInt(hex[0], 16)), at + 6];
  }
  return [ESCAPES[next] ?? next, at + 2];
}

function readQuoted(source: string, start: number): [string, number] {
  const quote = source[start];
  let text = '';
  let at = start + 1;
  while (at < source.length && source[at] !== quote) {
    if (source[at] === '\\') {
      const [char, next] = readEscape(source, at);
      text += char;
      at = next;
    } else {
      text += source[at];
      at += 1;
    }
  }
  if (at >= source.length) throw new JsSyntaxError('unterminated string');
  return [text, at + 1];
}

function readTemplate(source: string, start: number): [Array<string | JsNode>, number] {
  const parts: Array<string | JsNode> = [];
  let text = '';
  let at = start + 1;
  while (at < source.length && source[at] !== '`') {
    if (source[at] === '\\') {
      const [char, next] = readEscape(source, at);
      text += char;
      at = next;
    } else if (source.startsWith('${', at)) {
      let depth = 1;
      let end = at + 2;
      while (end < source.length && depth > 0) {
        if (source[end] === '{') depth += 1;
        if (source[end] === '}') depth -= 1;
        end += 1;
      }
      if (depth > 0) throw new JsSyntaxError('unterminated template literal');
      if (text !== '') parts.push(text);
      text = '';
      parts.push(parseJs(source.slice(at + 2, end - 1)));
      at = end;
    } else {
      text += source[at];
      at += 1;
    }
  }
  if (at >= source.length) throw new JsSyntaxError('unterminated template literal');
  if (text !== '') parts.push(text);
  return [parts, at + 1];
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const char = source[at];
    if (/\s/.test(char)) {
      at += 1;
    } else if (/[0-9]/.test(char) || (char === '.' && /[0-9]/.test(source[at + 1] ?? ''))) {
      const match = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(source.slice(at));
      if (!match) throw new JsSyntaxError(`bad number at ${at}`);
      tokens.push({ type: 'number', value: Number(match[0]) });
      at += match[0].length;
    } else if (char === '"' || char === "'") {
      const [value, next] = readQuoted(source, at);
      tokens.push({ type: 'string', value });
      at = next;
    } else if (char === '`') {
      const [parts, next] = readTemplate(source, at);
      tokens.push({ type: 'template', parts });
      at = next;
    } else if (/[A-Za-z_$]/.test(char)) {
      const name = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(source.slice(at))?.[0] ?? char;
      tokens.push({ type: 'name', value: name });
      at += name.length;
    } else {
      const punct = PUNCTUATION.find((candidate) => source.startsWith(candidate, at));
      if (!punct) throw new JsSyntaxError(`unexpected character "${char}"`);
      tokens.push({ type: 'punct', value: punct });
      at += punct.length;
    }
  }
  return tokens;
}

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): JsNode {
    const node = this.expression();
    if (this.at < this.tokens.length) throw new JsSyntaxError('unexpected input after expression');
    return node;
  }

  private peek(value: string): boolean {
    const token = this.tokens[this.at];
    return token !== undefined && token.type === 'punct' && token.value === value;
  }

  private eat(value: string): boolean {
    if (!this.peek(value)) return false;
    this.at += 1;
    return true;
  }

  private expect(value: string): void {
    if (!this.eat(value)) throw new JsSyntaxError(`expected "${value}"`);
  }

  private expression(): JsNode {
    const test = this.binary(0);
    if (!this.eat('?')) return test;
    const consequent = this.expression();
    this.expect(':');
    return { kind: 'conditional', test, consequent, alternate: this.expression() };
  }

  private binary(level: number): JsNode {
    if (level >= BINARY_LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const operator = BINARY_LEVELS[level].find((candidate) => this.peek(candidate));
      if (!operator) return left;
      this.at += 1;
      left = { kind: 'binary', operator, left, right: this.binary(level + 1) };
    }
  }

  private unary(): JsNode {
    for (const operator of ['!', '-', '+']) {
      if (this.eat(operator)) return { kind: 'unary', operator, operand: this.unary() };
    }
    return this.postfix(this.primary());
  }

  private postfix(start: JsNode): JsNode {
    let node = start;
    for (;;) {
      if (this.eat('.') || this.eat('?.')) {
        if (this.peek('(') || this.peek('[')) continue; // `a?.(x)`, `a?.[x]`
        const token = this.tokens[this.at];
        if (token?.type !== 'name') throw new JsSyntaxError('expected a property name');
        this.at += 1;
        const property: JsNode = { kind: 'literal', value: token.value };
        node = { kind: 'member', object: node, property, computed: false };
      } else if (this.eat('[')) {
        node = { kind: 'member', object: node, property: this.expression(), computed: true };
        this.expect(']');
      } else if (this.eat('(')) {
        node = { kind: 'call', callee: node, args: this.list(')') };
      } else {
        return node;
      }
    }
  }

  private list(close: string): JsNode[] {
    const items: JsNode[] = [];
    while (!this.eat(close)) {
      if (this.peek('...')) throw new JsSyntaxError('spread is not supported');
      items.push(this.expression());
      if (!this.eat(',')) {
        this.expect(close);
        break;
      }
    }
    return items;
  }

  private primary(): JsNode {
    const token = this.tokens[this.at];
    if (token === undefined) throw new JsSyntaxError('unexpected end of expression');
    this.at += 1;
    switch (token.type) {
      case 'number':
      case 'string':
        return { kind: 'literal', value: token.value };
      case 'template':
        return { kind: 'template', parts: token.parts };
      case 'name':
        if (this.peek('=>')) throw new JsSyntaxError('arrow functions are not supported');
        if (token.value === 'true' || token.value === 'false') {
          return { kind: 'literal', value: token.value === 'true' };
        }
        if (token.value === 'null') return { kind: 'literal', value: null };
        if (['function', 'new', 'typeof', 'void', 'delete', 'in'].includes(token.value)) {
          throw new JsSyntaxError(`"${token.value}" is not supported`);
        }
        return { kind: 'identifier', name: token.value };
      case 'punct':
        return this.punctuated(token.value);
    }
  }

  private punctuated(value: string): JsNode {
    if (value === '(') {
      if (this.peek(')')) throw new JsSyntaxError('arrow functions are not supported');
      const inner = this.expression();
      this.expect(')');
      if (this.peek('=>')) throw new JsSyntaxError('arrow functions are not supported');
      return inner;
    }
    if (value === '[') return { kind: 'array', elements: this.list(']') };
    if (value === '{') return this.objectLiteral();
    if (value === '/') throw new JsSyntaxError('regular expression literals are not supported');
    throw new JsSyntaxError(`unexpected "${value}"`);
  }

  private objectLiteral(): JsNode {
    const entries: Array<[string, JsNode]> = [];
    while (!this.eat('}')) {
      const key = this.tokens[this.at];
      if (key?.type !== 'name' && key?.type !== 'string') {
        throw new JsSyntaxError('object keys must be names or strings');
      }
      this.at += 1;
      this.expect(':');
      entries.push([String(key.value), this.expression()]);
      if (!this.eat(',')) {
        this.expect('}');
        break;
      }
    }
    return { kind: 'object', entries };
  }
}

/** Parses one JavaScript expression (the inside of `{{ }}`), or throws `JsSyntaxError`. */
export function parseJs(source: string): JsNode {
  return new Parser(tokenize(source)).parse();
}
