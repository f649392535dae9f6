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
