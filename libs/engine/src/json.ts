/** A JSON value: what travels between nodes, what is stored, what is exported. */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Turns whatever an expression produced into plain JSON: drops functions and undefined,
 * unwraps JSONata sequences (arrays with extra flags) and rejects cycles by construction
 * (JSONata cannot build them).
 */
export function toJson(value: unknown): JsonValue {
  if (value === undefined || typeof value === 'function') return null;
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return null;
    return value as JsonPrimitive;
  }
  if (Array.isArray(value)) return value.map((item) => toJson(item));
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || typeof item === 'function') continue;
    out[key] = toJson(item);
  }
  return out;
}
