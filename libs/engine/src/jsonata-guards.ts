import type jsonata from 'jsonata';
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

interface AstRegex {
  type: 'regex';
  value: RegExp;
  position?: number;
}

function isAstRegex(node: object): node is AstRegex {
  const candidate = node as { type?: unknown; value?: unknown };
  return candidate.type === 'regex' && candidate.value instanceof RegExp;
}

/** Every regex literal of a parsed expression (they are the only regexes JSONata can build). */
function regexLiterals(node: unknown, out: AstRegex[]): AstRegex[] {
  if (typeof node !== 'object' || node === null || node instanceof RegExp) return out;
  if (Array.isArray(node)) {
    for (const item of node) regexLiterals(item, out);
    return out;
  }
  if (isAstRegex(node)) {
    out.push(node);
    return out;
  }
  for (const value of Object.values(node)) regexLiterals(value, out);
  return out;
}

/** The first regex literal of `expression` that RE2 cannot compile, if any. */
export function regexProblem(expression: jsonata.Expression): RegexProblem | undefined {
  for (const literal of regexLiterals(expression.ast(), [])) {
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

/**
 * Fails the evaluation as soon as one step builds a string longer than `maxChars`: `$pad`,
 * `$join` or a doubling `&` in a loop stop at the step that crosses the limit, before the next
 * step can double it again.
 */
export function capStrings(expression: jsonata.Expression, maxChars: number): void {
  (expression as Assignable).assign(
    EVALUATE_EXIT,
    (_node: unknown, _input: unknown, _environment: unknown, result: unknown) => {
      if (typeof result === 'string' && result.length > maxChars) {
        throw new ExpressionError(
          'expression_too_large',
          `expression built a string of ${result.length} characters, more than ${maxChars}`,
        );
      }
    },
  );
}
