import { isExpression } from './n8n-expression';
import { jsonTemplateCode } from './n8n-json-template';
import { stringLiteral } from './n8n-jsonata-emit';
import { mapUnsupported } from './map-flow-control';
import {
  readHttpRequest,
  type HttpAuth,
  type HttpKeyValues,
  type HttpPair,
  type HttpRequestSpec,
} from './n8n-http-params';
import {
  credentialOf,
  type MappedNode,
  type MappingContext,
  type NeededCredential,
} from './n8n-mapping';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'];
const HEADER_NAME = /^[A-Za-z0-9-]+$/;
/** The transform after the request that gives n8n's item. */
export const HTTP_ITEM_SUFFIX = '_item';

/** n8n generic credential types → Hookflow credential types. */
const GENERIC_AUTH: Record<string, string> = {
  httpHeaderAuth: 'http-header',
  httpBasicAuth: 'http-basic',
  httpBearerAuth: 'http-bearer',
  oAuth2Api: 'oauth2-client',
};

/** n8n's generic types Hookflow cannot send: the request would go out without them. */
const UNSENDABLE_AUTH: Record<string, string> = {
  httpDigestAuth: 'digest authentication',
  httpQueryAuth: 'query-parameter authentication',
  httpCustomAuth: 'custom authentication',
  oAuth1Api: 'OAuth 1',
};

/** Rows of a JSON text or object (`specifyHeaders: json`); computed JSON is not converted. */
function jsonPairs(ctx: MappingContext, json: unknown, what: string): HttpPair[] {
  let value = json;
  if (typeof json === 'string' && !json.startsWith('=')) {
    if (json.trim() === '') return [];
    try {
      value = JSON.parse(json) as unknown;
    } catch {
      value = undefined;
    }
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return Object.entries(value).map(([name, item]) => ({
      name,
      value: typeof item === 'string' ? item : JSON.stringify(item),
    }));
  }
  ctx.differs(`${what} given as computed JSON are not converted: none are sent`);
  return [];
}

function templates(
  ctx: MappingContext,
  values: HttpKeyValues | HttpPair[],
  what: string,
  check?: RegExp,
): Record<string, string> {
  const list = Array.isArray(values)
    ? values
    : 'pairs' in values
      ? values.pairs
      : jsonPairs(ctx, values.json, what);
  const out: Record<string, string> = {};
  for (const { name, value } of list) {
    if (check && !check.test(name)) {
      ctx.differs(`${what} "${name}" is not a valid name here and was dropped`);
      continue;
    }
    out[name] = ctx.template(value);
  }
  return out;
}

/** The request body as the http.request node takes it; undefined: send none. */
function bodyOf(ctx: MappingContext, spec: HttpRequestSpec): unknown {
  const { body } = spec;
  switch (body.kind) {
    case 'none':
      // n8n sends no body unless asked; Hookflow would send the message for POST/PUT/PATCH.
      return ['POST', 'PUT', 'PATCH'].includes(spec.method)
        ? { template: '', contentType: 'text/plain' }
        : undefined;
    case 'fields': {
      if (body.as === 'multipart') {
        ctx.differs('the multipart/form-data body is sent URL-encoded (same fields, no files)');
      }
      if (body.as !== 'json') return { form: templates(ctx, body.pairs, 'form field') };
      const entries = body.pairs.map(
        ({ name, value }) => `${stringLiteral(name)}: ${ctx.jsonata(value)}`,
      );
      return `{${entries.join(', ')}}`;
    }
    case 'json':
      return jsonTemplateCode(ctx, body.value);
    case 'jsonForm':
      return { form: templates(ctx, { json: body.value }, 'form fields') };
    case 'raw':
      return { template: ctx.template(body.value), contentType: body.contentType };
    case 'binary':
      ctx.differs('the binary file body is not carried: the request is sent without a body');
      return { template: '', contentType: 'application/octet-stream' };
  }
}

type Authentication = { credential?: string; needed: NeededCredential[] } | { unsendable: string };

function authentication(ctx: MappingContext, auth: HttpAuth): Authentication {
  if (auth.kind === 'none') return { needed: [] };
  if (auth.kind === 'generic') {
    const type = GENERIC_AUTH[auth.n8nType];
    if (type) return credentialOf(ctx, [auth.n8nType], [type]);
    return { unsendable: UNSENDABLE_AUTH[auth.n8nType] ?? `authentication ${auth.n8nType}` };
  }
  ctx.differs(
    `the n8n credential type ${auth.n8nType} has no Hookflow twin; the credential named here is ` +
      'expected to be an http-bearer or http-header credential with the same secret',
  );
  return credentialOf(ctx, [auth.n8nType], ['http-bearer', 'http-header']);
}

/** HTTP Request (v1, v2, v3, v4.x) → `http.request`. */
export function mapHttpRequest(ctx: MappingContext): MappedNode {
  const spec = readHttpRequest(ctx);
  const auth = authentication(ctx, spec.auth);
  if ('unsendable' in auth) {
    return mapUnsupported(
      ctx,
      `${auth.unsendable} has no Hookflow equivalent: the request would go out unauthenticated`,
    );
  }
  const method = spec.method.toUpperCase();
  if (!METHODS.includes(method)) ctx.differs(`method ${method} is not supported; GET is used`);
  const chosen = METHODS.includes(method) ? method : 'GET';
  const params: Record<string, unknown> = { method: chosen, url: ctx.template(spec.url) };
  const headers = templates(ctx, spec.headers, 'headers', HEADER_NAME);
  if (Object.keys(headers).length > 0) params.headers = headers;
  const query = templates(ctx, spec.query, 'query parameters');
  if (Object.keys(query).length > 0) params.query = query;
  const requestBody = bodyOf(ctx, { ...spec, method: chosen });
  if (requestBody !== undefined) params.body = requestBody;
  if (typeof spec.timeout === 'number') {
    params.timeoutMs = Math.min(Math.max(Math.round(spec.timeout), 100), 120_000);
  }
  if (spec.neverError) params.failOnStatus = false;
  if (spec.fullResponse) {
    ctx.differs(
      "the output is Hookflow's { status, headers, body }, not n8n's full response shape",
    );
  }
  if (spec.responseFormat !== undefined && !['autodetect', 'json'].includes(spec.responseFormat)) {
    ctx.differs(
      `response format ${spec.responseFormat} is not converted; the body is parsed by content type`,
    );
  }
  if (isExpression(spec.url) && String(spec.url).includes('$binary')) {
    ctx.differs('binary data is not carried');
  }
  const node = ctx.flowNode(
    'http.request',
    params,
    auth.credential ? { credential: auth.credential } : {},
  );
  ctx.note(
    'a JSON array answer stays one message here; n8n would split it into one item per element',
  );
  // n8n's item is the answer's body (or its own full-response shape); Hookflow's is { status, headers, body }.
  const item = ctx.flowNode(
    'transform',
    {
      expression: spec.fullResponse
        ? '{"body": body, "headers": headers, "statusCode": status}'
        : 'body',
    },
    { id: `${ctx.id}${HTTP_ITEM_SUFFIX}`, nameSuffix: ' (n8n item)' },
  );
  return {
    outcome: ctx.approximated ? 'approximated' : 'converted',
    notes: ctx.notes,
    nodes: [node, item],
    edges: [{ from: node.id, to: item.id }],
    entryId: node.id,
    exitId: item.id,
    ports: (index) => (index === 0 ? ['main'] : []),
    credentials: auth.needed,
  };
}
