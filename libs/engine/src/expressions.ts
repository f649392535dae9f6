import jsonata from 'jsonata';
import Handlebars from 'handlebars';
import { toJson, type JsonObject, type JsonValue } from './json';
import { KNOWN_TEMPLATE_HELPERS, TEMPLATE_HELPERS } from './template-helpers';

/** Bounds every evaluation so one bad expression cannot stall a worker. */
export interface ExpressionLimits {
  /** Wall time per evaluation, checked at every step of the evaluator. */
  timeoutMs: number;
  /** Maximum evaluator stack depth (deep recursion in user lambdas). */
  maxDepth: number;
  /** Maximum length of any sequence built while evaluating. */
  maxSequence: number;
  /** Maximum characters a template may render. */
  maxRenderedChars: number;
}

export const DEFAULT_EXPRESSION_LIMITS: ExpressionLimits = {
  timeoutMs: 1000,
  maxDepth: 500,
  maxSequence: 100_000,
  maxRenderedChars: 1_000_000,
};

/** What an expression can see besides the current message (`$`). */
export interface ExpressionScope {
  trigger: JsonObject;
  nodes: JsonObject;
  execution: JsonObject;
}

export type ExpressionErrorCode =
  'expression_syntax' | 'expression_timeout' | 'expression_depth' | 'expression_failed';

export class ExpressionError extends Error {
  constructor(
    readonly code: ExpressionErrorCode,
    message: string,
    readonly position?: number,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}

interface JsonataFailure {
  code?: string;
  message?: string;
  position?: number;
  token?: string;
}

function asJsonataFailure(error: unknown): JsonataFailure {
  return typeof error === 'object' && error !== null ? (error as JsonataFailure) : {};
}

/** A syntax problem found at compile time, with its character position in the source. */
export interface SyntaxProblem {
  message: string;
  position?: number;
}

export function checkJsonataSyntax(source: string): SyntaxProblem | undefined {
  try {
    jsonata(source);
    return undefined;
  } catch (error) {
    const failure = asJsonataFailure(error);
    const where = failure.position === undefined ? '' : ` at position ${failure.position}`;
    return {
      message: `${failure.message ?? 'invalid expression'}${where}`,
      position: failure.position,
    };
  }
}

/**
 * Handlebars in its own environment: no helpers beyond the built-ins, no prototype access
 * (Handlebars >= 4.6 denies it by default; we never opt in), no HTML escaping because the
 * output goes to JSON bodies, headers and chat messages, not to a browser.
 */
const templates = Handlebars.create();
templates.registerHelper(TEMPLATE_HELPERS);
const TEMPLATE_OPTIONS = {
  noEscape: true,
  strict: false,
  knownHelpersOnly: true,
  knownHelpers: KNOWN_TEMPLATE_HELPERS,
} as const;

/**
 * Handlebars parse errors span four lines (header, context, caret, expected tokens); keep the
 * header, what was found and the context on one line. Other errors are one line already.
 */
function describeTemplateError(error: unknown): string {
  if (!(error instanceof Error)) return 'invalid template';
  const lines = error.message.split('\n');
  if (lines.length < 4) return lines[0];
  const got = /got '([^']+)'$/.exec(lines[3])?.[1];
  const found = got === undefined ? lines[3] : got === 'EOF' ? 'end of template' : `'${got}'`;
  return `${lines[0].replace(/:$/, '')}: unexpected ${found} near "${lines[1]}"`;
}

/** Compiles (without running) with the options used at run time, so unknown helpers fail here. */
export function checkTemplateSyntax(source: string): SyntaxProblem | undefined {
  try {
    templates.precompile(source, TEMPLATE_OPTIONS);
    return undefined;
  } catch (error) {
    return { message: describeTemplateError(error) };
  }
}

export class CompiledJsonata {
  private readonly expression: jsonata.Expression;

  constructor(
    readonly source: string,
    private readonly limits: ExpressionLimits,
  ) {
    this.expression = jsonata(source, {
      timeout: limits.timeoutMs,
      stack: limits.maxDepth,
      sequence: limits.maxSequence,
    });
  }

  async evaluate(input: JsonValue, scope: ExpressionScope): Promise<JsonValue> {
    try {
      const result: unknown = await this.expression.evaluate(input, {
        trigger: scope.trigger,
        nodes: scope.nodes,
        execution: scope.execution,
      });
      return toJson(result);
    } catch (error) {
      throw this.explain(error);
    }
  }

  private explain(error: unknown): ExpressionError {
    const failure = asJsonataFailure(error);
    if (failure.code === 'D1012') {
      return new ExpressionError(
        'expression_timeout',
        `expression ran longer than ${this.limits.timeoutMs} ms`,
      );
    }
    if (failure.code === 'D1011') {
      return new ExpressionError(
        'expression_depth',
        `expression nested deeper than ${this.limits.maxDepth} levels`,
      );
    }
    const where = failure.position === undefined ? '' : ` (position ${failure.position})`;
    const message = failure.message ?? (error instanceof Error ? error.message : String(error));
    return new ExpressionError('expression_failed', `${message}${where}`, failure.position);
  }
}

export class CompiledTemplate {
  private readonly render: Handlebars.TemplateDelegate;

  constructor(
    readonly source: string,
    private readonly limits: ExpressionLimits,
  ) {
    this.render = templates.compile(source, TEMPLATE_OPTIONS);
  }

  evaluate(input: JsonValue, scope: ExpressionScope): string {
    let text: string;
    try {
      text = this.render(input, {
        data: { trigger: scope.trigger, nodes: scope.nodes, execution: scope.execution },
        allowProtoPropertiesByDefault: false,
        allowProtoMethodsByDefault: false,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new ExpressionError('expression_failed', message);
    }
    if (text.length > this.limits.maxRenderedChars) {
      throw new ExpressionError(
        'expression_failed',
        `template rendered ${text.length} characters, more than ${this.limits.maxRenderedChars}`,
      );
    }
    return text;
  }
}

/**
 * Compiled expressions of one flow version, keyed by source text. A flow version is immutable,
 * so everything here is compiled once and reused by every run of that version.
 */
export class ExpressionCache {
  private readonly jsonataBySource = new Map<string, CompiledJsonata>();
  private readonly templateBySource = new Map<string, CompiledTemplate>();

  constructor(readonly limits: ExpressionLimits = DEFAULT_EXPRESSION_LIMITS) {}

  jsonata(source: string): CompiledJsonata {
    let compiled = this.jsonataBySource.get(source);
    if (!compiled) {
      try {
        compiled = new CompiledJsonata(source, this.limits);
      } catch (error) {
        const failure = asJsonataFailure(error);
        throw new ExpressionError(
          'expression_syntax',
          failure.message ?? 'invalid expression',
          failure.position,
        );
      }
      this.jsonataBySource.set(source, compiled);
    }
    return compiled;
  }

  template(source: string): CompiledTemplate {
    let compiled = this.templateBySource.get(source);
    if (!compiled) {
      compiled = new CompiledTemplate(source, this.limits);
      this.templateBySource.set(source, compiled);
    }
    return compiled;
  }

  get size(): number {
    return this.jsonataBySource.size + this.templateBySource.size;
  }
}
