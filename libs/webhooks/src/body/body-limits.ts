import type { JsonObject, JsonValue } from '@hookflow/engine';

/** Bounds on the shape of a parsed body; the byte size is bounded earlier, at the HTTP edge. */
export interface BodyLimits {
  /** Deepest nesting of objects and arrays (XML: of elements). */
  maxDepth: number;
  /** Most keys one object may have (a JSON object, an XML element, a form body). */
  maxKeysPerObject: number;
}

export type BodyFailure = { ok: false; status: 400 | 413 | 415; reason: string };
export type BodyResult = { ok: true; body: JsonValue } | BodyFailure;

export function depthExceeded(limits: BodyLimits): BodyFailure {
  return {
    ok: false,
    status: 400,
    reason: `body nests deeper than ${limits.maxDepth} levels (limit maxDepth)`,
  };
}

export function keysExceeded(limits: BodyLimits, where = 'an object in the body'): BodyFailure {
  return {
    ok: false,
    status: 400,
    reason: `${where} has more than ${limits.maxKeysPerObject} keys (limit maxKeysPerObject)`,
  };
}

/**
 * The one key dropped from every parsed body. Assigning it (`target[key] = value`) replaces an
 * object's prototype, and code that deep-merges payloads turns that into prototype pollution.
 * It has no meaning in any payload format, so dropping it loses nothing a sender meant.
 * `constructor` and `prototype` are kept as ordinary own data properties: they are plain words
 * real payloads use, and as own properties they shadow nothing dangerous.
 */
export const DROPPED_KEY = '__proto__';

/**
 * Adds `value` under `key`, turning a repeated key into an array of its values in order of
 * arrival (form fields, multipart fields). `__proto__` is never passed here.
 */
export function appendValue(target: JsonObject, key: string, value: JsonValue): void {
  if (!Object.prototype.hasOwnProperty.call(target, key)) {
    target[key] = value;
    return;
  }
  const existing = target[key];
  if (Array.isArray(existing)) existing.push(value);
  else target[key] = [existing, value];
}
