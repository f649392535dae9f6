import { Type } from '@sinclair/typebox';
import { defineNodeType, Jsonata, type JsonObject } from '@hookflow/engine';
import { isTruthy } from './filter.node';

const PORT_NAME = '^[A-Za-z][A-Za-z0-9_-]{0,31}$';

/** The rule ports a switch declares in its params (plus `default`). */
function rulePorts(params: JsonObject): string[] {
  const rules = Array.isArray(params.rules) ? params.rules : [];
  return rules.flatMap((rule) =>
    typeof rule === 'object' &&
    rule !== null &&
    !Array.isArray(rule) &&
    typeof rule.port === 'string'
      ? [rule.port]
      : [],
  );
}

/**
 * Routes by rules evaluated in order: the first matching rule's port (mode `first`) or every
 * matching rule's port (mode `all`); `default` when none matches.
 */
export const switchNode = defineNodeType({
  type: 'switch',
  label: 'Switch',
  category: 'flow',
  version: 1,
  icon: 'git-branch',
  description: 'Sends the message to the port of the first (or every) rule whose condition holds.',
  isTrigger: false,
  pure: true,
  outputs: ['default'],
  dynamicOutputs: rulePorts,
  params: Type.Object(
    {
      rules: Type.Array(
        Type.Object(
          {
            port: Type.String({ pattern: PORT_NAME, description: 'Output port name, e.g. `eu`' }),
            condition: Jsonata({ description: 'JSONata condition, e.g. `country in ["DE","FR"]`' }),
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 50 },
      ),
      mode: Type.Union([Type.Literal('first'), Type.Literal('all')], { default: 'first' }),
    },
    { additionalProperties: false },
  ),
  async execute(ctx, params) {
    const matched: string[] = [];
    for (const rule of params.rules) {
      if (!isTruthy(await ctx.evaluate(rule.condition))) continue;
      if (!matched.includes(rule.port)) matched.push(rule.port);
      if (params.mode === 'first') break;
    }
    return { port: matched.length > 0 ? matched : ['default'], output: ctx.input };
  },
});
