import { Type } from '@sinclair/typebox';
import { defineNodeType } from '@hookflow/engine';

/**
 * The flow's entry point. Its URL (`/hooks/<hookId>`) is assigned by the API and is stable for
 * the life of the node. Its output is the request body; headers and query stay in `$trigger`.
 */
export const webhookTrigger = defineNodeType({
  type: 'trigger.webhook',
  label: 'Webhook',
  category: 'trigger',
  description: 'Starts the flow when a request is posted to its URL.',
  isTrigger: true,
  outputs: ['main'],
  params: Type.Object(
    {
      respond: Type.Union([Type.Literal('immediately')], {
        default: 'immediately',
        description: 'When the caller gets its answer: at once, with 202 and the execution id',
      }),
    },
    { additionalProperties: false },
  ),
  async execute(ctx) {
    return { port: 'main', output: ctx.trigger.body };
  },
});
