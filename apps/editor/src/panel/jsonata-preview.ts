import jsonata from 'jsonata';
import type { JsonObject, JsonValue } from '../api/types';

export type PreviewResult =
  | { kind: 'value'; value: JsonValue | undefined }
  | { kind: 'error'; message: string; position?: number };

interface JsonataFailure {
  message?: string;
  position?: number;
}

function describeFailure(error: unknown): PreviewResult {
  const failure = (typeof error === 'object' && error !== null ? error : {}) as JsonataFailure;
  const message = failure.message ?? String(error);
  return typeof failure.position === 'number'
    ? {
        kind: 'error',
        message: `${message} (at position ${failure.position})`,
        position: failure.position,
      }
    : { kind: 'error', message };
}

export interface PreviewContext {
  message: JsonValue;
  trigger: JsonValue;
  /** Outputs of the nodes before this one (`$nodes`), when known. */
  nodes?: JsonObject;
}

/** A JSONata syntax error (with its position), or undefined when the expression compiles. */
export function jsonataSyntaxError(expression: string): PreviewResult | undefined {
  if (expression.trim() === '') return undefined;
  try {
    jsonata(expression);
    return undefined;
  } catch (error) {
    return describeFailure(error);
  }
}

/** Evaluates a JSONata expression in the browser the way a node sees it (`$`, `$trigger`). */
export async function previewJsonata(
  expression: string,
  context: PreviewContext,
): Promise<PreviewResult> {
  if (expression.trim() === '') return { kind: 'value', value: undefined };
  try {
    const compiled = jsonata(expression);
    const value = (await compiled.evaluate(context.message, {
      trigger: context.trigger,
      nodes: context.nodes ?? {},
      execution: {},
    })) as JsonValue | undefined;
    // JSONata sequences carry a marker; a JSON round trip shows what the node would emit.
    return {
      kind: 'value',
      value: value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as JsonValue),
    };
  } catch (error) {
    return describeFailure(error);
  }
}
