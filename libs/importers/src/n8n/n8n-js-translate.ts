import type { JsNode } from './n8n-js-parser';
import { translateMath, translateMethod } from './n8n-js-methods';
import {
  bind,
  literal,
  pathCode,
  stringLiteral,
  truthy,
  Untranslatable,
  Variables,
  type Emitted,
  type PathRef,
} from './n8n-jsonata-emit';

/** Resolves `$('Name')` / `$node["Name"]` to the Hookflow node whose output stands for it. */
export type NodeLookup = (name: string) => string | undefined;

const ORDERING: Record<string, string> = { '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
const ARITHMETIC: Record<string, string> = { '-': '-', '*': '*', '/': '/', '%': '%' };

const describe = (node: JsNode): string =>
  node.kind === 'identifier' ? node.name : node.kind === 'literal' ? String(node.value) : node.kind;

/** Translates one parsed n8n expression body to JSONata, or throws `Untranslatable`. */
export class JsToJsonata {
  private readonly variables = new Variables();
  /** Callback parameters in scope: JavaScript name → JSONata variable. */
  private readonly scope = new Map<string, string>();

  constructor(private readonly lookup: NodeLookup) {}

  emit(node: JsNode): Emitted {
    switch (node.kind) {
      case 'literal':
        return literal(node.value);
      case 'template':
        return this.concat(
          node.parts.map((part) => (typeof part === 'string' ? literal(part) : this.emit(part))),
        );
      case 'array':
        return {
          code: `[${node.elements.map((item) => this.emit(item).code).join(', ')}]`,
          type: 'array',
        };
      case 'object': {
        const entries = node.entries.map(
          ([key, value]) => `${stringLiteral(key)}: ${this.emit(value).code}`,
        );
        return { code: `{${entries.join(', ')}}`, type: 'object' };
      }
      case 'identifier':
      case 'member': {
        const path = this.path(node);
        if (path) return { code: pathCode(path), type: 'unknown', path };
        return this.property(node);
      }
      case 'call':
        return this.call(node);
      case 'arrow':
        throw new Untranslatable(
          'a function value is only translated as a .map/.filter/.find callback',
        );
      case 'unary':
        return this.unary(node.operator, this.emit(node.operand));
      case 'binary':
        return this.binary(node.operator, node.left, node.right);
      case 'conditional': {
        const test = truthy(this.emit(node.test), this.variables);
        const yes = this.emit(node.consequent);
        const no = this.emit(node.alternate);
        const type = yes.type === no.type ? yes.type : 'unknown';
        return { code: `(${test} ? ${yes.code} : ${no.code})`, type };
      }
    }
  }

  /** String concatenation: JavaScript's `+` with a string, `${}` parts, text around `{{ }}`. */
  concat(parts: Emitted[]): Emitted {
    if (parts.length === 0) return literal('');
    if (parts.length === 1 && parts[0].type === 'string') return parts[0];
    return { code: `(${parts.map((part) => part.code).join(' & ')})`, type: 'string' };
  }

  /** `$json.a.b`, `$input.item.json.a`, `$('Name').item.json.a`, `$node["Name"].json.a`. */
  private path(node: JsNode): PathRef | undefined {
    if (node.kind === 'identifier') {
      const variable = this.scope.get(node.name);
      if (variable !== undefined) return { variable, segments: [] };
      return node.name === '$json' ? { segments: [] } : undefined;
    }
    if (node.kind !== 'member') return undefined;
    const key = this.key(node);
    if (key === 'json') {
      const owner = this.itemOwner(node.object);
      if (owner) return owner;
    }
    const parent = this.path(node.object);
    if (!parent || key === undefined) return undefined;
    if (key === 'length') return undefined; // a method-like property, see property()
    return { ...parent, segments: [...parent.segments, key] };
  }

  /** The item whose `.json` is read: the current one, or the one of a named node. */
  private itemOwner(node: JsNode): PathRef | undefined {
    const named = (call: JsNode): string | undefined =>
      call.kind === 'call' &&
      call.callee.kind === 'identifier' &&
      call.callee.name === '$' &&
      call.args.length === 1 &&
      call.args[0].kind === 'literal' &&
      typeof call.args[0].value === 'string'
        ? call.args[0].value
        : undefined;
    const resolve = (name: string): PathRef => {
      const nodeId = this.lookup(name);
      if (nodeId === undefined)
        throw new Untranslatable(`it reads node "${name}", which is not in the workflow`);
      return { nodeId, segments: [] };
    };
    if (node.kind === 'member' && this.key(node) === 'item') {
      if (node.object.kind === 'identifier' && node.object.name === '$input')
        return { segments: [] };
      const name = named(node.object);
      if (name !== undefined) return resolve(name);
    }
    // `$('Name').first()`: with one item per run, the first item is the item.
    if (node.kind === 'call' && node.args.length === 0 && node.callee.kind === 'member') {
      const name = this.key(node.callee) === 'first' ? named(node.callee.object) : undefined;
      if (name !== undefined) return resolve(name);
    }
    // Legacy `$node["Name"].json`.
    if (
      node.kind === 'member' &&
      node.object.kind === 'identifier' &&
      node.object.name === '$node'
    ) {
      const name = this.key(node);
      if (typeof name === 'string') return resolve(name);
    }
    return undefined;
  }

  private key(node: Extract<JsNode, { kind: 'member' }>): string | number | undefined {
    if (node.property.kind !== 'literal') return undefined;
    const { value } = node.property;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
    return undefined;
  }

  private property(node: JsNode): Emitted {
    if (node.kind === 'member' && this.key(node) === 'length') {
      const target = this.emit(node.object);
      const code = bind(
        target.code,
        this.variables,
        (name) => `$type(${name}) = "array" ? $count(${name}) : $length(${name})`,
      );
      return { code, type: 'number' };
    }
    if (node.kind === 'identifier') {
      throw new Untranslatable(`${node.name} has no Hookflow equivalent`);
    }
    const key = node.kind === 'member' ? this.key(node) : undefined;
    if (node.kind === 'member' && typeof key === 'string') {
      // A property of a computed value (`list.find(...).qty`): objects have it; JavaScript
      // gives undefined for anything else (JSONata would map over an array).
      const target = this.emit(node.object);
      const code = bind(
        target.code,
        this.variables,
        (name) => `$type(${name}) = "object" ? $lookup(${name}, ${stringLiteral(key)})`,
      );
      return { code, type: 'unknown' };
    }
    throw new Untranslatable(`it reads ${describe(node)} in a way the translator does not know`);
  }

  private unary(operator: string, operand: Emitted): Emitted {
    if (operator === '!')
      return { code: `$not(${truthy(operand, this.variables)})`, type: 'boolean' };
    if (operator === '-') return { code: `-(${operand.code})`, type: 'number' };
    throw new Untranslatable(`unary ${operator} converts types the way only JavaScript does`);
  }

  private binary(operator: string, leftNode: JsNode, rightNode: JsNode): Emitted {
    const left = this.emit(leftNode);
    const right = this.emit(rightNode);
    if (operator === '+') return this.plus(left, right);
    if (ARITHMETIC[operator])
      return { code: `(${left.code} ${ARITHMETIC[operator]} ${right.code})`, type: 'number' };
    if (ORDERING[operator])
      return { code: `(${left.code} ${ORDERING[operator]} ${right.code})`, type: 'boolean' };
    if (operator === '===' || operator === '!==') {
      return {
        code: `(${left.code} ${operator === '===' ? '=' : '!='} ${right.code})`,
        type: 'boolean',
      };
    }
    if (operator === '==' || operator === '!=') return this.looseEquality(operator, left, right);
    if (operator === '&&' || operator === '||') {
      if (left.type === 'boolean' && right.type === 'boolean') {
        return {
          code: `(${left.code} ${operator === '&&' ? 'and' : 'or'} ${right.code})`,
          type: 'boolean',
        };
      }
      // JavaScript returns an operand, not a boolean: `a || "default"`.
      const code = bind(left.code, this.variables, (name) => {
        const test = truthy({ code: name, type: left.type }, this.variables);
        return operator === '&&'
          ? `${test} ? ${right.code} : ${name}`
          : `${test} ? ${name} : ${right.code}`;
      });
      return { code, type: left.type === right.type ? left.type : 'unknown' };
    }
    if (operator === '??') {
      const code = bind(
        left.code,
        this.variables,
        (name) => `$exists(${name}) and ${name} != null ? ${name} : ${right.code}`,
      );
      return { code, type: left.type === right.type ? left.type : 'unknown' };
    }
    throw new Untranslatable(`operator ${operator} is not translated`);
  }

  /** JavaScript `+`: concatenation when either side is a string, addition otherwise. */
  private plus(left: Emitted, right: Emitted): Emitted {
    if (left.type === 'string' || right.type === 'string') return this.concat([left, right]);
    if (left.type === 'number' && right.type === 'number') {
      return { code: `(${left.code} + ${right.code})`, type: 'number' };
    }
    const a = this.variables.next();
    const b = this.variables.next();
    return {
      code: `(${a} := ${left.code}; ${b} := ${right.code}; ($type(${a}) = "string" or $type(${b}) = "string") ? ${a} & ${b} : ${a} + ${b})`,
      type: 'unknown',
    };
  }

  private looseEquality(operator: string, left: Emitted, right: Emitted): Emitted {
    const negate = (code: string) => (operator === '!=' ? `$not(${code})` : code);
    const nullSide = left.type === 'null' ? right : right.type === 'null' ? left : undefined;
    if (nullSide) {
      return {
        code: negate(
          bind(nullSide.code, this.variables, (name) => `$not($exists(${name})) or ${name} = null`),
        ),
        type: 'boolean',
      };
    }
    if (left.type === right.type && left.type !== 'unknown') {
      return { code: negate(`(${left.code} = ${right.code})`), type: 'boolean' };
    }
    throw new Untranslatable(
      `${operator} converts between types the way only JavaScript does; use ${operator}=`,
    );
  }

  private call(node: Extract<JsNode, { kind: 'call' }>): Emitted {
    const { callee, args } = node;
    if (callee.kind === 'identifier' && callee.name === 'String' && args.length === 1) {
      return { code: `$string(${this.emit(args[0]).code})`, type: 'string' };
    }
    if (callee.kind !== 'member' || callee.computed) {
      throw new Untranslatable(`it calls ${describe(callee)}, which has no certain translation`);
    }
    const method = this.key(callee);
    if (callee.object.kind === 'identifier' && callee.object.name === 'Math') {
      return translateMath(
        String(method),
        args.map((arg) => this.emit(arg)),
      );
    }
    if (args.length === 1 && args[0].kind === 'arrow' && typeof method === 'string') {
      return this.callback(method, this.emit(callee.object), args[0]);
    }
    const target = this.emit(callee.object);
    const emitted = args.map((arg) => this.emit(arg));
    return translateMethod(this.variables, String(method), target, emitted, args);
  }

  /**
   * `.map(x => ...)`, `.filter(x => ...)`, `.find(x => ...)` over an array, as a `$reduce` that
   * builds the same array (JSONata's `$map`/`$filter` turn a one-element result into the element
   * and flatten arrays of arrays; JavaScript does neither). A target that is not an array fails,
   * as the JavaScript call would.
   */
  private callback(
    method: string,
    target: Emitted,
    fn: Extract<JsNode, { kind: 'arrow' }>,
  ): Emitted {
    if (
      !['map', 'filter', 'find'].includes(method) ||
      fn.params.length < 1 ||
      fn.params.length > 2
    ) {
      throw new Untranslatable(`.${method}() with a callback has no certain translation`);
    }
    const [item, index] = [this.variables.next(), this.variables.next()];
    const saved = fn.params.map((name) => [name, this.scope.get(name)] as const);
    fn.params.forEach((name, at) => this.scope.set(name, at === 0 ? item : index));
    let body: Emitted;
    try {
      body = this.emit(fn.body);
    } finally {
      for (const [name, previous] of saved) {
        if (previous === undefined) this.scope.delete(name);
        else this.scope.set(name, previous);
      }
    }
    const one = (value: string) => `($type(${value}) = "array" ? [[${value}]] : [${value}])`;
    const test = (): string => truthy(body, this.variables);
    let step: string;
    let init = '[]';
    let after = '';
    if (method === 'map') {
      const result = this.variables.next();
      step = `(${result} := ${body.code}; $append($acc, ${one(`($exists(${result}) ? ${result} : null)`)}))`;
    } else if (method === 'filter') {
      step = `$append($acc, ${test()} ? ${one(item)} : [])`;
    } else {
      init = '{"found": false}';
      step = `$acc.found ? $acc : (${test()} ? {"found": true, "value": ${item}} : $acc)`;
      after = '.value';
    }
    const list = this.variables.next();
    const code =
      `(${list} := ${target.code}; $type(${list}) = "array" ? ` +
      `$reduce(${list}, function($acc, ${item}, ${index}) { ${step} }, ${init})${after} : ` +
      `$error("the expression calls .${method}() on something that is not an array"))`;
    return { code, type: method === 'find' ? 'unknown' : 'array' };
  }
}
