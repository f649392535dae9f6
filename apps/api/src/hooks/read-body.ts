import type { JsonValue } from '@hookflow/engine';
import { parseBody, type BodyFailure, type ParseBodyOptions } from '@hookflow/webhooks';

/** Methods whose empty body means "no body": the flow gets the query instead (URL checks, pings). */
const BODILESS_METHODS: ReadonlySet<string> = new Set(['GET', 'DELETE']);

/** How a request's body becomes the trigger's output; shared by the intake and replays. */
export function readRequestBody(input: {
  method: string;
  contentType: string | undefined;
  raw: Buffer;
  query: Record<string, string>;
  /** The trigger's limits and XML settings; default: keep the JSON source, default limits. */
  options?: ParseBodyOptions;
}): { ok: true; body: JsonValue; source?: Buffer } | BodyFailure {
  if (input.raw.length === 0 && BODILESS_METHODS.has(input.method)) {
    return { ok: true, body: input.query };
  }
  // The JSON text as sent comes back too, as the raw bytes: the intake stores those instead of
  // making copies (see parseBody's `source`).
  return parseBody(input.contentType, input.raw, input.options ?? { keepSource: true });
}
