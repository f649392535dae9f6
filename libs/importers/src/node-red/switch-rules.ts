import { jsonataPath, jsonataString, parseMsgPath } from './msg-paths';
import { typedValue } from './typed-values';

/** One rule of a Node-RED switch node, as exported. */
export interface SwitchRule {
  t?: string;
  v?: unknown;
  vt?: string;
  v2?: unknown;
  v2t?: string;
  case?: boolean;
}

export interface SwitchSource {
  property?: string;
  propertyType?: string;
  rules?: readonly SwitchRule[];
}

export interface SwitchTranslation {
  /** One JSONata condition per rule, in order. */
  conditions: string[];
  notes: string[];
}

const NUMERIC_TEXT = '/^\\s*-?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?\\s*$/';

/** The switch's property as a JSONata expression over the message. */
function propertyOf(source: SwitchSource, notes: string[]): string {
  const type = source.propertyType ?? 'msg';
  if (type === 'msg') {
    const segments = parseMsgPath(source.property ?? 'payload');
    if (segments) return jsonataPath(segments);
    notes.push(`property msg.${source.property ?? ''} is not a property path; it is null`);
    return 'null';
  }
  const value = typedValue(type, source.property, 'the property');
  if (value.note) notes.push(value.note);
  return value.expression;
}

/** JavaScript's `a < b` for a number `b`: strings holding numbers compare as numbers. */
function numericCompare(property: string, operator: string, bound: string): string {
  return (
    `($v := ${property}; $type($v) = "number" ? $v ${operator} ${bound} : ` +
    `($type($v) = "string" and $contains($v, ${NUMERIC_TEXT})) ? $number($trim($v)) ${operator} ${bound} : false)`
  );
}

function compare(property: string, operator: string, value: string, type: string): string {
  if (type === 'num') return numericCompare(property, operator, value);
  if (type === 'str') {
    const text = JSON.parse(value) as string;
    if (text.trim() !== '' && Number.isFinite(Number(text))) {
      return numericCompare(property, operator, String(Number(text)));
    }
  }
  return `($v := ${property}; $w := ${value}; $type($v) = $type($w) ? $v ${operator} $w : false)`;
}

/** Node-RED compares with `==`: `"5" == 5` holds, so both spellings of a number match. */
function equals(property: string, value: string, type: string): string {
  if (type === 'num') return `(${property} = ${value} or ${property} = ${jsonataString(value)})`;
  if (type === 'str') {
    const text = JSON.parse(value) as string;
    if (text.trim() !== '' && Number.isFinite(Number(text))) {
      return `(${property} = ${value} or ${property} = ${Number(text)})`;
    }
  }
  return `${property} = ${value}`;
}

function typeTest(property: string, type: string, notes: string[], where: string): string {
  switch (type) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'array':
    case 'object':
    case 'null':
      return `$type(${property}) = ${jsonataString(type)}`;
    case 'undefined':
      return `$not($exists(${property}))`;
    case 'json':
      notes.push(`${where}: "is of type JSON" is approximated by "a string starting like JSON"`);
      return `($type(${property}) = "string" and $contains(${property}, /^\\s*[\\[{"0-9tfn-]/))`;
    default:
      notes.push(`${where}: type "${type}" does not exist in Hookflow; the rule never matches`);
      return 'false';
  }
}

const IS_EMPTY = (p: string): string =>
  `(($type(${p}) = "string" and ${p} = "") or ($type(${p}) = "array" and $count(${p}) = 0) or ` +
  `($type(${p}) = "object" and $count($keys(${p})) = 0))`;
const IS_NOT_EMPTY = (p: string): string =>
  `(($type(${p}) = "string" and ${p} != "") or ($type(${p}) = "array" and $count(${p}) > 0) or ` +
  `($type(${p}) = "object" and $count($keys(${p})) > 0))`;

function ruleCondition(rule: SwitchRule, property: string, notes: string[], where: string): string {
  const first = (): string => {
    const value = typedValue(rule.vt, rule.v, where);
    if (value.note) notes.push(value.note);
    return value.expression;
  };
  const type = rule.vt ?? 'str';
  switch (rule.t) {
    case 'eq':
      return equals(property, first(), type);
    case 'neq':
      return `$not(${equals(property, first(), type)})`;
    case 'lt':
      return compare(property, '<', first(), type);
    case 'lte':
      return compare(property, '<=', first(), type);
    case 'gt':
      return compare(property, '>', first(), type);
    case 'gte':
      return compare(property, '>=', first(), type);
    case 'btwn': {
      const low = first();
      if (type === 'num' && rule.v2t === 'num') {
        // Node-RED accepts the bounds in either order.
        const [min, max] = [Number(rule.v), Number(rule.v2)].sort((a, b) => a - b);
        return `(${numericCompare(property, '>=', String(min))} and ${numericCompare(property, '<=', String(max))})`;
      }
      const high = typedValue(rule.v2t, rule.v2, where);
      if (high.note) notes.push(high.note);
      const second = rule.v2t ?? 'str';
      return (
        `((${compare(property, '>=', low, type)} and ${compare(property, '<=', high.expression, second)}) or ` +
        `(${compare(property, '<=', low, type)} and ${compare(property, '>=', high.expression, second)}))`
      );
    }
    case 'cont':
      return `$contains($string(${property}), $string(${first()}))`;
    case 'regex': {
      const pattern = String(rule.v ?? '').replace(/(^|[^\\])\//g, '$1\\/');
      return `$contains($string(${property}), /${pattern}/${rule.case === true ? 'i' : ''})`;
    }
    case 'true':
      return `${property} = true`;
    case 'false':
      return `${property} = false`;
    case 'null':
      return `($not($exists(${property})) or ${property} = null)`;
    case 'nnull':
      return `($exists(${property}) and ${property} != null)`;
    case 'empty':
      return IS_EMPTY(property);
    case 'nempty':
      return IS_NOT_EMPTY(property);
    case 'istype':
      return typeTest(property, String(rule.v ?? ''), notes, where);
    case 'hask':
      return `($type(${property}) = "object" and $exists($lookup(${property}, $string(${first()}))))`;
    case 'jsonata_exp':
      return `(${first()}) = true`;
    default:
      notes.push(
        `${where}: the "${rule.t ?? ''}" rule (message sequences) is not converted; it never matches`,
      );
      return 'false';
  }
}

/**
 * Node-RED switch rules as JSONata conditions over the message. `otherwise` means "none of the
 * rules before it matched": `true` after a first-match switch's earlier rules, else their
 * negation.
 */
export function translateSwitchRules(
  source: SwitchSource,
  mode: 'first' | 'all' = 'all',
): SwitchTranslation {
  const notes: string[] = [];
  const property = propertyOf(source, notes);
  const conditions: string[] = [];
  (source.rules ?? []).forEach((rule, index) => {
    const where = `rule ${index + 1} (${rule.t ?? '?'})`;
    if (rule.t === 'else') {
      // In "first match" mode it is only reached when nothing before it matched.
      conditions.push(
        conditions.length === 0 || mode === 'first'
          ? 'true'
          : `$not(${conditions.map((c) => `(${c})`).join(' or ')})`,
      );
      return;
    }
    conditions.push(ruleCondition(rule, property, notes, where));
  });
  return { conditions, notes };
}
