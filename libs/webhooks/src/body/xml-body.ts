import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { JsonObject, JsonValue } from '@hookflow/engine';
import {
  DROPPED_KEY,
  depthExceeded,
  keysExceeded,
  type BodyLimits,
  type BodyResult,
} from './body-limits';

export interface XmlOptions extends BodyLimits {
  /** Element names whose value is always an array, even when the element occurs once. */
  arrayElements: readonly string[];
}

/**
 * Element names fast-xml-parser refuses (`__proto__`, `constructor`, `prototype`) or renames
 * (`toString` becomes `__toString`). We escape them before the parser sees them and restore
 * them in `toJson`, so an element keeps its name as plain data; `__proto__` is then dropped.
 * U+0001 cannot occur in an XML name, so the escaped form cannot collide with a real element.
 */
const RESERVED_NAMES = new Set([
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'valueOf',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);
const ESCAPE = '\u0001';

const escapeName = (name: string): string => (RESERVED_NAMES.has(name) ? ESCAPE + name : name);
const restoreName = (key: string): string => (key.startsWith(ESCAPE) ? key.slice(1) : key);

/** Entity declarations can expand a few bytes into gigabytes; webhook XML never needs them. */
const DOCTYPE = /<!DOCTYPE/i;
const NESTING_ERROR = 'Maximum nested tags exceeded';

/**
 * The XML mapping (docs/triggers.md, "XML bodies"): the root element is the one top-level key;
 * attributes become `@_name` keys; text becomes a string, or `#text` when the element also has
 * attributes or child elements; all values stay strings (no number guessing, so zip codes and
 * long ids survive); an element that repeats within its parent becomes an array, as does every
 * element named in `arrayElements`; an empty element is `""`; comments, processing
 * instructions and the XML declaration are dropped; CDATA joins the text; namespace prefixes are
 * kept as written (`soap:Envelope`).
 */
export function parseXmlBody(text: string, options: XmlOptions): BodyResult {
  if (text.trim().length === 0) return { ok: false, status: 400, reason: 'body is empty' };
  if (DOCTYPE.test(text)) {
    return { ok: false, status: 400, reason: 'XML with a DOCTYPE declaration is not accepted' };
  }
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    const where = col === undefined ? `at line ${line}` : `at line ${line}, column ${col}`;
    return { ok: false, status: 400, reason: `body is not well-formed XML: ${msg} (${where})` };
  }
  const arrayElements = new Set(options.arrayElements.map(escapeName));
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    textNodeName: '#text',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    htmlEntities: true,
    maxNestedTags: options.maxDepth,
    transformTagName: escapeName,
    // Attribute keys carry the `@_` prefix, so none of them can be a dangerous property name.
    onDangerousProperty: (name: string) => name,
    isArray: (name: string, _path: unknown, _isLeaf: boolean, isAttribute: boolean) =>
      !isAttribute && arrayElements.has(name),
  });
  let parsed: unknown;
  try {
    parsed = parser.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (message.includes(NESTING_ERROR)) return depthExceeded(options);
    return { ok: false, status: 400, reason: `body is not well-formed XML: ${message}` };
  }
  const converted = toJson(parsed, options);
  return typeof converted === 'string'
    ? keysExceeded(options, `element <${converted}>`)
    : { ok: true, body: converted.value };
}

/**
 * Copies the parser's output into fresh JSON, restoring escaped names and dropping
 * `__proto__`. Returns the name of an element with too many keys instead, when there is one.
 */
function toJson(value: unknown, limits: BodyLimits, name = 'root'): { value: JsonValue } | string {
  if (typeof value === 'string') return { value };
  if (typeof value === 'number' || typeof value === 'boolean') return { value: String(value) };
  if (value === null || typeof value !== 'object') return { value: '' };
  if (Array.isArray(value)) {
    const items: JsonValue[] = [];
    for (const item of value) {
      const converted = toJson(item, limits, name);
      if (typeof converted === 'string') return converted;
      items.push(converted.value);
    }
    return { value: items };
  }
  const result: JsonObject = {};
  const entries = Object.entries(value);
  if (entries.length > limits.maxKeysPerObject) return name;
  for (const [key, item] of entries) {
    const restored = restoreName(key);
    if (restored === DROPPED_KEY) continue;
    const converted = toJson(item, limits, restored);
    if (typeof converted === 'string') return converted;
    result[restored] = converted.value;
  }
  return { value: result };
}
