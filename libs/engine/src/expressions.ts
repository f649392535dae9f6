import jsonata from 'jsonata';
import Handlebars from 'handlebars';
import { toJson, type JsonObject, type JsonValue } from './json';
import { ExpressionError } from './expression-error';
import { capStrings, LINEAR_REGEX_ENGINE, regexProblem } from './jsonata-guards';
import { compileFastPath, FALLBACK, type FastEvaluator } from './jsonata-fast-path';
import { budgetedEach, renderedTooMuch, withRenderBudget } from './template-budget';
import { KNOWN_TEMPLATE_HELPERS, TEMPLATE_HELPERS } from './template-helpers';

export { ExpressionError, type ExpressionErrorCode } from './expression-error';

/** Bounds every evaluation so one bad expression cannot stall a worker. */
export interface ExpressionLimits {
  /** Wall time per evaluation, checked at every step of the evaluator. */
  timeoutMs: number;
  /** Maximum evaluator stack depth (deep recursion in user lambdas). */
  maxDepth: number;
  /** Maximum length of any sequence built while evaluating. */
  maxSequence: number;
  /** Maximum characters a template may render (counted while it renders). */
  maxRenderedChars: number;
  /** Longest string one JSONata step may build (`$pad`, `$join`, `&`). */
  maxStringChars: number;
  /** Largest output a node may produce, as JSON characters (see `exceedsJsonSize`). */
  maxOutputChars: number;
}

export const DEFAULT_EXPRESSION_LIMITS: ExpressionLimits = {
  timeoutMs: 1000,
  maxDepth: 500,
  maxSequence: 100_000,
  maxRenderedChars: 1_000_000,
  maxStringChars: 16 * 1024 * 1024,
  maxOutputChars: 16 * 1024 * 1024,
};

/** What an expression can see besides the current message (`$`). */
export interface ExpressionScope {
  trigger: JsonObject;
  nodes: JsonObject;
  execution: JsonObject;
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

/**
 * Parses `source`; unless `regexes` is false, also refuses a regex the linear-time engine cannot
 * run, with its position.
 */
export function checkJsonataSyntax(source: string, regexes = true): SyntaxProblem | undefined {
  try {
    const expression = jsonata(source);
    return regexes ? regexProblem(expression) : undefined;
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
 * How a template escapes what `{{value}}` (and a helper's result) writes; `{{{value}}}` never is.
 * `none` for plain text (JSON bodies, headers, subjects), `html` for HTML (Handlebars' own
 * escaping), `slack` for Slack mrkdwn, where `&`, `<` and `>` start links and mentions.
 */
export type TemplateEscape = 'none' | 'html' | 'slack';

const SLACK_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Slack decodes only these three entities, so escaping more (Handlebars' `&quot;`, `&#x27;`) would
 * show up as text. A SafeString is the author's (or a helper's) deliberate markup: kept as is.
 */
export function escapeSlackText(value: unknown): string {
  if (value instanceof Handlebars.SafeString) return value.toString();
  if (value === undefined || value === null) return '';
  return String(value).replace(/[&<>]/g, (char) => SLACK_ENTITIES[char]);
}

/** The compiled code's first argument: the runtime's per-template `container`. */
interface TemplateContainer {
  escapeExpression: (value: unknown) => string;
}
type TemplateMain = (container: TemplateContainer, ...rest: unknown[]) => unknown;

/**
 * Compiled templates write `{{value}}` as `container.escapeExpression(value)`, and the runtime
 * fills that slot with the module-wide Handlebars escaper. Overriding the escaper globally would
 * change every environment (and every other user of Handlebars in the process), so this
 * environment swaps it on the container each template runs with: `main` always runs first, and
 * nested blocks read the same container.
 */
function escapeWith(environment: typeof Handlebars, escape: (value: unknown) => string): void {
  const template = environment.template.bind(environment);
  environment.template = (spec: TemplateSpecification) => {
    const { main } = spec as { main: TemplateMain };
    const escaping: TemplateMain = (container, ...rest) => {
      container.escapeExpression = escape;
      return main(container, ...rest);
    };
    return template({ ...spec, main: escaping });
  };
}

/**
 * Handlebars in environments of our own, one per escaping mode: only the curated helpers, no
 * prototype access (Handlebars >= 4.6 denies it by default; we never opt in). Plain templates
 * are not escaped at all: their output goes to JSON bodies, headers and chat messages, not to a
 * browser.
 */
function createEnvironment(escape: TemplateEscape): typeof Handlebars {
  const environment = Handlebars.create();
  environment.registerHelper(TEMPLATE_HELPERS);
  environment.registerHelper('each', budgetedEach(environment.helpers.each));
  if (escape === 'slack') escapeWith(environment, escapeSlackText);
  return environment;
}

const ENVIRONMENTS: Record<TemplateEscape, typeof Handlebars> = {
  none: createEnvironment('none'),
  html: createEnvironment('html'),
  slack: createEnvironment('slack'),
};

type CompileOptions = NonNullable<Parameters<typeof Handlebars.compile>[1]>;

function templateOptions(escape: TemplateEscape): CompileOptions {
  return {
    noEscape: escape === 'none',
    strict: false,
    knownHelpersOnly: true,
    knownHelpers: KNOWN_TEMPLATE_HELPERS,
  };
}

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
export function checkTemplateSyntax(
  source: string,
  escape: TemplateEscape = 'none',
): SyntaxProblem | undefined {
  try {
    ENVIRONMENTS[escape].precompile(source, templateOptions(escape));
    return undefined;
  } catch (error) {
    return { message: describeTemplateError(error) };
  }
}

export class CompiledJsonata {
  private readonly expression: jsonata.Expression;
  /** Set when the expression is simple enough for the synchronous path (jsonata-fast-path.ts). */
  private readonly fast: FastEvaluator | undefined;

  constructor(
    readonly source: string,
    private readonly limits: ExpressionLimits,
  ) {
    this.expression = jsonata(source, {
      timeout: limits.timeoutMs,
      stack: limits.maxDepth,
      sequence: limits.maxSequence,
      RegexEngine: LINEAR_REGEX_ENGINE,
    });
    capStrings(this.expression, limits.maxStringChars);
    this.fast = compileFastPath(this.expression.ast(), limits.maxStringChars);
  }

  async evaluate(input: JsonValue, scope: ExpressionScope): Promise<JsonValue> {
    if (this.fast) {
      const result = this.fast(input, scope);
      if (result !== FALLBACK) return toJson(result);
    }
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
    if (error instanceof ExpressionError) return error;
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
    readonly escape: TemplateEscape = 'none',
  ) {
    this.render = ENVIRONMENTS[escape].compile(source, templateOptions(escape));
  }

  evaluate(input: JsonValue, scope: ExpressionScope): string {
    let text: string;
    try {
      text = withRenderBudget(this.limits, () =>
        this.render(input, {
          data: { trigger: scope.trigger, nodes: scope.nodes, execution: scope.execution },
          allowProtoPropertiesByDefault: false,
          allowProtoMethodsByDefault: false,
        }),
      );
    } catch (error) {
      if (error instanceof ExpressionError) throw error;
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new ExpressionError('expression_failed', message);
    }
    // `#each` counts as it goes; what the rest of the template writes is bounded by its source.
    if (text.length > this.limits.maxRenderedChars) throw renderedTooMuch(this.limits, text.length);
    return text;
  }
}

/**
 * Compiled expressions of one flow version, keyed by source text. A flow version is immutable,
 * so everything here is compiled once and reused by every run of that version.
 */
export class ExpressionCache {
  private readonly jsonataBySource = new Map<string, CompiledJsonata>();
  /** By escaping mode: one source may be both a plain text body and an HTML body. */
  private readonly templateBySource: Record<TemplateEscape, Map<string, CompiledTemplate>> = {
    none: new Map(),
    html: new Map(),
    slack: new Map(),
  };

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

  template(source: string, escape: TemplateEscape = 'none'): CompiledTemplate {
    const templates = this.templateBySource[escape];
    let compiled = templates.get(source);
    if (!compiled) {
      compiled = new CompiledTemplate(source, this.limits, escape);
      templates.set(source, compiled);
    }
    return compiled;
  }

  get size(): number {
    const { none, html, slack } = this.templateBySource;
    return this.jsonataBySource.size + none.size + html.size + slack.size;
  }
}
