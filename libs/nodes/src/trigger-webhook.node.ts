import { Type } from '@sinclair/typebox';
import { defineNodeType, Jsonata } from '@hookflow/engine';

export const HOOK_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

const Auth = Type.Object(
  {
    scheme: Type.Union(
      [
        'github',
        'stripe',
        'slack',
        'shopify',
        'twilio',
        'standard-webhooks',
        'hmac',
        'header-token',
        'basic-auth',
      ].map((scheme) => Type.Literal(scheme)),
      { description: 'How the sender proves itself; a failed check answers 401' },
    ),
    credential: Type.String({
      minLength: 1,
      description:
        'Name of the credential with the secrets: hmac-secret (signatures, tokens; several for ' +
        'rotation), http-basic, http-bearer or http-header',
    }),
    toleranceSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400, default: 300 })),
    url: Type.Optional(
      Type.String({ description: 'Twilio: the URL as configured in Twilio (behind a proxy)' }),
    ),
    header: Type.Optional(Type.String({ minLength: 1, description: 'hmac / header-token header' })),
    prefix: Type.Optional(Type.String({ description: 'e.g. `sha256=` or `Bearer `' })),
    algorithm: Type.Optional(
      Type.Union([Type.Literal('sha1'), Type.Literal('sha256'), Type.Literal('sha512')]),
    ),
    encoding: Type.Optional(Type.Union([Type.Literal('hex'), Type.Literal('base64')])),
    timestampHeader: Type.Optional(
      Type.String({
        description: 'hmac over `<timestamp><separator><body>`: the timestamp header',
      }),
    ),
    separator: Type.Optional(Type.String()),
    signedContent: Type.Optional(
      Type.Union(
        [
          Type.Object({ kind: Type.Literal('body') }, { additionalProperties: false }),
          Type.Object(
            {
              kind: Type.Literal('timestamp-body'),
              timestampHeader: Type.String({ minLength: 1 }),
              separator: Type.Optional(Type.String({ default: '.' })),
              toleranceSeconds: Type.Optional(
                Type.Integer({ minimum: 1, maximum: 86_400, default: 300 }),
              ),
            },
            { additionalProperties: false },
          ),
        ],
        {
          description:
            'hmac: what is signed, `{ kind: "body" }` or `{ kind: "timestamp-body", ' +
            'timestampHeader, separator?, toleranceSeconds? }` (the flat fields say the same)',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

/** Bounds on a parsed body (docs/triggers.md, Limits); unset: parseBody's defaults. */
const bodyLimits = {
  maxDepth: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 1_000, description: 'Deepest nesting; default 64' }),
  ),
  maxKeysPerObject: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 1_000_000,
      description: 'Most keys in one object, XML element or form; default 10000',
    }),
  ),
  maxParts: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 100_000,
      description: 'Most multipart parts; default 1000',
    }),
  ),
  maxFileBytes: Type.Optional(
    Type.Integer({
      minimum: 1,
      description: 'Largest multipart file, in bytes (413 above); default 10 MiB',
    }),
  ),
  maxAttachmentBytes: Type.Optional(
    Type.Integer({
      minimum: 0,
      description:
        'Multipart files up to this size keep their bytes, base64, as `content`; default 1 MiB',
    }),
  ),
  xmlArrayElements: Type.Optional(
    Type.Array(Type.String({ minLength: 1 }), {
      maxItems: 200,
      uniqueItems: true,
      description: 'XML element names that are always arrays, even when they occur once',
    }),
  ),
};

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
  version: 1,
  icon: 'webhook',
  description: 'Starts the flow when a request is posted to its URL.',
  isTrigger: true,
  pure: true,
  outputs: ['main'],
  params: Type.Object(
    {
      respond: Type.Union([Type.Literal('immediately'), Type.Literal('when-finished')], {
        default: 'immediately',
        description:
          'immediately: 202 with the execution id at once. when-finished: wait for the run and ' +
          "answer with the respond node's status/headers/body (or the last output); after " +
          'timeoutMs, 202 with the execution id and a status URL',
      }),
      timeoutMs: Type.Integer({ minimum: 100, maximum: 120_000, default: 10_000 }),
      methods: Type.Array(Type.Union(HOOK_METHODS.map((method) => Type.Literal(method))), {
        minItems: 1,
        uniqueItems: true,
        default: ['POST'],
        description: 'Accepted methods',
      }),
      ipAllow: Type.Optional(
        Type.Array(Type.String({ minLength: 1 }), {
          maxItems: 200,
          description: 'CIDRs or addresses allowed to post (IPv4 and IPv6); others get 403',
        }),
      ),
      maxBodyBytes: Type.Optional(
        Type.Integer({
          minimum: 1,
          description: 'Body size limit for this trigger (at most HOOKFLOW_MAX_BODY_BYTES)',
        }),
      ),
      rateLimit: Type.Optional(
        Type.Object(
          {
            requests: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
            perSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
          },
          {
            additionalProperties: false,
            description:
              'At most `requests` deliveries per `perSeconds`; more get 429 + Retry-After. With `auth`, only ' +
              'verified deliveries count; failed verifications get the same limit per client address, apart',
          },
        ),
      ),
      dedup: Dedup,
      auth: Type.Optional(Auth),
      ...bodyLimits,
    },
    { additionalProperties: false },
  ),
  async execute(ctx) {
    return { port: 'main', output: ctx.trigger.body };
  },
});
