import type { TSchema } from '@sinclair/typebox';
import { isJsonObject, type AnyNodeType, type JsonObject, type JsonValue } from '@hookflow/engine';
import { PARAM_DOCS, type ParamDoc } from './param-docs';

export const JSON_SCHEMA_DRAFT = 'http://json-schema.org/draft-07/schema#';

/** A node type as published: `GET /api/node-types` and docs/node-types.json serve this shape. */
export interface PublishedNodeType extends JsonObject {
  type: string;
  label: string;
  category: string;
  version: number;
  icon: string;
  description: string;
  isTrigger: boolean;
  outputs: string[];
  /** Ports also come from the params (a switch's `rules[].port`): editors derive them. */
  dynamicOutputs: boolean;
  /**
   * JSON Schema (draft-07) of the params; expression fields carry `x-hookflow-expression`, every
   * param a `title` (and, where they help, `description`, `examples`, `x-hookflow-unit`).
   */
  params: JsonObject;
}

/** A TypeBox schema as plain JSON Schema: the symbol-keyed TypeBox metadata is dropped. */
export function plainSchema(schema: TSchema): JsonObject {
  return JSON.parse(JSON.stringify(schema)) as JsonObject;
}

/**
 * compileFlow fills in defaults before it checks params, so a param with a default may be left
 * out of a flow document. TypeBox still lists it as required; published, it is optional.
 */
function withDefaultsOptional(schema: JsonValue): JsonValue {
  if (Array.isArray(schema)) return schema.map(withDefaultsOptional);
  if (!isJsonObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) out[key] = withDefaultsOptional(value);
  const properties = out.properties;
  if (Array.isArray(out.required) && isJsonObject(properties)) {
    const required = out.required.filter((name) => {
      const property = typeof name === 'string' ? properties[name] : undefined;
      return !(isJsonObject(property) && 'default' in property);
    });
    if (required.length > 0) out.required = required;
    else delete out.required;
  }
  return out;
}

/** The schema with each property's form text (PARAM_DOCS) merged in, nested objects too. */
function withParamDocs(
  schema: JsonObject,
  docs: Readonly<Record<string, ParamDoc>>,
  prefix = '',
): JsonObject {
  const properties = schema.properties;
  if (!isJsonObject(properties)) return schema;
  const documented: JsonObject = {};
  for (const [name, property] of Object.entries(properties)) {
    if (!isJsonObject(property)) {
      documented[name] = property;
      continue;
    }
    const doc = docs[prefix + name];
    const nested = withParamDocs(property, docs, `${prefix}${name}.`);
    documented[name] = doc
      ? {
          ...nested,
          title: doc.title,
          ...(doc.description ? { description: doc.description } : {}),
          ...(doc.examples ? { examples: doc.examples } : {}),
          ...(doc.unit ? { 'x-hookflow-unit': doc.unit } : {}),
        }
      : nested;
  }
  return { ...schema, properties: documented };
}

export function publishNodeType(nodeType: AnyNodeType): PublishedNodeType {
  return {
    type: nodeType.type,
    label: nodeType.label,
    category: nodeType.category,
    version: nodeType.version,
    icon: nodeType.icon,
    description: nodeType.description,
    isTrigger: nodeType.isTrigger,
    outputs: [...nodeType.outputs],
    dynamicOutputs: nodeType.dynamicOutputs !== undefined,
    params: {
      $schema: JSON_SCHEMA_DRAFT,
      ...withParamDocs(
        withDefaultsOptional(plainSchema(nodeType.params)) as JsonObject,
        PARAM_DOCS[nodeType.type] ?? {},
      ),
    },
  };
}
