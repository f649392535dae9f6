/** A JSON value: what travels between nodes, what is stored, what is exported. */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * JSONata represents its functions as objects (`{ _jsonata_function }` for built-ins,
 * `{ _jsonata_lambda }` for lambdas, whose environment and AST are cyclic), not as JS functions.
 */
function isFunctionValue(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (typeof value !== 'object' || value === null) return false;
  const flags = value as { _jsonata_function?: unknown; _jsonata_lambda?: unknown };
  return flags._jsonata_function === true || flags._jsonata_lambda === true;
}

/**
 * Turns whatever an expression produced into plain JSON: drops functions (JS and JSONata) and
 * undefined, unwraps JSONata sequences (arrays with extra flags). Once functions are dropped
 * nothing cyclic is left (JSONata cannot build cycles from data).
 */
export function toJson(value: unknown): JsonValue {
  if (value === undefined || isFunctionValue(value)) return null;
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return null;
    return value as JsonPrimitive;
  }
  if (Array.isArray(value)) return value.map((item) => toJson(item));
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || isFunctionValue(item)) continue;
    out[key] = toJson(item);
  }
  return out;
}

/**
 * Whether `value`'s JSON text is longer than `limit` characters, counted without writing it:
 * strings by their length, other scalars as a few characters. Stops as soon as the count passes
 * the limit, so a huge value costs no more than the limit to judge.
 */
export function exceedsJsonSize(value: JsonValue, limit: number): boolean {
  let size = 0;
  const pending: JsonValue[] = [value];
  while (pending.length > 0) {
    const item = pending.pop() as JsonValue;
    if (typeof item === 'string') size += item.length + 2;
    else if (item === null || typeof item !== 'object') size += 5;
    else if (Array.isArray(item)) {
      size += item.length + 1;
      for (const element of item) pending.push(element);
    } else {
      for (const key in item) {
        size += key.length + 4;
        pending.push(item[key]);
      }
      size += 2;
    }
    if (size > limit) return true;
  }
  return false;
}
