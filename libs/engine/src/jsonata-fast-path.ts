import type { JsonValue } from './json';

/*
 * A synchronous evaluator for the JSONata shapes most flows are made of: field paths over an
 * object (`customer.email`, `$trigger.body.id`), literals, comparisons, arithmetic, `and`/`or`,
 * `? :` and object constructors with literal keys (`{ 'type': event, 'cents': amount }`).
 *
 * JSONata's own evaluator is asynchronous at every step: the mapping and the filter of a
 * four-node flow cost ~15 µs and a few hundred promises per run, which the hot path then pays
 * for again in garbage collection. This path computes the same value directly, and only where it
 * is certain to: it reproduces JSONata's rules for plain objects and scalars, and answers
 * FALLBACK as soon as it meets anything else (an array in the middle of a path, which JSONata
 * maps over; operands of mixed types, which JSONata reports as errors; a result that is not a
 * finite number). The caller then evaluates with JSONata, which gives the exact value or error.
 * Evaluation has no side effects, so starting over costs only time.
 */

/** Returned when this path cannot promise JSONata's answer: evaluate with JSONata instead. */
export const FALLBACK: unique symbol = Symbol('jsonata fast path: fall back');

/** What an expression sees besides its input, as bound for JSONata (`$trigger`, ...). */
export type FastBindings = Readonly<Record<'trigger' | 'nodes' | 'execution', JsonValue>>;

/** A value as JSONata holds it: JSON, or undefined for "no value". */
type Value = JsonValue | undefined;
type Result = Value | typeof FALLBACK;
type Evaluate = (input: JsonValue, bindings: FastBindings) => Result;
export type FastEvaluator = Evaluate;

/** A node of JSONata's parse tree, read without trusting its shape. */
interface AstNode {
  type?: unknown;
  value?: unknown;
  [key: string]: unknown;
}

/** The bindings an expression may read by name; anything else stays with JSONata. */
const BINDINGS = new Set(['trigger', 'nodes', 'execution']);

/**
 * A node whose keys are all in `allowed`: JSONata marks predicates, stages, grouping, focus and
 * index bindings, keepArray and the like as extra keys, and none of them is handled here.
 */
function only(node: AstNode, allowed: readonly string[]): boolean {
  return Object.keys(node).every((key) => allowed.includes(key));
}

function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A synchronous evaluator for `ast` (from `jsonata(source).ast()`), or undefined when the
 * expression uses anything this path does not handle. `maxStringChars` is the longest string
 * `&` may build; a longer one falls back so that JSONata reports it.
 */
export function compileFastPath(ast: unknown, maxStringChars: number): FastEvaluator | undefined {
  const evaluate = compile(ast, maxStringChars);
  if (!evaluate) return undefined;
  return (input, bindings) => {
    // JSONata wraps an array input in a sequence and maps paths over it.
    if (Array.isArray(input) || input === undefined) return FALLBACK;
    // JSONata reads these two flags off whatever it is given, JSON objects included: an input
    // carrying them changes what `$` and `{...}` mean there.
    if (typeof input === 'object' && input !== null && (input.tupleStream || input.outerWrapper)) {
      return FALLBACK;
    }
    return evaluate(input, bindings);
  };
}

function compile(node: unknown, maxChars: number): Evaluate | undefined {
  if (!isNode(node)) return undefined;
  switch (node.type) {
    case 'string':
    case 'number':
    case 'value':
      return literal(node);
    case 'variable':
      return only(node, ['type', 'value', 'position']) ? variable(node.value) : undefined;
    case 'path':
      return path(node);
    case 'binary':
      return binary(node, maxChars);
    case 'unary':
      return node.value === '-' ? negation(node, maxChars) : objectConstructor(node, maxChars);
    case 'condition':
      return condition(node, maxChars);
    default:
      return undefined;
  }
}

function literal(node: AstNode): Evaluate | undefined {
  if (!only(node, ['type', 'value', 'position'])) return undefined;
  const { value } = node;
  const scalar =
    typeof value === 'string' ||
    (typeof value === 'number' && Number.isFinite(value)) ||
    typeof value === 'boolean' ||
    value === null;
  if (!scalar) return undefined;
  return () => value;
}

/** `$` is the input; `$trigger`, `$nodes`, `$execution` the bindings. */
function variable(name: unknown): Evaluate | undefined {
  if (name === '') return (input) => input;
  if (typeof name === 'string' && BINDINGS.has(name)) {
    const key = name as keyof FastBindings;
    return (_input, bindings) => bindings[key];
  }
  return undefined;
}

/**
 * `a.b.c` or `$trigger.body.id`. JSONata looks a name up in an object by own property only, and
 * a missing one, or one looked up in a scalar, ends the path with no value. An array met before
 * the last step is mapped over and flattened by JSONata: fall back. An array at the last step,
 * looked up in one object, is returned as it is (JSONata does the same).
 */
function path(node: AstNode): Evaluate | undefined {
  if (!only(node, ['type', 'steps']) || !Array.isArray(node.steps) || node.steps.length === 0) {
    return undefined;
  }
  const steps: unknown[] = node.steps;
  let start: Evaluate = (input) => input;
  const names: string[] = [];
  for (const [index, step] of steps.entries()) {
    if (!isNode(step) || !only(step, ['type', 'value', 'position'])) return undefined;
    if (index === 0 && step.type === 'variable') {
      const read = variable(step.value);
      if (!read) return undefined;
      start = read;
    } else if (step.type === 'name' && typeof step.value === 'string') {
      names.push(step.value);
    } else {
      return undefined;
    }
  }
  const last = names.length - 1;
  return (input, bindings) => {
    let current = start(input, bindings);
    for (let index = 0; index <= last; index += 1) {
      if (Array.isArray(current)) return FALLBACK;
      if (typeof current !== 'object' || current === null) return undefined;
      const name = names[index];
      if (!Object.prototype.hasOwnProperty.call(current, name)) return undefined;
      current = current[name];
    }
    // `$trigger.items` with no further step: JSONata returns a bound array as it is too.
    if (Array.isArray(current) && last < 0) return FALLBACK;
    return current;
  };
}

/** JSONata's effective boolean value, for the scalars; undefined for what needs JSONata. */
function truthy(value: Value): boolean | undefined {
  if (value === undefined || value === null) return false;
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'string':
      return value.length > 0;
    case 'number':
      return value !== 0;
    default:
      return undefined;
  }
}

function isScalar(value: Value): value is string | number | boolean | null {
  return value === null || typeof value !== 'object';
}

type Operator = (left: Value, right: Value) => Result;

function compare(test: (left: number | string, right: number | string) => boolean): Operator {
  return (left, right) => {
    if (typeof left === 'number' && typeof right === 'number') return test(left, right);
    if (typeof left === 'string' && typeof right === 'string') return test(left, right);
    const comparable = (value: Value): boolean =>
      value === undefined || typeof value === 'string' || typeof value === 'number';
    // One side missing, the other comparable: no value. Mixed types are JSONata's errors.
    if ((left === undefined || right === undefined) && comparable(left) && comparable(right)) {
      return undefined;
    }
    return FALLBACK;
  };
}

function arithmetic(apply: (left: number, right: number) => number): Operator {
  return (left, right) => {
    if (typeof left === 'number' && typeof right === 'number') {
      const result = apply(left, right);
      return Number.isFinite(result) ? result : FALLBACK;
    }
    const numeric = (value: Value): boolean => value === undefined || typeof value === 'number';
    return numeric(left) && numeric(right) ? undefined : FALLBACK;
  };
}

function equality(equal: boolean): Operator {
  return (left, right) => {
    if (left === undefined || right === undefined) return false;
    if (!isScalar(left) || !isScalar(right)) return FALLBACK;
    return (left === right) === equal;
  };
}

function operators(maxChars: number): Record<string, Operator> {
  return {
    '<': compare((left, right) => left < right),
    '<=': compare((left, right) => left <= right),
    '>': compare((left, right) => left > right),
    '>=': compare((left, right) => left >= right),
    '=': equality(true),
    '!=': equality(false),
    '+': arithmetic((left, right) => left + right),
    '-': arithmetic((left, right) => left - right),
    '*': arithmetic((left, right) => left * right),
    '/': arithmetic((left, right) => left / right),
    '%': arithmetic((left, right) => left % right),
    // JSONata turns numbers into strings its own way ($string): only strings are joined here.
    '&': (left, right) => {
      const text = (value: Value): string | undefined =>
        value === undefined ? '' : typeof value === 'string' ? value : undefined;
      const head = text(left);
      const tail = text(right);
      if (head === undefined || tail === undefined) return FALLBACK;
      return head.length + tail.length > maxChars ? FALLBACK : head + tail;
    },
  };
}

function binary(node: AstNode, maxChars: number): Evaluate | undefined {
  if (!only(node, ['type', 'value', 'position', 'lhs', 'rhs'])) return undefined;
  const left = compile(node.lhs, maxChars);
  const right = compile(node.rhs, maxChars);
  if (!left || !right || typeof node.value !== 'string') return undefined;
  if (node.value === 'and' || node.value === 'or') {
    const wanted = node.value === 'or';
    return (input, bindings) => {
      const first = left(input, bindings);
      if (first === FALLBACK) return FALLBACK;
      const decided = truthy(first);
      if (decided === undefined) return FALLBACK;
      // JSONata does not evaluate the right side once the left decides.
      if (decided === wanted) return wanted;
      const second = right(input, bindings);
      if (second === FALLBACK) return FALLBACK;
      return truthy(second) ?? FALLBACK;
    };
  }
  const operator = operators(maxChars)[node.value];
  if (!operator) return undefined;
  return (input, bindings) => {
    const first = left(input, bindings);
    if (first === FALLBACK) return FALLBACK;
    const second = right(input, bindings);
    if (second === FALLBACK) return FALLBACK;
    return operator(first, second);
  };
}

function negation(node: AstNode, maxChars: number): Evaluate | undefined {
  if (!only(node, ['type', 'value', 'position', 'expression'])) return undefined;
  const operand = compile(node.expression, maxChars);
  if (!operand) return undefined;
  return (input, bindings) => {
    const value = operand(input, bindings);
    if (value === undefined) return undefined;
    return typeof value === 'number' ? -value : FALLBACK;
  };
}

/**
 * `{ 'key': value, ... }` with literal, distinct keys, over one object (or scalar): each value
 * is evaluated against the input, and a key whose value is missing is left out.
 */
function objectConstructor(node: AstNode, maxChars: number): Evaluate | undefined {
  if (node.value !== '{' || !only(node, ['type', 'value', 'position', 'lhs'])) return undefined;
  if (!Array.isArray(node.lhs)) return undefined;
  const pairs: unknown[] = node.lhs;
  const fields: Array<[string, Evaluate]> = [];
  const keys = new Set<string>();
  for (const pair of pairs) {
    if (!Array.isArray(pair) || pair.length !== 2) return undefined;
    const [key, value] = pair as unknown[];
    if (!isNode(key) || key.type !== 'string' || !only(key, ['type', 'value', 'position'])) {
      return undefined;
    }
    // A repeated key is JSONata's error D1009; `__proto__` would not be an own property here.
    if (typeof key.value !== 'string' || keys.has(key.value) || key.value === '__proto__') {
      return undefined;
    }
    const evaluate = compile(value, maxChars);
    if (!evaluate) return undefined;
    keys.add(key.value);
    fields.push([key.value, evaluate]);
  }
  return (input, bindings) => {
    const result: Record<string, JsonValue> = {};
    for (const [key, evaluate] of fields) {
      const value = evaluate(input, bindings);
      if (value === FALLBACK) return FALLBACK;
      if (value !== undefined) result[key] = value;
    }
    return result;
  };
}

function condition(node: AstNode, maxChars: number): Evaluate | undefined {
  if (!only(node, ['type', 'position', 'condition', 'then', 'else'])) return undefined;
  const test = compile(node.condition, maxChars);
  const then = compile(node.then, maxChars);
  const otherwise = node.else === undefined ? () => undefined : compile(node.else, maxChars);
  if (!test || !then || !otherwise) return undefined;
  return (input, bindings) => {
    const value = test(input, bindings);
    if (value === FALLBACK) return FALLBACK;
    const decided = truthy(value);
    if (decided === undefined) return FALLBACK;
    return decided ? then(input, bindings) : otherwise(input, bindings);
  };
}
