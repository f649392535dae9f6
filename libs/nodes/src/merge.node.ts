import { Type } from '@sinclair/typebox';
import { defineNodeType, Jsonata } from '@hookflow/engine';

/**
 * Waits for everything that reaches it — all items of a split (as an array, in order), or one
 * message per incoming edge (as an object keyed by sender node id) — and runs once.
 */
export const mergeNode = defineNodeType({
  type: 'merge',
  label: 'Merge',
  category: 'flow',
  version: 1,
  icon: 'merge',
  description:
    'Collects the items of a split into one array, or the messages of its incoming branches ' +
    'into one object keyed by node id; then passes one message on.',
  isTrigger: false,
  pure: true,
  outputs: ['main'],
  collects: true,
  params: Type.Object(
    {
      combine: Type.Optional(
        Jsonata({ description: 'JSONata over the collected value, e.g. `$sum(status)`' }),
      ),
    },
    { additionalProperties: false },
  ),
  async execute(ctx, params) {
    const output = params.combine === undefined ? ctx.input : await ctx.evaluate(params.combine);
    return { port: 'main', output };
  },
});
