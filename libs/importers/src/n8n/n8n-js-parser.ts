import {
  parseExpressionAt,
  type ArrowFunctionExpression,
  type Expression,
  type ObjectExpression,
  type TemplateLiteral,
} from 'acorn';

/**
 * n8n expressions (`{{ ... }}` bodies) parsed by acorn, a real JavaScript parser, into the
 * forms the translator knows: literals, template literals, member access (optional chaining
 * included), calls, unary/binary/logical operators, `?:`, `??`, array and object literals, and
 * arrow functions with an expression body (callbacks of `.map`, `.filter`, `.find`). Anything
 * else parses but is a `JsSyntaxError` here: the translator then leaves the expression in
 * place and flags it.
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
  | { kind: 'object'; entries: Array<[string, JsNode]> }
  | { kind: 'arrow'; params: string[]; body: JsNode };

export class JsSyntaxError extends Error {}

/** What acorn calls an expression, plus the pieces that can stand where one is read. */
type AnyNode = Expression | { type: string };

const DESCRIPTIONS: Record<string, string> = {
  FunctionExpression: 'function expressions',
  AssignmentExpression: 'assignments',
  UpdateExpression: 'assignments',
  NewExpression: '"new"',
  SequenceExpression: 'comma sequences',
  TaggedTemplateExpression: 'tagged templates',
  AwaitExpression: '"await"',
  ClassExpression: 'classes',
  SpreadElement: 'spread (...)',
};

function template(node: TemplateLiteral): JsNode {
  const parts: Array<string | JsNode> = [];
  node.quasis.forEach((quasi, index) => {
    if (quasi.value.cooked === null || quasi.value.cooked === undefined) {
      throw new JsSyntaxError('a template literal with a bad escape');
    }
    if (quasi.value.cooked !== '') parts.push(quasi.value.cooked);
    if (index < node.expressions.length) parts.push(convert(node.expressions[index]));
  });
  return { kind: 'template', parts };
}

function object(node: ObjectExpression): JsNode {
  const entries = node.properties.map((property): [string, JsNode] => {
    if (property.type !== 'Property' || property.kind !== 'init' || property.method) {
      throw new JsSyntaxError(
        'object literals with spread, methods or accessors are not supported',
      );
    }
    const { key } = property;
    let name: string;
    if (!property.computed && key.type === 'Identifier') name = key.name;
    else if (
      key.type === 'Literal' &&
      (typeof key.value === 'string' || typeof key.value === 'number')
    ) {
      name = String(key.value);
    } else throw new JsSyntaxError('object keys must be names or strings');
    return [name, convert(property.value)];
  });
  return { kind: 'object', entries };
}

function arrow(node: ArrowFunctionExpression): JsNode {
  if (node.async || node.body.type === 'BlockStatement') {
    throw new JsSyntaxError('arrow functions with a { } body are not supported');
  }
  const params = node.params.map((param) => {
    if (param.type !== 'Identifier') {
      throw new JsSyntaxError('arrow function parameters must be plain names');
    }
    return param.name;
  });
  return { kind: 'arrow', params, body: convert(node.body) };
}

function convert(raw: AnyNode): JsNode {
  const node = raw as Expression;
  switch (node.type) {
    case 'Literal':
      if ('regex' in node && node.regex) {
        throw new JsSyntaxError('regular expression literals are not supported');
      }
      if (typeof node.value === 'bigint' || node.value instanceof RegExp) {
        throw new JsSyntaxError('this literal is not supported');
      }
      return { kind: 'literal', value: node.value ?? null };
    case 'TemplateLiteral':
      return template(node);
    case 'Identifier':
      return { kind: 'identifier', name: node.name };
    case 'ParenthesizedExpression':
      return convert(node.expression);
    case 'ChainExpression':
      // `a?.b`: the translator's paths are null-safe already.
      return convert(node.expression);
    case 'MemberExpression': {
      if (node.object.type === 'Super' || node.property.type === 'PrivateIdentifier') {
        throw new JsSyntaxError('this member access is not supported');
      }
      const property: JsNode = node.computed
        ? convert(node.property)
        : { kind: 'literal', value: (node.property as { name: string }).name };
      return { kind: 'member', object: convert(node.object), property, computed: node.computed };
    }
    case 'CallExpression':
      if (node.callee.type === 'Super') throw new JsSyntaxError('"super" is not supported');
      return { kind: 'call', callee: convert(node.callee), args: node.arguments.map(convert) };
    case 'UnaryExpression':
      if (node.operator === 'typeof') throw new JsSyntaxError('"typeof" is not supported');
      return { kind: 'unary', operator: node.operator, operand: convert(node.argument) };
    case 'BinaryExpression':
    case 'LogicalExpression':
      if (node.left.type === 'PrivateIdentifier')
        throw new JsSyntaxError('"#x in" is not supported');
      return {
        kind: 'binary',
        operator: node.operator,
        left: convert(node.left),
        right: convert(node.right),
      };
    case 'ConditionalExpression':
      return {
        kind: 'conditional',
        test: convert(node.test),
        consequent: convert(node.consequent),
        alternate: convert(node.alternate),
      };
    case 'ArrayExpression':
      return {
        kind: 'array',
        elements: node.elements.map((element) => {
          if (element === null) throw new JsSyntaxError('array holes are not supported');
          return convert(element);
        }),
      };
    case 'ObjectExpression':
      return object(node);
    case 'ArrowFunctionExpression':
      return arrow(node);
    default:
      throw new JsSyntaxError(`${DESCRIPTIONS[node.type] ?? node.type} are not supported`);
  }
}

/** Parses one JavaScript expression (the inside of `{{ }}`), or throws `JsSyntaxError`. */
export function parseJs(source: string): JsNode {
  let parsed: Expression;
  try {
    parsed = parseExpressionAt(source, 0, { ecmaVersion: 'latest', preserveParens: true });
  } catch (error) {
    throw new JsSyntaxError(error instanceof Error ? error.message : 'not JavaScript');
  }
  const rest = source.slice(parsed.end).replace(/^[\s;]*/, '');
  if (rest !== '')
    throw new JsSyntaxError(`unexpected "${rest.slice(0, 20)}" after the expression`);
  return convert(parsed);
}
