import { Type } from '@sinclair/typebox';
import {
  defineNodeType,
  isJsonObject,
  Jsonata,
  NodeFailure,
  type JsonObject,
  type JsonValue,
} from '@hookflow/engine';
import { DOT_PATH_PATTERN, hasUnsafeKey, setAtPath } from './dot-path';

/** Sets fields on the message: literal values or JSONata results, by dot path. */
export const setNode = defineNodeType({
  type: 'set',
  label: 'Set fields',
  category: 'transform',
  version: 1,
  icon: 'pencil',
  description: 'Sets fields on the message, each a literal value or a JSONata expression.',
  isTrigger: false,
  pure: true,
  outputs: ['main'],
  params: Type.Object(
    {
      fields: Type.Array(
        Type.Object(
          {
            name: Type.String({
              pattern: DOT_PATH_PATTERN,
              description: 'Dot path, e.g. `customer.tier`',
            }),
            value: Type.Optional(Type.Unknown({ description: 'A literal JSON value' })),
            expression: Type.Optional(Jsonata({ description: 'Or a JSONata expression' })),
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 200 },
      ),
      keepOtherFields: Type.Boolean({
        default: true,
        description: 'Start from the incoming message (true) or from an empty object',
      }),
    },
    { additionalProperties: false },
  ),
  async execute(ctx, params) {
    const output: JsonObject =
      params.keepOtherFields && isJsonObject(ctx.input) ? structuredClone(ctx.input) : {};
    for (const [index, field] of params.fields.entries()) {
      if (hasUnsafeKey(field.name)) {
        throw new NodeFailure(
          'invalid_field',
          `field name ${field.name} is not allowed`,
          `/params/fields/${index}/name`,
        );
      }
      const value =
        field.expression !== undefined
          ? await ctx.evaluate(field.expression)
          : ((field.value ?? null) as JsonValue);
      setAtPath(output, field.name, value);
    }
    return { port: 'main', output };
  },
});
