import { isJsonObject, type JsonObject, type JsonValue } from '@hookflow/engine';

/** A dot path as the set and template nodes accept it: `customer.address.city`. */
export const DOT_PATH_PATTERN = '^[A-Za-z_$][A-Za-z0-9_$-]*(\\.[A-Za-z_$][A-Za-z0-9_$-]*)*$';

const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Whether a dot path names a key that would reach an object's prototype. */
export function hasUnsafeKey(path: string): boolean {
  return path.split('.').some((key) => UNSAFE_KEYS.has(key));
}

/**
 * Writes `value` at a dot path (`customer.address.city`) of `target`, creating objects on the
 * way and copying the ones it passes through (the incoming message is never changed in place).
 * Shared by the set and template nodes; callers refuse unsafe keys (`__proto__`) before.
 */
export function setAtPath(target: JsonObject, path: string, value: JsonValue): void {
  const keys = path.split('.');
  let cursor = target;
  keys.forEach((key, index) => {
    if (index === keys.length - 1) {
      cursor[key] = value;
      return;
    }
    const next = cursor[key];
    cursor[key] = isJsonObject(next) ? { ...next } : {};
    cursor = cursor[key] as JsonObject;
  });
}
