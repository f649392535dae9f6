import { Type } from '@sinclair/typebox';
import {
  defineNodeType,
  Jsonata,
  NodeFailure,
  parseRetryAfter,
  Template,
  type JsonValue,
  type NodeContext,
} from '@hookflow/engine';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;

const TemplateBody = Type.Object(
  {
    template: Template({ description: 'Handlebars; rendered against the message' }),
    contentType: Type.String({ default: 'application/json' }),
  },
  { additionalProperties: false },
);

const params = Type.Object(
  {
    method: Type.Union(
      METHODS.map((method) => Type.Literal(method)),
      { default: 'POST' },
    ),
    url: Template({ description: 'Target URL; may use Handlebars, e.g. `.../orders/{{id}}`' }),
    headers: Type.Record(Type.String({ pattern: '^[A-Za-z0-9-]+$' }), Template(), {
      default: {},
      additionalProperties: false,
    }),
    body: Type.Optional(
      Type.Union([Jsonata({ description: 'JSONata producing the JSON body' }), TemplateBody], {
        description:
          'A JSONata expression (string) sent as JSON, or { template } rendered by Handlebars. ' +
          'Without it, POST/PUT/PATCH send the message as JSON.',
      }),
    ),
    timeoutMs: Type.Integer({ minimum: 100, maximum: 120_000, default: 10_000 }),
    failOnStatus: Type.Boolean({
      default: true,
      description: 'Fail the node when the answer is not 2xx',
    }),
  },
  { additionalProperties: false },
);

type HttpParams = (typeof params)['static'];

async function buildBody(
  ctx: NodeContext,
  config: HttpParams,
): Promise<{ body?: string; contentType?: string }> {
  if (config.method === 'GET' || config.method === 'HEAD') return {};
  if (typeof config.body === 'string') {
    return {
      body: JSON.stringify(await ctx.evaluate(config.body)),
      contentType: 'application/json',
    };
  }
  if (config.body) {
    return { body: ctx.render(config.body.template), contentType: config.body.contentType };
  }
  if (config.method === 'DELETE') return {};
  return { body: JSON.stringify(ctx.input), contentType: 'application/json' };
}

function parseResponseBody(body: string, contentType: string | undefined): JsonValue {
  if (contentType && /[/+]json\b/i.test(contentType) && body.length > 0) {
    try {
      return JSON.parse(body) as JsonValue;
    } catch {
      return body;
    }
  }
  return body;
}

export const httpRequestNode = defineNodeType({
  type: 'http.request',
  label: 'HTTP request',
  category: 'action',
  description: 'Calls an HTTP endpoint and outputs its status, headers and body.',
  isTrigger: false,
  outputs: ['main'],
  params,
  async execute(ctx, config) {
    const url = ctx.render(config.url).trim();
    const headers: Record<string, string> = {};
    for (const [name, template] of Object.entries(config.headers)) {
      headers[name.toLowerCase()] = ctx.render(template);
    }
    const { body, contentType } = await buildBody(ctx, config);
    if (contentType && !headers['content-type']) headers['content-type'] = contentType;
    // Replays after a crash repeat the in-flight call; the key lets the receiver drop it.
    headers['idempotency-key'] ??= ctx.idempotencyKey;

    const response = await ctx.http.request({
      method: config.method,
      url,
      headers,
      body,
      timeoutMs: config.timeoutMs,
      signal: ctx.signal,
    });
    const output = {
      status: response.status,
      headers: response.headers,
      body: parseResponseBody(response.body, response.headers['content-type']),
    };
    if (config.failOnStatus && (response.status < 200 || response.status > 299)) {
      const status = response.status;
      throw new NodeFailure(
        'http_status',
        `${config.method} ${url} answered ${status}: ${response.body.slice(0, 200)}`,
        undefined,
        {
          // Server trouble and "slow down" may pass; other 4xx will not change by repeating.
          retryable: status >= 500 || status === 408 || status === 429,
          retryAfterMs: parseRetryAfter(response.headers['retry-after'], ctx.now()),
          status,
        },
      );
    }
    return { port: 'main', output };
  },
});
