import type { JsonSchema, JsonValue } from '../api/types';

const UNIT_WORDS: Record<string, string> = {
  ms: 'milliseconds',
  s: 'seconds',
  h: 'hours',
  bytes: 'bytes',
  items: 'items',
  requests: 'requests',
};

/** A unit for reading aloud and in messages ("ms" → "milliseconds"). */
export function unitWord(unit: string): string {
  return UNIT_WORDS[unit] ?? unit;
}

/** The placeholder of an empty field: an example when the schema has one, else its default. */
export function placeholderFor(schema: JsonSchema): string | undefined {
  const example = schema.examples?.[0];
  if (example !== undefined) {
    return `e.g. ${typeof example === 'string' ? example : JSON.stringify(example)}`;
  }
  if (schema.default === undefined) return undefined;
  return `default: ${typeof schema.default === 'string' ? schema.default : JSON.stringify(schema.default)}`;
}

/**
 * What is wrong with a field's value, checked as it is typed (the API checks the whole flow on
 * save): a required field left empty, a number out of range, text not matching its pattern.
 */
export function fieldProblems(
  schema: JsonSchema,
  value: JsonValue | undefined,
  required: boolean,
): string[] {
  if (value === undefined || value === '') return required ? ['Required'] : [];
  const unit = schema['x-hookflow-unit'];
  const suffix = unit ? ` ${unitWord(unit)}` : '';
  const problems: string[] = [];
  if (typeof value === 'number') {
    if (schema.type === 'integer' && !Number.isInteger(value))
      problems.push('Must be a whole number');
    if (schema.minimum !== undefined && value < schema.minimum) {
      problems.push(`Must be at least ${schema.minimum}${suffix}`);
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      problems.push(`Must be at most ${schema.maximum}${suffix}`);
    }
  }
  if (typeof value === 'string' && schema.pattern && !schema['x-hookflow-expression']) {
    if (!new RegExp(schema.pattern, 'u').test(value)) problems.push('Has the wrong form');
  }
  return problems;
}
