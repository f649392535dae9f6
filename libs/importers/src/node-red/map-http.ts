import type { FlowNode } from '@hookflow/engine';
import {
  flowNode,
  outcomeOf,
  single,
  stringProp,
  type MapContext,
  type Mapper,
} from './mapped-node';
import { mustacheToHandlebars } from './mustache-to-handlebars';
import type { NodeRedNode } from './node-red-export';
import { jsonataPath, parseMsgPath } from './msg-paths';

const BODYLESS = new Set(['GET', 'HEAD']);

/**
 * `http in` -> the webhook trigger plus a transform that builds Node-RED's `msg`:
 * `{ _msgid, payload, req: { method, headers, query, params, body } }`, where payload is the
 * query for GET and the parsed body otherwise (as Node-RED does).
 */
export const mapHttpIn: Mapper = (node, ctx) => {
  if (ctx.triggerSourceId !== node.id) {
    return {
      outcome: 'unsupported',
      notes: [
        'a Hookflow flow has one trigger: this second http in node (and what only it feeds) does not run',
      ],
      nodes: [],
      exit: () => undefined,
    };
  }
  const method = stringProp(node, 'method', 'get').toUpperCase();
  const notes: string[] = [];
  const answers = ctx.graph.descendants(node.id).some((child) => child.type === 'http response');
  const supported = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method);
  if (!supported) notes.push(`method ${method} is not a Hookflow webhook method; it accepts POST`);
  const url = stringProp(node, 'url');
  if (/[:*]/.test(url)) {
    notes.push(
      `the URL ${url} has path parameters; Hookflow serves the trigger at its own URL, so msg.req.params is empty`,
    );
  }
  if (node.upload === true)
    notes.push('file uploads (multipart) reach the flow as file descriptions, not buffers');
  if (!answers) {
    notes.push(
      'no http response node follows: Hookflow answers 202 at once (Node-RED leaves the caller waiting until it times out)',
    );
  }
  const trigger = flowNode(node, ctx, {
    type: 'trigger.webhook',
    params: {
      methods: [supported ? method : 'POST'],
      respond: answers ? 'when-finished' : 'immediately',
    },
  });
  const payload = method === 'GET' ? '$trigger.query' : '$';
  const msg = flowNode(node, ctx, {
    type: 'transform',
    base: `${trigger.id}_msg`,
    name: 'msg (Node-RED message)',
    offset: 1,
    params: {
      expression:
        `{ "_msgid": $execution.id, "payload": ${payload}, "req": { "method": $trigger.method, ` +
        '"headers": $trigger.headers, "query": $trigger.query, "params": {}, "body": $ } }',
    },
  });
  return {
    // The trigger URL always changes; that alone is not an approximation.
    outcome: outcomeOf(notes.filter((note) => !note.startsWith('no http response'))),
    notes: [
      `Node-RED served it at ${method} ${url}; Hookflow gives the trigger its own URL`,
      ...notes,
    ],
    nodes: [trigger, msg],
    exit: () => ({ from: msg.id }),
  };
};

/** Node-RED's newer header list: `{ keyType, keyValue, valueType, valueValue }`. */
function headersOf(node: NodeRedNode, notes: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  const list = Array.isArray(node.headers) ? (node.headers as unknown[]) : [];
  for (const entry of list) {
    if (typeof entry !== 'object' || entry === null) continue;
    const item = entry as Record<string, unknown>;
    const name =
      item.keyType === 'other' ? String(item.keyValue ?? '') : String(item.keyType ?? '');
    let value: string;
    if (item.valueType === 'other') value = String(item.valueValue ?? '').replace(/\{\{/g, '\\{{');
    else if (item.valueType === 'msg') {
      const segments = parseMsgPath(String(item.valueValue ?? ''));
      value = segments ? `{{{${segments.join('.')}}}}` : '';
    } else value = String(item.valueType ?? '');
    if (!/^[A-Za-z0-9-]+$/.test(name)) {
      notes.push(`header "${name}" is not a valid header name; left out`);
      continue;
    }
    headers[name] = value;
  }
  return headers;
}

/** The payload is known to be text when the node before renders a template as a string. */
function payloadIsText(node: NodeRedNode, ctx: MapContext): boolean {
  const origins = ctx.graph.payloadOrigins(node.id);
  return (
    origins.length > 0 &&
    origins.every(
      (origin) => origin.type === 'template' && stringProp(origin, 'output', 'str') === 'str',
    )
  );
}

function credentialFor(
  node: NodeRedNode,
  ctx: MapContext,
  request: FlowNode,
  notes: string[],
): void {
  const authType = stringProp(node, 'authType');
  if (authType === '' || node.useAuth === false) return;
  if (authType === 'digest') {
    notes.push(
      'digest authentication is not supported by Hookflow; the request is sent without it',
    );
    return;
  }
  const type = authType === 'bearer' ? 'http-bearer' : 'http-basic';
  const name = `${request.id}-auth`;
  request.credential = name;
  ctx.credentials.set(name, { name, types: [type], sourceType: authType, usedBy: [node.id] });
  notes.push(`credentials are not exported: create the ${type} credential "${name}"`);
}

/** The URL: the node's (Mustache translated), else msg.url as Node-RED does. */
function urlOf(node: NodeRedNode, notes: string[]): string {
  const rawUrl = stringProp(node, 'url');
  if (rawUrl === '') return '{{{url}}}';
  const translation = mustacheToHandlebars(rawUrl);
  if (translation.unsupported) notes.push(`the URL template: ${translation.unsupported}`);
  if (translation.escapedTags > 0) {
    notes.push(
      'the URL uses {{x}}, which Node-RED HTML-escapes (& < > " \' / ` =); Hookflow inserts values as they are',
    );
  }
  notes.push(...translation.notes);
  return translation.unsupported ? '{{{url}}}' : translation.template;
}

/** The transform after the request: msg with the answer in payload, statusCode and headers. */
function answerExpression(node: NodeRedNode, ctx: MapContext, notes: string[]): string {
  const ret = stringProp(node, 'ret', 'txt');
  let body = 'body';
  if (ret === 'txt') {
    body = '($type(body) in ["object", "array"] ? $string(body) : body)';
    notes.push('with "a UTF-8 string" output, a JSON answer is re-serialised compactly');
  } else if (ret === 'bin') {
    notes.push('binary answers arrive as text');
  }
  const answer = `"payload": ${body}, "statusCode": status, "headers": headers`;
  const parents = ctx.graph.parents(node.id).map((parent) => ctx.exitOf(parent.id));
  const perItem = ctx.graph.insideSplit(node.id);
  if (!perItem && parents.length === 1 && parents[0] !== undefined) {
    // The request's input is its parent's latest output (one message per run outside splits).
    return `$merge([$nodes.${jsonataPath([parents[0]])}, { ${answer} }])`;
  }
  notes.push(
    perItem
      ? "runs once per split item: after it the message is { payload, statusCode, headers } (the item's other msg properties are not carried over)"
      : 'has several inputs: after it the message is { payload, statusCode, headers }',
  );
  return `{ ${answer} }`;
}

/**
 * `http request` -> http.request plus a transform putting the answer back into `msg`
 * (payload, statusCode, headers), keeping the message's other properties. Node-RED does not fail
 * on a 4xx/5xx answer, so neither does the converted node.
 */
export const mapHttpRequest: Mapper = (node, ctx) => {
  const notes: string[] = [];
  let method = stringProp(node, 'method', 'GET').toUpperCase();
  if (method === 'USE') {
    notes.push('the method comes from msg.method in Node-RED; Hookflow uses POST');
    method = 'POST';
  }
  const url = urlOf(node, notes);
  const params: Record<string, unknown> = {
    method,
    url,
    headers: headersOf(node, notes),
    failOnStatus: node.senderr === true,
  };
  if (!BODYLESS.has(method)) {
    params.body = payloadIsText(node, ctx)
      ? { template: '{{{payload}}}', contentType: 'text/plain' }
      : 'payload';
  } else if (stringProp(node, 'paytoqs', 'ignore') !== 'ignore') {
    notes.push('msg.payload is not added to the query string of a GET');
  }
  if (node.tls || node.proxy) notes.push('TLS and proxy settings are not imported');
  const request = flowNode(node, ctx, { type: 'http.request', params });
  credentialFor(node, ctx, request, notes);
  const expression = answerExpression(node, ctx, notes);
  const msg = flowNode(node, ctx, {
    type: 'transform',
    base: `${request.id}_msg`,
    name: 'msg (answer into payload)',
    offset: 1,
    params: { expression },
  });
  const outcome = notes.some((note) => note.startsWith('credentials are not exported'))
    ? outcomeOf(notes.filter((note) => !note.startsWith('credentials are not exported')))
    : outcomeOf(notes);
  return { outcome, notes, nodes: [request, msg], exit: () => ({ from: msg.id }) };
};

/** Node-RED answers msg.statusCode / msg.headers when the node sets none; Hookflow cannot. */
function upstreamSets(node: NodeRedNode, ctx: MapContext, property: string): boolean {
  return ctx.graph.ancestors(node.id).some((ancestor) => {
    if (ancestor.type === 'http request') return property === 'statusCode';
    return rulesOf(ancestor).some(
      (rule) =>
        (rule.t === 'set' || rule.t === 'move') && String(rule.p ?? '').split('.')[0] === property,
    );
  });
}

type Rule = Record<string, unknown>;

function rulesOf(node: NodeRedNode): Rule[] {
  return node.type === 'change' && Array.isArray(node.rules) ? (node.rules as Rule[]) : [];
}

/**
 * msg.headers as change nodes upstream set it, when every rule touching it sets a constant
 * (`headers` to a JSON object of strings, `headers.<name>` to a string) on a single path: Node-RED
 * answers those headers, and so can the respond node. undefined: anything else touches it.
 */
function constantMsgHeaders(
  node: NodeRedNode,
  ctx: MapContext,
): Record<string, string> | undefined {
  const headers: Record<string, string> = {};
  const chain: NodeRedNode[] = [];
  for (let parents = ctx.graph.parents(node.id); parents.length > 0;) {
    if (parents.length > 1) return undefined;
    chain.unshift(parents[0]);
    parents = ctx.graph.parents(parents[0].id).filter((parent) => !chain.includes(parent));
  }
  for (const rule of chain.flatMap(rulesOf)) {
    const path = String(rule.p ?? '');
    if (path.split('.')[0] !== 'headers' && String(rule.to ?? '').split('.')[0] !== 'headers') {
      continue;
    }
    if (rule.t !== 'set' || rule.pt !== 'msg') return undefined;
    if (path === 'headers' && rule.tot === 'json') {
      try {
        const value = JSON.parse(String(rule.to)) as unknown;
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
        for (const key of Object.keys(headers)) delete headers[key];
        for (const [name, item] of Object.entries(value)) {
          if (typeof item !== 'string') return undefined;
          headers[name] = item;
        }
      } catch {
        return undefined;
      }
    } else if (/^headers\.[A-Za-z0-9-]+$/.test(path) && rule.tot === 'str') {
      headers[path.slice('headers.'.length)] = String(rule.to ?? '');
    } else return undefined;
  }
  return headers;
}

/**
 * Express's `res.set` (Node-RED's http response uses it) appends `; charset=utf-8` to a text,
 * JSON or JavaScript content type that names no charset.
 */
function withExpressCharset(contentType: string): string {
  const textual = /^\s*(text\/|application\/(json|javascript)\b)/i.test(contentType);
  return textual && !/;\s*charset=/i.test(contentType)
    ? `${contentType}; charset=utf-8`
    : contentType;
}

/** `http response` -> respond: the status, the headers and msg.payload as the body. */
export const mapHttpResponse: Mapper = (node, ctx) => {
  const notes: string[] = [];
  const status = Number(stringProp(node, 'statusCode'));
  const fixed = Number.isInteger(status) && status >= 100 && status <= 599;
  if (!fixed && upstreamSets(node, ctx, 'statusCode')) {
    notes.push('Node-RED answers msg.statusCode set earlier in the flow; Hookflow answers 200');
  }
  const fromMsg = upstreamSets(node, ctx, 'headers') ? constantMsgHeaders(node, ctx) : {};
  if (fromMsg === undefined) {
    notes.push("headers set in msg.headers earlier in the flow are not sent; only the node's own");
  }
  // Node-RED sends msg.headers, then the node's own headers over them.
  const headers: Record<string, string> = { ...fromMsg };
  const own = node.headers;
  if (typeof own === 'object' && own !== null && !Array.isArray(own)) {
    for (const [name, value] of Object.entries(own as Record<string, unknown>)) {
      if (/^[A-Za-z0-9-]+$/.test(name)) headers[name] = String(value).replace(/\{\{/g, '\\{{');
    }
  }
  const typed = Object.keys(headers).find((name) => name.toLowerCase() === 'content-type');
  if (typed !== undefined) headers[typed] = withExpressCharset(headers[typed]);
  else if (payloadIsText(node, ctx)) {
    // Express (under Node-RED) sends a string body as text/html.
    headers['Content-Type'] = 'text/html; charset=utf-8';
  }
  const respond = flowNode(node, ctx, {
    type: 'respond',
    params: { status: fixed ? status : 200, body: 'payload', headers },
  });
  return single(respond, outcomeOf(notes), notes);
};
