/** Building blocks of the JSONata the n8n translator writes: literals, paths, JS truthiness. */

export type StaticType = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'null' | 'unknown';

/** A field access: the current message (`$json`) or another node's output (`$('Name')...`). */
export interface PathRef {
  /** `undefined`: the message; otherwise the Hookflow node id whose output is read. */
  nodeId?: string;
  /** A callback's parameter (`$x` for `x => x.qty`): the path starts there. */
  variable?: string;
  segments: Array<string | number>;
}

export interface Emitted {
  code: string;
  type: StaticType;
  /** Set when the expression is a plain field access (templates can take those). */
  path?: PathRef;
}

/** Thrown while translating: the expression is left in place and the reason reported. */
export class Untranslatable extends Error {}

const JSONATA_RESERVED = new Set(['and', 'or', 'in', 'true', 'false', 'null', 'function']);
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A JSON string literal is a valid JSONata string literal. */
export function stringLiteral(text: string): string {
  return JSON.stringify(text);
}

export function literal(value: string | number | boolean | null): Emitted {
  if (typeof value === 'string') return { code: stringLiteral(value), type: 'string' };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Untranslatable('a number JSON cannot hold');
    return { code: String(value), type: 'number' };
  }
  if (typeof value === 'boolean') return { code: String(value), type: 'boolean' };
  return { code: 'null', type: 'null' };
}

/** A JSON value written as a JSONata constructor (objects, arrays, scalars). */
export function jsonValueCode(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(jsonValueCode).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(
      ([key, item]) => `${stringLiteral(key)}: ${jsonValueCode(item)}`,
    );
    return `{${entries.join(', ')}}`;
  }
  if (value === undefined) return 'null';
  return literal(value as string | number | boolean | null).code;
}

export function fieldName(name: string): string {
  return PLAIN_NAME.test(name) && !JSONATA_RESERVED.has(name)
    ? name
    : `\`${name.replace(/`/g, '')}\``;
}

export function pathCode(path: PathRef): string {
  let code = path.variable ?? (path.nodeId === undefined ? '' : `$nodes.${fieldName(path.nodeId)}`);
  for (const segment of path.segments) {
    if (typeof segment === 'number') code = `${code === '' ? '$' : code}[${segment}]`;
    else code = code === '' ? fieldName(segment) : `${code}.${fieldName(segment)}`;
  }
  return code === '' ? '$' : code;
}

/** The same access as a Handlebars path (`customer.name`, `@nodes.hook.body.[0]`). */
export function handlebarsPath(path: PathRef): string {
  if (path.variable !== undefined) {
    throw new Untranslatable('a callback parameter cannot be templated');
  }
  const parts: string[] = path.nodeId === undefined ? [] : [`@nodes`, path.nodeId];
  for (const segment of path.segments) {
    if (typeof segment === 'number') parts.push(`[${segment}]`);
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(segment)) parts.push(segment);
    else if (!/[\]]/.test(segment)) parts.push(`[${segment}]`);
    else throw new Untranslatable(`field name ${JSON.stringify(segment)} cannot be templated`);
  }
  return parts.length === 0 ? 'this' : parts.join('.');
}

/** Fresh variable names, so nested blocks never shadow each other by accident. */
export class Variables {
  private count = 0;
  next(): string {
    this.count += 1;
    return `$v${this.count}`;
  }
}

/**
 * JavaScript truthiness of a value in JSONata: falsy are false, 0, "", null and undefined
 * (JSONata's own `$boolean` also calls empty arrays and objects false; JavaScript does not).
 */
export function truthy(value: Emitted, variables: Variables): string {
  if (value.type === 'boolean') return value.code;
  const name = variables.next();
  return (
    `(${name} := ${value.code}; $exists(${name}) and ` +
    `$not(${name} = null or ${name} = false or ${name} = 0 or ${name} = ""))`
  );
}

/** `code` bound once to a fresh variable: `(name := code; body(name))`. */
export function bind(code: string, variables: Variables, body: (name: string) => string): string {
  const name = variables.next();
  return `(${name} := ${code}; ${body(name)})`;
}
