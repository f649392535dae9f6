import type { HelperDelegate, HelperOptions } from 'handlebars';
import { ExpressionError } from './expression-error';

/** What one template render may spend. */
export interface RenderLimits {
  timeoutMs: number;
  maxRenderedChars: number;
}

/**
 * The budget of the render in progress. Rendering is synchronous, so only one render runs at a
 * time and a module-wide slot is enough; helpers read it because Handlebars gives them no other
 * place that templates cannot reach (`@data` is readable from the template).
 */
let active: { deadline: number; limits: RenderLimits } | undefined;

/** Runs `render` with a deadline that the block helpers below enforce while it runs. */
export function withRenderBudget<T>(limits: RenderLimits, render: () => T): T {
  const outer = active;
  active = { deadline: Date.now() + limits.timeoutMs, limits };
  try {
    return render();
  } finally {
    active = outer;
  }
}

function overTime(limits: RenderLimits): ExpressionError {
  return new ExpressionError(
    'expression_timeout',
    `template ran longer than ${limits.timeoutMs} ms`,
  );
}

/** Also thrown by the check of the finished text, so both say the same. */
export function renderedTooMuch(limits: RenderLimits, written: number): ExpressionError {
  return new ExpressionError(
    'expression_too_large',
    `template rendered ${written} characters, more than ${limits.maxRenderedChars}`,
  );
}

type BlockProgram = (context: unknown, options?: unknown) => string;

/**
 * Wraps `#each`, the only helper that repeats its block, so that every iteration checks the
 * deadline and counts what the block wrote: a nested `#each` over a big array stops at the
 * limit instead of after the whole (possibly quadratic) render. Outside a budgeted render (the
 * syntax check) it is the plain helper.
 */
export function budgetedEach(each: HelperDelegate): HelperDelegate {
  return function (this: unknown, context: unknown, options: HelperOptions): unknown {
    const budget = active;
    if (!budget || typeof options?.fn !== 'function') return each.call(this, context, options);
    const { deadline, limits } = budget;
    const block = options.fn as BlockProgram;
    let written = 0;
    const counted: BlockProgram = (value, runtimeOptions) => {
      if (Date.now() > deadline) throw overTime(limits);
      const text = block(value, runtimeOptions);
      written += text.length;
      if (written > limits.maxRenderedChars) throw renderedTooMuch(limits, written);
      return text;
    };
    return each.call(this, context, { ...options, fn: counted });
  };
}
