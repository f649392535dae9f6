import { Type } from '@sinclair/typebox';
import { defineNodeType, Jsonata, Template } from '@hookflow/engine';

export const respondNode = defineNodeType({
  type: 'respond',
  label: 'Respond',
  category: 'flow',
  version: 1,
  icon: 'reply',
  description: 'Sets the status, headers and body answered to the webhook caller.',
  isTrigger: false,
  pure: true,
  outputs: ['main'],
  params: Type.Object(
    {
      status: Type.Integer({ minimum: 100, maximum: 599, default: 200 }),
      body: Type.Optional(Jsonata({ description: 'JSONata for the body; default: the message' })),
      headers: Type.Record(Type.String({ pattern: '^[A-Za-z0-9-]+$' }), Template(), {
        default: {},
        additionalProperties: false,
      }),
    },
    { additionalProperties: false },
  ),
  async execute(ctx, params) {
    const body = params.body === undefined ? ctx.input : await ctx.evaluate(params.body);
    const headers: Record<string, string> = {};
    for (const [name, template] of Object.entries(params.headers)) {
      headers[name] = ctx.render(template);
    }
    return { port: 'main', output: body, response: { status: params.status, headers, body } };
  },
});
