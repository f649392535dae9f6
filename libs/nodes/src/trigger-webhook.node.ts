import { Type } from '@sinclair/typebox';
import { defineNodeType, Jsonata } from '@hookflow/engine';

const Dedup = Type.Object(
  {
    mode: Type.Union([Type.Literal('auto'), Type.Literal('expression'), Type.Literal('off')], {
      default: 'auto',
      description:
        'auto: a provider delivery id (webhook-id, X-GitHub-Delivery, X-Shopify-Webhook-Id, ' +
        'Idempotency-Key, ...) or a Stripe event id; expression: the JSONata below; off: none',
    }),
    expression: Type.Optional(
      Jsonata({
        description:
          'JSONata over { method, headers, query, body } giving the key, e.g. `body.delivery.id`',
      }),
    ),
    windowHours: Type.Number({ minimum: 0.01, maximum: 720, default: 72 }),
  },
  { additionalProperties: false, default: {} },
);

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
      dedup: Dedup,
    },
    { additionalProperties: false },
  ),
  async execute(ctx) {
    return { port: 'main', output: ctx.trigger.body };
  },
});
