import type { JsonSchema } from '../api/types';

export type FieldKind =
  | { kind: 'expression'; language: 'jsonata' | 'handlebars' }
  | { kind: 'select'; options: string[] }
  | { kind: 'multi-select'; options: string[] }
  | { kind: 'text' }
  | { kind: 'number'; integer: boolean }
  | { kind: 'boolean' }
  | { kind: 'string-list' }
  | { kind: 'record'; valueSchema: JsonSchema }
  | { kind: 'object'; schema: JsonSchema }
  | { kind: 'json' };

function literalOptions(schema: JsonSchema): string[] | undefined {
  const branches = schema.anyOf;
  if (!branches || branches.length === 0) return undefined;
  const values = branches.map((branch) => branch.const);
  return values.every((value): value is string => typeof value === 'string') ? values : undefined;
}

/** Which control a params property gets, from its JSON Schema. */
export function fieldKind(schema: JsonSchema): FieldKind {
  const language = schema['x-hookflow-expression'];
  if (language) return { kind: 'expression', language };
  const options = literalOptions(schema);
  if (options) return { kind: 'select', options };
  if (schema.anyOf) {
    const expression = schema.anyOf.find((branch) => branch['x-hookflow-expression']);
    if (expression?.['x-hookflow-expression']) {
      return { kind: 'expression', language: expression['x-hookflow-expression'] };
    }
    return { kind: 'json' };
  }
  switch (schema.type) {
    case 'string':
      return { kind: 'text' };
    case 'integer':
    case 'number':
      return { kind: 'number', integer: schema.type === 'integer' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'array': {
      const itemOptions = schema.items ? literalOptions(schema.items) : undefined;
      if (itemOptions) return { kind: 'multi-select', options: itemOptions };
      return schema.items?.type === 'string' ? { kind: 'string-list' } : { kind: 'json' };
    }
    case 'object': {
      const pattern = schema.patternProperties
        ? Object.values(schema.patternProperties)[0]
        : undefined;
      if (pattern && !schema.properties) return { kind: 'record', valueSchema: pattern };
      return schema.properties ? { kind: 'object', schema } : { kind: 'json' };
    }
    default:
      return { kind: 'json' };
  }
}
