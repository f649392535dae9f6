import type { JsonSchema } from '../api/types';

/** The schema with only the named properties (in the schema's order). */
export function pickProperties(schema: JsonSchema, names: readonly string[]): JsonSchema {
  const properties = Object.fromEntries(
    Object.entries(schema.properties ?? {}).filter(([name]) => names.includes(name)),
  );
  return { ...schema, properties };
}

/** The schema without the named properties (they get a dedicated control elsewhere). */
export function omitProperties(schema: JsonSchema, names: readonly string[]): JsonSchema {
  const properties = Object.fromEntries(
    Object.entries(schema.properties ?? {}).filter(([name]) => !names.includes(name)),
  );
  return { ...schema, properties };
}

/** The string constants of a `anyOf: [{ const }]` schema (a TypeBox union of literals). */
export function literalValues(schema: JsonSchema | undefined): string[] {
  return (schema?.anyOf ?? []).flatMap((branch) =>
    typeof branch.const === 'string' ? [branch.const] : [],
  );
}
