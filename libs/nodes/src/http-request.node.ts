import { Type } from '@sinclair/typebox';
import {
  defineNodeType,
  Jsonata,
  NodeFailure,
  parseRetryAfter,
  Template,
  type JsonObject,
  type NodeContext,
  type OutboundRequest,
  type OutboundResponse,
} from '@hookflow/engine';
import { assertHostAllowed } from './credential-hosts';
import { excerptOf, withSecretsHidden } from './hide-secrets';
import { authFor, type RequestAuth } from './http-request-auth';
import { formEncode, hideSecretsIn, parseResponseBody, withQuery } from './http-request-encoding';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;

const TemplateBody = Type.Object(
  {
    template: Template({ description: 'Handlebars; rendered against the message' }),
    contentType: Type.String({ default: 'application/json' }),
  },
  { additionalProperties: false },
);

/** Query string and form names: anything but empty (they are URL-encoded). */
const FIELD_NAME = Type.String({ pattern: '^.+$' });

const FormBody = Type.Object(
  {
    form: Type.Record(FIELD_NAME, Template(), {
      additionalProperties: false,
      description: 'Fields (Handlebars), sent as application/x-www-form-urlencoded',
    }),
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
    query: Type.Optional(
      Type.Record(FIELD_NAME, Template(), {
        additionalProperties: false,
        description:
          'Query parameters (Handlebars), URL-encoded and added to the URL; they replace ' +
          'parameters of the same name already in it',
      }),
    ),
    body: Type.Optional(
      Type.Union(
        [Jsonata({ description: 'JSONata producing the JSON body' }), TemplateBody, FormBody],
        {
          description:
            'A JSONata expression (string) sent as JSON, { template } rendered by Handlebars, ' +
            'or { form } sent URL-encoded. Without it, POST/PUT/PATCH send the message as JSON.',
        },
      ),
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

function renderAll(
  ctx: NodeContext,
  templates: Record<string, string> | undefined,
): Array<[string, string]> {
  return Object.entries(templates ?? {}).map(([name, template]) => [name, ctx.render(template)]);
}

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
  if (config.body && 'form' in config.body) {
    return {
      body: formEncode(renderAll(ctx, config.body.form)),
      contentType: 'application/x-www-form-urlencoded',
    };
  }
  if (config.body) {
    return { body: ctx.render(config.body.template), contentType: config.body.contentType };
  }
  if (config.method === 'DELETE') return {};
  return { body: JSON.stringify(ctx.input), contentType: 'application/json' };
}

/** Sends the request; after a 401 the credential may give new headers for one more try. */
async function send(
  ctx: NodeContext,
  request: OutboundRequest,
  auth: RequestAuth | undefined,
): Promise<OutboundResponse> {
  if (!auth) return ctx.http.request(request);
  const headers = { ...request.headers, ...(await auth.headers()) };
  const response = await ctx.http.request({ ...request, headers });
  if (response.status !== 401) return response;
  const retry = await auth.afterUnauthorized();
  if (!retry) return response;
  return ctx.http.request({ ...request, headers: { ...headers, ...retry } });
}

export const httpRequestNode = defineNodeType({
  type: 'http.request',
  label: 'HTTP request',
  category: 'action',
  version: 1,
  icon: 'globe',
  description: 'Calls an HTTP endpoint and outputs its status, headers and body.',
  isTrigger: false,
  outputs: ['main'],
  params,
  async execute(ctx, config) {
    const auth = await authFor(ctx, config.timeoutMs);
    const secrets = auth?.secrets ?? [];
    // Auth errors, token endpoint answers and the target's own answer may all quote a secret.
    return withSecretsHidden(secrets, async () => {
      const url = withQuery(ctx.render(config.url).trim(), renderAll(ctx, config.query));
      assertHostAllowed(auth?.allowedHosts, url, ctx.credentialName);
      const headers: Record<string, string> = {};
      for (const [name, template] of Object.entries(config.headers)) {
        headers[name.toLowerCase()] = ctx.render(template);
      }
      const { body, contentType } = await buildBody(ctx, config);
      if (contentType && !headers['content-type']) headers['content-type'] = contentType;
      // Replays after a crash repeat the in-flight call; the key lets the receiver drop it.
      headers['idempotency-key'] ??= ctx.idempotencyKey;

      const request = {
        method: config.method,
        url,
        headers,
        body,
        timeoutMs: config.timeoutMs,
        signal: ctx.signal,
      };
      const response = await send(ctx, request, auth);
      // A target that echoes the request (or the token) must not put a secret into the run.
      const output = {
        status: response.status,
        headers: hideSecretsIn(response.headers as JsonObject, secrets),
        body: hideSecretsIn(
          parseResponseBody(response.body, response.headers['content-type']),
          secrets,
        ),
      };
      if (config.failOnStatus && (response.status < 200 || response.status > 299)) {
        const status = response.status;
        throw new NodeFailure(
          'http_status',
          `${config.method} ${url} answered ${status}: ${excerptOf(response.body, secrets, 200)}`,
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
    });
  },
});
