import { Type } from '@sinclair/typebox';
import { defineNodeType, Jsonata, NodeFailure } from '@hookflow/engine';

/** Turns an array into one message per element; downstream runs once per element. */
export const splitNode = defineNodeType({
  type: 'split',
  label: 'Split',
  category: 'flow',
  version: 1,
  icon: 'split',
  description:
    'Sends one message per element of an array; the nodes after it run once per element ' +
    '(a merge collects them back).',
  isTrigger: false,
  pure: true,
  outputs: ['main'],
  params: Type.Object(
    {
      items: Jsonata({ description: 'JSONata giving the array, e.g. `line_items`', default: '$' }),
      maxItems: Type.Integer({ minimum: 1, maximum: 100_000, default: 10_000 }),
    },
    { additionalProperties: false },
  ),
  async execute(ctx, params) {
    const value = await ctx.evaluate(params.items);
    const items = value === null ? [] : Array.isArray(value) ? value : [value];
    if (items.length > params.maxItems) {
      throw new NodeFailure(
        'too_many_items',
        `split got ${items.length} items, more than maxItems (${params.maxItems})`,
      );
    }
    return { port: 'main', output: items, items };
  },
});
