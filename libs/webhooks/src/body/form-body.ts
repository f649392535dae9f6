import type { JsonObject } from '@hookflow/engine';
import {
  DROPPED_KEY,
  appendValue,
  keysExceeded,
  type BodyLimits,
  type BodyResult,
} from './body-limits';

/**
 * The `name=value` pairs of an `application/x-www-form-urlencoded` body, decoded (`+` is a
 * space, `%XX` a byte of UTF-8), in the order sent. Malformed escapes are kept as written,
 * as browsers do. Signature schemes that sign form fields (Twilio) use these pairs unfiltered.
 */
export function parseFormPairs(text: string): Array<[string, string]> {
  return [...new URLSearchParams(text)];
}

/**
 * A form body as JSON: one key per field name, a string value, or an array of the values in
 * order when the name repeats. Names are taken literally: `items[0][sku]` stays one key (no
 * bracket nesting, which is where form parsers have historically polluted prototypes).
 */
export function parseFormBody(text: string, limits: BodyLimits): BodyResult {
  const body: JsonObject = {};
  let keyCount = 0;
  for (const [name, value] of parseFormPairs(text)) {
    if (name === DROPPED_KEY) continue;
    if (!Object.prototype.hasOwnProperty.call(body, name) && ++keyCount > limits.maxKeysPerObject) {
      return keysExceeded(limits, 'the form');
    }
    appendValue(body, name, value);
  }
  return { ok: true, body };
}
