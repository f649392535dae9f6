import jsonata from 'jsonata';
import RE2 from 're2';
import { ExpressionError } from './expression-error';

/**
 * JSONata's regular expressions run on RE2 (`RegexEngine`), which matches in time linear in the
 * input: `/^(a+)+$/` against `aaaa…!` cannot backtrack for seconds inside one native call, where
 * the evaluator's timeout cannot reach. RE2 has no backreferences or lookaround; a pattern that
 * uses them is refused when the flow is saved (`regexProblem`).
 */
export const LINEAR_REGEX_ENGINE: RegExpConstructor = RE2;

/** A regex literal RE2 cannot run, with its position in the expression (after the literal). */
export interface RegexProblem {
  message: string;
  position?: number;
}

/** A node of JSONata's parse tree, as far as these checks read it. */
interface AstNode {
  type?: unknown;
  value?: unknown;
  position?: number;
}

interface AstRegex extends AstNode {
  type: 'regex';
  value: RegExp;
}

function isAstRegex(node: AstNode): node is AstRegex {
  return node.type === 'regex' && node.value instanceof RegExp;
}

/** Every node of a parse tree that `wanted` accepts (the tree is small and acyclic). */
function findNodes<T extends AstNode>(
  node: unknown,
  wanted: (candidate: AstNode) => candidate is T,
  out: T[] = [],
): T[] {
  if (typeof node !== 'object' || node === null || node instanceof RegExp) return out;
  if (Array.isArray(node)) {
    for (const item of node) findNodes(item, wanted, out);
    return out;
  }
  if (wanted(node)) out.push(node);
  for (const value of Object.values(node)) findNodes(value, wanted, out);
  return out;
}

/** The first regex literal of `expression` that RE2 cannot compile, if any. */
export function regexProblem(expression: jsonata.Expression): RegexProblem | undefined {
  // Regex literals are the only regexes JSONata can build.
  for (const literal of findNodes(expression.ast(), isAstRegex)) {
    try {
      new RE2(literal.value);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const where = literal.position === undefined ? '' : ` at position ${literal.position}`;
      return {
        message:
          `regular expression /${literal.value.source}/${where} is not supported (${reason}); ` +
          'backreferences and lookaround are not available',
        position: literal.position,
      };
    }
  }
  return undefined;
}

/** JSONata calls this after every evaluation step with its result. */
const EVALUATE_EXIT = Symbol.for('jsonata.__evaluate_exit');

/** `assign` as JSONata implements it: any key, symbols included (its typings say string). */
interface Assignable {
  assign(name: string | symbol, value: unknown): void;
}

/** Calls, lambdas and `&` make new strings; paths, literals and comparisons only pass them on. */
function buildsStrings(node: AstNode): node is AstNode {
  const { type } = node;
  return (
    type === 'function' ||
    type === 'partial' ||
    type === 'apply' ||
    type === 'lambda' ||
    type === 'transform' ||
    (type === 'binary' && node.value === '&')
  );
}

/**
 * Fails the evaluation as soon as one step builds a string longer than `maxChars`: `$pad`,
 * `$join` or a doubling `&` in a loop stop at the step that crosses the limit, before the next
 * step can double it again (or `$length` can expand it). The check costs an `await` per step,
 * so an expression that cannot build a string (paths, literals, comparisons: the common mapping
 * and filter) goes without it; what it returns is bounded by its input.
 */
export function capStrings(expression: jsonata.Expression, maxChars: number): void {
  if (findNodes(expression.ast(), buildsStrings).length === 0) return;
  (expression as Assignable).assign(
    EVALUATE_EXIT,
    (_node: unknown, _input: unknown, _environment: unknown, result: unknown) => {
      if (typeof result === 'string' && result.length > maxChars) {
        throw tooLong(result.length, maxChars);
      }
    },
  );
  guardAmplifiers(expression, maxChars);
}

function tooLong(length: number, maxChars: number): ExpressionError {
  return new ExpressionError(
    'expression_too_large',
    `expression built a string of ${length} characters, more than ${maxChars}`,
  );
}

/** A built-in function as JSONata hands it out (`$pad` evaluated on its own). */
interface Builtin {
  implementation: (...args: unknown[]) => unknown;
}

function isBuiltin(value: unknown): value is Builtin {
  return typeof (value as Partial<Builtin> | undefined)?.implementation === 'function';
}

async function builtin(name: string): Promise<Builtin> {
  const value: unknown = await jsonata(`$${name}`).evaluate({});
  if (!isBuiltin(value)) throw new Error(`JSONata has no built-in $${name}`);
  return value;
}

/** Looked up once, on first use. */
let builtins: Promise<{ pad: Builtin; join: Builtin }> | undefined;
function amplifiers(): Promise<{ pad: Builtin; join: Builtin }> {
  builtins ??= Promise.all([builtin('pad'), builtin('join')]).then(([pad, join]) => ({
    pad,
    join,
  }));
  return builtins;
}

/**
 * `$pad` and `$join` can write in one call a string many times longer than their arguments
 * (`$pad('x', 500000000)` is half a gigabyte): these versions compute the length first and refuse
 * before anything is allocated, then hand over to the built-in.
 */
function guardAmplifiers(expression: jsonata.Expression, maxChars: number): void {
  expression.registerFunction(
    'pad',
    async (text: unknown, width: unknown, char: unknown) => {
      if (typeof width === 'number' && Math.abs(Math.trunc(width)) > maxChars) {
        throw tooLong(Math.abs(Math.trunc(width)), maxChars);
      }
      return (await amplifiers()).pad.implementation(text, width, char);
    },
    '<s-ns?:s>',
  );
  expression.registerFunction(
    'join',
    async (strings: unknown, separator: unknown) => {
      if (Array.isArray(strings)) {
        const gaps = typeof separator === 'string' ? separator.length * (strings.length - 1) : 0;
        const length = strings.reduce<number>(
          (sum, item) => sum + (typeof item === 'string' ? item.length : 0),
          gaps,
        );
        if (length > maxChars) throw tooLong(length, maxChars);
      }
      return (await amplifiers()).join.implementation(strings, separator);
    },
    '<a<s>s?:s>',
  );
}
