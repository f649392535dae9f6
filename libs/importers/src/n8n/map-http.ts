import { isExpression } from './n8n-expression';
import { jsonTemplateCode } from './n8n-json-template';
import { stringLiteral } from './n8n-jsonata-emit';
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

function pairs(ctx: MappingContext, raw: unknown): Array<{ name: string; value: unknown }> {
  const list = ctx.record(raw).parameters;
  return (Array.isArray(list) ? list : []).flatMap((item) => {
    const entry = ctx.record(item);
    return typeof entry.name === 'string' && entry.name !== ''
      ? [{ name: entry.name, value: entry.value ?? '' }]
      : [];
  });
}

function templates(
  ctx: MappingContext,
  raw: unknown,
  what: string,
  check?: RegExp,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { name, value } of pairs(ctx, raw)) {
    if (check && !check.test(name)) {
      ctx.differs(`${what} "${name}" is not a valid name here and was dropped`);
      continue;
    }
    out[name] = ctx.template(value);
  }
  return out;
}

/** The request body as the http.request node takes it; undefined: send none. */
function body(ctx: MappingContext, method: string): unknown {
  if (ctx.param('sendBody') !== true) {
    // n8n sends no body unless asked; Hookflow would send the message for POST/PUT/PATCH.
    return ['POST', 'PUT', 'PATCH'].includes(method)
      ? { template: '', contentType: 'text/plain' }
      : undefined;
  }
  const contentType =
    typeof ctx.param('contentType') === 'string' ? ctx.param('contentType') : 'json';
  if (contentType === 'form-urlencoded') {
    return { form: templates(ctx, ctx.param('bodyParameters'), 'form field') };
  }
  if (contentType === 'raw') {
    const type =
      typeof ctx.param('rawContentType') === 'string'
        ? String(ctx.param('rawContentType'))
        : 'text/plain';
    return { template: ctx.template(ctx.param('body') ?? ''), contentType: type };
  }
  if (contentType !== 'json') {
    ctx.differs(`a ${String(contentType)} body is not converted; the message is sent as JSON`);
    return undefined;
  }
  if (ctx.param('specifyBody') === 'json')
    return jsonTemplateCode(ctx, ctx.param('jsonBody') ?? '{}');
  const fields = pairs(ctx, ctx.param('bodyParameters'));
  const entries = fields.map(({ name, value }) => `${stringLiteral(name)}: ${ctx.jsonata(value)}`);
  return `{${entries.join(', ')}}`;
}

function authentication(ctx: MappingContext): { credential?: string; needed: NeededCredential[] } {
  const mode = ctx.param('authentication');
  if (mode === undefined || mode === 'none') return { needed: [] };
  if (mode === 'genericCredentialType') {
    const generic = String(ctx.param('genericAuthType') ?? '');
    const type = GENERIC_AUTH[generic];
    if (type) return credentialOf(ctx, [generic], [type]);
    ctx.differs(`authentication ${generic} is not converted`);
    return { needed: [] };
  }
  const predefined = String(ctx.param('nodeCredentialType') ?? '');
  ctx.differs(
    `the n8n credential type ${predefined} has no Hookflow twin; the credential named here is ` +
      'expected to be an http-bearer or http-header credential with the same secret',
  );
  return credentialOf(ctx, [predefined], ['http-bearer', 'http-header']);
}

/** HTTP Request (v3/v4) → `http.request`. */
export function mapHttpRequest(ctx: MappingContext): MappedNode {
  const method = typeof ctx.param('method') === 'string' ? String(ctx.param('method')) : 'GET';
  if (!METHODS.includes(method)) ctx.differs(`method ${method} is not supported; GET is used`);
  const chosen = METHODS.includes(method) ? method : 'GET';
  const params: Record<string, unknown> = {
    method: chosen,
    url: ctx.template(ctx.param('url') ?? ''),
  };
  if (ctx.param('sendHeaders') === true) {
    if (ctx.param('specifyHeaders') === 'json')
      ctx.differs('headers given as JSON are not converted');
    params.headers = templates(ctx, ctx.param('headerParameters'), 'header', HEADER_NAME);
  }
  if (ctx.param('sendQuery') === true) {
    if (ctx.param('specifyQuery') === 'json') ctx.differs('a query given as JSON is not converted');
    params.query = templates(ctx, ctx.param('queryParameters'), 'query parameter');
  }
  const requestBody = body(ctx, chosen);
  if (requestBody !== undefined) params.body = requestBody;
  const options = ctx.record(ctx.param('options'));
  if (typeof options.timeout === 'number') {
    params.timeoutMs = Math.min(Math.max(Math.round(options.timeout), 100), 120_000);
  }
  const response = ctx.record(ctx.record(options.response).response);
  if (response.neverError === true) params.failOnStatus = false;
  if (response.fullResponse === true) {
    ctx.differs(
      "the output is Hookflow's { status, headers, body }, not n8n's full response shape",
    );
  }
  if (
    typeof response.responseFormat === 'string' &&
    !['autodetect', 'json'].includes(response.responseFormat)
  ) {
    ctx.differs(
      `response format ${response.responseFormat} is not converted; the body is parsed by content type`,
    );
  }
  if (isExpression(ctx.param('url')) && String(ctx.param('url')).includes('$binary')) {
    ctx.differs('binary data is not carried');
  }
  const auth = authentication(ctx);
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
      expression:
        response.fullResponse === true
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
