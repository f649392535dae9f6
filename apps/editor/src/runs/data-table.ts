import { isJsonObject, type JsonValue } from '../api/types';

/** A value laid out as a table: one row per item (an object is one row), nested fields flattened. */
export interface DataTable {
  columns: string[];
  rows: string[][];
}

function cellText(value: JsonValue | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** An object's leaf fields by dot path (`data.object.amount`); arrays stay one cell. */
function flatten(value: JsonValue, prefix = '', out = new Map<string, JsonValue>()) {
  if (isJsonObject(value)) {
    for (const [key, child] of Object.entries(value)) flatten(child, `${prefix}${key}.`, out);
    if (Object.keys(value).length === 0 && prefix) out.set(prefix.slice(0, -1), value);
  } else {
    out.set(prefix ? prefix.slice(0, -1) : 'value', value);
  }
  return out;
}

export function tableOf(value: JsonValue | undefined): DataTable {
  if (value === undefined) return { columns: [], rows: [] };
  const items = Array.isArray(value) ? value : [value];
  const flat = items.map((item) => flatten(item));
  const columns = [...new Set(flat.flatMap((fields) => [...fields.keys()]))];
  return { columns, rows: flat.map((fields) => columns.map((name) => cellText(fields.get(name)))) };
}

/** One field of a value's shape: its path, JSON type and an example value. */
export interface SchemaField {
  path: string;
  type: string;
  example: string;
}

function typeOf(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** The fields of a value (arrays through their first item), as a list of paths and types. */
export function schemaOf(value: JsonValue | undefined, prefix = ''): SchemaField[] {
  if (value === undefined) return [];
  const fields: SchemaField[] = [];
  const walk = (current: JsonValue, path: string) => {
    const item = Array.isArray(current) ? current[0] : current;
    if (!isJsonObject(item)) return;
    for (const [key, child] of Object.entries(item)) {
      const childPath = path ? `${path}.${key}` : key;
      const example = isJsonObject(child) || Array.isArray(child) ? '' : cellText(child);
      fields.push({ path: childPath, type: typeOf(child), example });
      walk(child, childPath);
    }
  };
  if (!isJsonObject(value) && !Array.isArray(value)) {
    return [{ path: prefix || '$', type: typeOf(value), example: cellText(value) }];
  }
  walk(value, prefix);
  return fields;
}
