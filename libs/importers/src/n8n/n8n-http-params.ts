import type { MappingContext } from './n8n-mapping';

/** One name/value row of a key-value list (query, headers, body fields). */
export interface HttpPair {
  name: string;
  value: unknown;
}

/** Query or headers: rows, or a JSON text (`specifyQuery: json`, v1 `queryParametersJson`). */
export type HttpKeyValues = { pairs: HttpPair[] } | { json: unknown };

export type HttpBody =
  | { kind: 'none' }
  | { kind: 'fields'; as: 'json' | 'form' | 'multipart'; pairs: HttpPair[] }
  | { kind: 'json'; value: unknown }
  | { kind: 'jsonForm'; value: unknown }
  | { kind: 'raw'; value: unknown; contentType: string }
  | { kind: 'binary' };

/**
 * How the request authenticates: `generic` names one of n8n's generic credential types
 * (`httpHeaderAuth`...), `predefined` a service's type (`githubApi`...).
 */
export type HttpAuth =
  { kind: 'none' } | { kind: 'generic'; n8nType: string } | { kind: 'predefined'; n8nType: string };

/** An HTTP Request node of any version, read into one shape. */
export interface HttpRequestSpec {
  method: string;
  url: unknown;
  query: HttpKeyValues;
  headers: HttpKeyValues;
  body: HttpBody;
  auth: HttpAuth;
  timeout?: number;
  fullResponse: boolean;
  neverError: boolean;
  responseFormat?: string;
}

/** v1's own authentication values → the generic credential type they use. */
const V1_AUTH: Record<string, string> = {
  basicAuth: 'httpBasicAuth',
  digestAuth: 'httpDigestAuth',
  headerAuth: 'httpHeaderAuth',
  queryAuth: 'httpQueryAuth',
  oAuth1: 'oAuth1Api',
  oAuth2: 'oAuth2Api',
};

function rows(ctx: MappingContext, raw: unknown, key: string): HttpPair[] {
  const list = ctx.record(raw)[key];
  return (Array.isArray(list) ? list : []).flatMap((item) => {
    const entry = ctx.record(item);
    return typeof entry.name === 'string' && entry.name !== ''
      ? [{ name: entry.name, value: entry.value ?? '' }]
      : [];
  });
}

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

function authOf(ctx: MappingContext): HttpAuth {
  const mode = text(ctx.param('authentication'), 'none');
  if (mode === 'none') return { kind: 'none' };
  if (mode === 'genericCredentialType') {
    return { kind: 'generic', n8nType: text(ctx.param('genericAuthType'), 'httpHeaderAuth') };
  }
  if (mode === 'predefinedCredentialType') {
    return { kind: 'predefined', n8nType: text(ctx.param('nodeCredentialType'), 'unknown') };
  }
  return { kind: 'generic', n8nType: V1_AUTH[mode] ?? mode };
}

/** v1 and v2: `requestMethod`, `jsonParameters`, `*ParametersUi` / `*ParametersJson`. */
function readV1(ctx: MappingContext): HttpRequestSpec {
  const options = ctx.record(ctx.param('options'));
  const asJson = ctx.param('jsonParameters') === true;
  const keyValues = (what: string): HttpKeyValues =>
    asJson
      ? { json: ctx.param(`${what}ParametersJson`) ?? '' }
      : { pairs: rows(ctx, ctx.param(`${what}ParametersUi`), 'parameter') };
  const contentType = text(options.bodyContentType, 'json');
  let body: HttpBody = { kind: 'none' };
  if (asJson && ctx.param('sendBinaryData') === true) body = { kind: 'binary' };
  else if (asJson) {
    const value = ctx.param('bodyParametersJson');
    if (contentType === 'raw') {
      body = {
        kind: 'raw',
        value: value ?? '',
        contentType: text(options.bodyContentCustomMimeType, 'text/plain'),
      };
    } else if (value !== undefined && value !== '') {
      body =
        contentType === 'form-urlencoded' ? { kind: 'jsonForm', value } : { kind: 'json', value };
    }
  } else {
    const pairs = rows(ctx, ctx.param('bodyParametersUi'), 'parameter');
    const as =
      contentType === 'form-urlencoded'
        ? 'form'
        : contentType === 'multipart-form-data'
          ? 'multipart'
          : 'json';
    if (pairs.length > 0) body = { kind: 'fields', as, pairs };
  }
  return {
    method: text(ctx.param('requestMethod'), 'GET'),
    url: ctx.param('url') ?? '',
    query: keyValues('query'),
    headers: keyValues('header'),
    body,
    auth: authOf(ctx),
    ...(typeof options.timeout === 'number' ? { timeout: options.timeout } : {}),
    fullResponse: options.fullResponse === true,
    neverError: options.ignoreResponseCode === true,
    responseFormat: text(ctx.param('responseFormat'), 'json'),
  };
}

function bodyV3(ctx: MappingContext): HttpBody {
  if (ctx.param('sendBody') !== true) return { kind: 'none' };
  const contentType = text(ctx.param('contentType'), 'json');
  const specify = text(ctx.param('specifyBody'), 'keypair');
  const fields = (as: 'json' | 'form' | 'multipart'): HttpBody => ({
    kind: 'fields',
    as,
    pairs: rows(ctx, ctx.param('bodyParameters'), 'parameters'),
  });
  switch (contentType) {
    case 'json':
      return specify === 'json'
        ? { kind: 'json', value: ctx.param('jsonBody') ?? '{}' }
        : fields('json');
    case 'form-urlencoded':
      return specify === 'string'
        ? {
            kind: 'raw',
            value: ctx.param('body') ?? '',
            contentType: 'application/x-www-form-urlencoded',
          }
        : fields('form');
    case 'multipart-form-data':
      return fields('multipart');
    case 'raw':
      return {
        kind: 'raw',
        value: ctx.param('body') ?? '',
        contentType: text(ctx.param('rawContentType'), 'text/plain'),
      };
    default:
      return { kind: 'binary' };
  }
}

/** v3 and v4.x: `method`, `send*` switches, `*Parameters.parameters`, `options.response`. */
function readV3(ctx: MappingContext): HttpRequestSpec {
  const options = ctx.record(ctx.param('options'));
  const response = ctx.record(ctx.record(options.response).response);
  // `sendQuery`, `specifyQuery`, `queryParameters`, `jsonQuery`; the same for Headers.
  const keyValues = (what: 'Query' | 'Headers', list: string, json: string): HttpKeyValues => {
    if (ctx.param(`send${what}`) !== true) return { pairs: [] };
    return ctx.param(`specify${what}`) === 'json'
      ? { json: ctx.param(json) ?? '' }
      : { pairs: rows(ctx, ctx.param(list), 'parameters') };
  };
  return {
    method: text(ctx.param('method'), 'GET'),
    url: ctx.param('url') ?? '',
    query: keyValues('Query', 'queryParameters', 'jsonQuery'),
    headers: keyValues('Headers', 'headerParameters', 'jsonHeaders'),
    body: bodyV3(ctx),
    auth: authOf(ctx),
    ...(typeof options.timeout === 'number' ? { timeout: options.timeout } : {}),
    fullResponse: response.fullResponse === true,
    neverError: response.neverError === true,
    ...(typeof response.responseFormat === 'string'
      ? { responseFormat: response.responseFormat }
      : {}),
  };
}

/** Reads an HTTP Request node of typeVersion 1, 2, 3 or 4.x. */
export function readHttpRequest(ctx: MappingContext): HttpRequestSpec {
  return ctx.node.typeVersion < 3 ? readV1(ctx) : readV3(ctx);
}
