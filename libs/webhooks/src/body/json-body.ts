import type { JsonValue } from '@hookflow/engine';
import {
  DROPPED_KEY,
  depthExceeded,
  keysExceeded,
  type BodyLimits,
  type BodyResult,
} from './body-limits';
import { parseJsonLossless } from './lossless-json';

/**
 * Any integer beyond 2^53 has at least 16 digits. Without such a run of digits anywhere in the
 * text, JSON.parse cannot round an integer, so its result equals the lossless parser's.
 */
const LONG_DIGIT_RUN = /\d{16}/;

/** Why the fast path gave up: the lossless parser must decide (and word any error). */
const NEEDS_LOSSLESS = 'needs-lossless';

/**
 * Parses a JSON body. Fast path: JSON.parse, then one walk that checks the limits and drops
 * `__proto__` keys in place. The lossless parser takes over when the text holds a long digit
 * run, when a number overflowed, and when JSON.parse failed (so that every syntax error is
 * worded the same way, with line and column).
 */
export function parseJsonBody(text: string, limits: BodyLimits): BodyResult {
  return parseJsonBodyExactly(text, limits).result;
}

/**
 * parseJsonBody, also saying whether JSON.parse of the text gives the body again (`exact`: the
 * fast path kept every number and key), so that the text itself can be stored as the body's
 * JSON instead of a re-serialized copy.
 */
export function parseJsonBodyExactly(
  text: string,
  limits: BodyLimits,
): { result: BodyResult; exact: boolean } {
  const lossless = () => ({ result: parseJsonLossless(text, limits), exact: false });
  if (text.trim().length === 0) {
    return { result: { ok: false, status: 400, reason: 'body is empty' }, exact: false };
  }
  if (LONG_DIGIT_RUN.test(text)) return lossless();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return lossless();
  }
  const walk = { dropped: false };
  const verdict = checkParsed(parsed, 0, limits, walk);
  if (verdict === NEEDS_LOSSLESS) return lossless();
  if (verdict) return { result: verdict, exact: false };
  return { result: { ok: true, body: parsed as JsonValue }, exact: !walk.dropped };
}

type WalkVerdict = Extract<BodyResult, { ok: false }> | typeof NEEDS_LOSSLESS | undefined;

function checkParsed(
  value: unknown,
  depth: number,
  limits: BodyLimits,
  walk: { dropped: boolean },
): WalkVerdict {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : NEEDS_LOSSLESS;
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth + 1 > limits.maxDepth) return depthExceeded(limits);
  if (Array.isArray(value)) {
    for (const item of value) {
      const verdict = checkParsed(item, depth + 1, limits, walk);
      if (verdict) return verdict;
    }
    return undefined;
  }
  const record = value as Record<string, unknown>;
  // JSON.parse makes `__proto__` an own data property (harmless here, but not downstream).
  if (Object.prototype.hasOwnProperty.call(record, DROPPED_KEY)) {
    delete record[DROPPED_KEY];
    walk.dropped = true;
  }
  const keys = Object.keys(record);
  if (keys.length > limits.maxKeysPerObject) return keysExceeded(limits);
  for (const key of keys) {
    const verdict = checkParsed(record[key], depth + 1, limits, walk);
    if (verdict) return verdict;
  }
  return undefined;
}
