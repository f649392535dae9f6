import { jsonataPath, jsonataString, parseMsgPath } from './msg-paths';

/**
 * A Node-RED "typed input" (a value with its type: `str`, `num`, `msg`, `jsonata`, `flow`...) as
 * a JSONata expression evaluated with the message as `$`. Context stores, the environment and
 * buffers have no Hookflow equivalent: they become `null` and a note says so.
 */
/** Functions Node-RED adds to JSONata that Hookflow does not. */
export const NODE_RED_FUNCTIONS = /\$(flowContext|globalContext|env)\s*\(/;

export interface TypedValue {
  expression: string;
  /** Set when the value is not what Node-RED would use. */
  note?: string;
}

/** JSON as a JSONata literal: JSON's syntax is valid JSONata for objects, arrays and scalars. */
function literal(value: unknown): string {
  return JSON.stringify(value);
}

export function typedValue(type: string | undefined, raw: unknown, where: string): TypedValue {
  const value = typeof raw === 'string' ? raw : raw === undefined ? '' : String(raw);
  switch (type ?? 'str') {
    case 'str':
      return { expression: jsonataString(value) };
    case 'num': {
      const number = Number(value);
      return Number.isFinite(number) && value.trim() !== ''
        ? { expression: String(number) }
        : { expression: 'null', note: `${where}: "${value}" is not a number` };
    }
    case 'bool':
      return { expression: value === 'true' ? 'true' : 'false' };
    case 'json':
      try {
        return { expression: literal(JSON.parse(value)) };
      } catch {
        return { expression: 'null', note: `${where}: the JSON value does not parse` };
      }
    case 'msg': {
      const segments = parseMsgPath(value);
      return segments
        ? { expression: jsonataPath(segments) }
        : { expression: 'null', note: `${where}: "msg.${value}" is not a property path` };
    }
    case 'jsonata':
      if (value.trim() === '') {
        return { expression: 'null', note: `${where}: empty JSONata expression` };
      }
      return NODE_RED_FUNCTIONS.test(value)
        ? {
            expression: `(${value})`,
            note: `${where}: the expression calls $flowContext, $globalContext or $env, which Hookflow does not have (it fails when evaluated)`,
          }
        : { expression: `(${value})` };
    case 'date':
      // Node-RED: milliseconds since the epoch by default; `iso` and `object` give the ISO text.
      return value === 'iso' || value === 'object'
        ? { expression: '$now()' }
        : { expression: '$millis()' };
    case 'flow':
    case 'global':
      return {
        expression: 'null',
        note: `${where}: reads ${type}.${value}; Hookflow has no ${type} context, so it is null`,
      };
    case 'env':
      return {
        expression: 'null',
        note: `${where}: reads the environment variable ${value}; Hookflow flows cannot, so it is null`,
      };
    default:
      return { expression: 'null', note: `${where}: values of type "${type}" are not converted` };
  }
}
