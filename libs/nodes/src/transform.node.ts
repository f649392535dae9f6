import { Type } from '@sinclair/typebox';
import { defineNodeType, Jsonata } from '@hookflow/engine';

export const transformNode = defineNodeType({
  type: 'transform',
  label: 'Transform',
  category: 'transform',
  version: 1,
  icon: 'shuffle',
  description: 'Maps the message to a new shape with a JSONata expression.',
  isTrigger: false,
  pure: true,
  outputs: ['main'],
  params: Type.Object(
    {
      expression: Jsonata({
        description: 'JSONata; `$` is the message, `$trigger`, `$nodes`, `$execution` are bound',
      }),
    },
    { additionalProperties: false },
  ),
  async execute(ctx, params) {
    return { port: 'main', output: await ctx.evaluate(params.expression) };
  },
});
