import { Type } from '@sinclair/typebox';
import { defineNodeType, Jsonata, type JsonValue } from '@hookflow/engine';

/** JSONata's own truthiness (`$boolean`), so a condition means the same here as in the docs. */
export function isTruthy(value: JsonValue): boolean {
  if (value === null) return false;
  if (Array.isArray(value)) return value.some((item) => isTruthy(item));
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}

export const filterNode = defineNodeType({
  type: 'filter',
  label: 'Filter',
  category: 'flow',
  version: 1,
  icon: 'filter',
  description: 'Sends the message to `true` when the condition holds, else to `false`.',
  isTrigger: false,
  pure: true,
  outputs: ['true', 'false'],
  params: Type.Object(
    { condition: Jsonata({ description: 'JSONata condition, e.g. `amount > 100`' }) },
    { additionalProperties: false },
  ),
  async execute(ctx, params) {
    const verdict = isTruthy(await ctx.evaluate(params.condition));
    return { port: verdict ? 'true' : 'false', output: ctx.input };
  },
});
