import type { JsonValue } from '@hookflow/engine';

export type ParsedBody =
  { ok: true; body: JsonValue } | { ok: false; status: 400 | 415; reason: string };

/** `application/json`, `application/*+json` (e.g. `application/vnd.api+json`). */
function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || /^application\/[\w.-]+\+json$/.test(mediaType);
}

export function mediaTypeOf(contentType: string | undefined): string | undefined {
  const mediaType = contentType?.split(';')[0].trim().toLowerCase();
  return mediaType ? mediaType : undefined;
}

/** Describes where JSON.parse stopped, in the words a sender's developer can act on. */
function jsonFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `body is not valid JSON: ${message}`;
}

/**
 * Parses a webhook body by its content type. JSON only for now; other types are refused
 * with 415 rather than guessed at.
 */
export function parseBody(contentType: string | undefined, raw: Buffer): ParsedBody {
  const mediaType = mediaTypeOf(contentType);
  if (!mediaType) {
    return { ok: false, status: 415, reason: 'missing Content-Type: send application/json' };
  }
  if (!isJsonMediaType(mediaType)) {
    return {
      ok: false,
      status: 415,
      reason: `Content-Type ${mediaType} is not accepted: send application/json`,
    };
  }
  const text = raw.toString('utf8');
  if (text.trim().length === 0) return { ok: false, status: 400, reason: 'body is empty' };
  try {
    return { ok: true, body: JSON.parse(text) as JsonValue };
  } catch (error) {
    return { ok: false, status: 400, reason: jsonFailure(error) };
  }
}
