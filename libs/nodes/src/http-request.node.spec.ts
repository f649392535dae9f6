import {
  compileFlow,
  FLOW_FORMAT,
  type CompiledFlow,
  type ExecutionInfo,
  type OutboundRequest,
  type OutboundResponse,
  type RunState,
  type StepRecord,
  type TriggerData,
} from '@hookflow/engine';
import { nodeRegistry } from './index';
import { compileTestFlow, FakeHttp, runFlow, sentJson } from './testing/run-action';

const ok: OutboundResponse = { status: 200, headers: {}, body: '' };

const trigger: TriggerData = {
  method: 'POST',
  path: '/hooks/h1',
  headers: { 'x-token': 's3cret' },
  query: {},
  body: { id: 42, name: 'Ada', items: [{ price: 5 }, { price: 7 }] },
  receivedAt: '2024-05-01T12:00:00.000Z',
};

const execution: ExecutionInfo = { id: 'exec-7', flowId: 'flow-1', versionId: 'v1', attempt: 1 };

function compile(params: Record<string, unknown>): CompiledFlow {
  return compileTestFlow({
    format: FLOW_FORMAT,
    name: 'http spec',
    nodes: [
      { id: 'hook', type: 'trigger.webhook', params: {} },
      { id: 'call', type: 'http.request', params: { url: 'https://api.test/x', ...params } },
    ],
    edges: [{ from: 'hook', to: 'call' }],
  });
}

/** Runs hook -> call against the fake and returns what was sent and the call's step. */
async function call(
  params: Record<string, unknown>,
  response: OutboundResponse = ok,
): Promise<{ request: OutboundRequest; step: StepRecord; state: RunState }> {
  const http = new FakeHttp(() => response);
  const { state, steps } = await runFlow(compile(params), { http, trigger, execution });
  expect(http.requests).toHaveLength(1);
  return { request: http.requests[0], step: steps[steps.length - 1], state };
}

describe('http.request', () => {
  it('renders the url and header templates against the message and $trigger', async () => {
    const { request } = await call({
      method: 'PUT',
      url: ' https://api.test/orders/{{id}}?who={{name}} ',
      headers: { 'X-Order': '{{id}}', Authorization: 'Bearer {{@trigger.headers.[x-token]}}' },
    });
    expect(request.method).toBe('PUT');
    expect(request.url).toBe('https://api.test/orders/42?who=Ada');
    expect(request.headers).toEqual({
      'x-order': '42',
      authorization: 'Bearer s3cret',
      'content-type': 'application/json',
      'idempotency-key': 'exec-7:call',
    });
  });

  it('passes the timeout (default 10 s) and an abort signal to the http service', async () => {
    expect((await call({})).request.timeoutMs).toBe(10_000);
    const { request } = await call({ timeoutMs: 250 });
    expect(request.timeoutMs).toBe(250);
    expect(request.signal).toBeInstanceOf(AbortSignal);
  });

  it('sends a JSONata body as JSON', async () => {
    const { request } = await call({ body: '{ "orderId": id, "total": $sum(items.price) }' });
    expect(sentJson(request)).toEqual({ orderId: 42, total: 12 });
    expect(request.headers['content-type']).toBe('application/json');
  });

  it('sends a { template } body as rendered text with its content type', async () => {
    const { request } = await call({
      body: {
        template: 'id={{id}}&name={{name}}',
        contentType: 'application/x-www-form-urlencoded',
      },
    });
    expect(request.body).toBe('id=42&name=Ada');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('labels a { template } body application/json unless told otherwise', async () => {
    const { request } = await call({ body: { template: '{"id": {{id}} }' } });
    expect(request.body).toBe('{"id": 42 }');
    expect(request.headers['content-type']).toBe('application/json');
  });

  it('lets a content-type header override the body default', async () => {
    const { request } = await call({ headers: { 'Content-Type': 'text/plain' }, body: '"hi"' });
    expect(request.headers['content-type']).toBe('text/plain');
    expect(request.body).toBe('"hi"');
  });

  it.each(['POST', 'PUT', 'PATCH'])(
    'sends the message as JSON when %s has no body param',
    async (method) => {
      const { request } = await call({ method });
      expect(sentJson(request)).toEqual(trigger.body);
      expect(request.headers['content-type']).toBe('application/json');
    },
  );

  it('defaults to POST', async () => {
    expect((await call({})).request.method).toBe('POST');
  });

  it.each(['GET', 'HEAD'])(
    'sends no body and no content-type for %s, even with a body param',
    async (method) => {
      const { request } = await call({ method, body: '{ "a": 1 }' });
      expect(request.body).toBeUndefined();
      expect(request.headers['content-type']).toBeUndefined();
    },
  );

  it('sends no body for DELETE without a body param', async () => {
    const { request } = await call({ method: 'DELETE' });
    expect(request.body).toBeUndefined();
  });

  it('sends Idempotency-Key <executionId>:<nodeId> so a replayed call can be dropped', async () => {
    expect((await call({})).request.headers['idempotency-key']).toBe('exec-7:call');
  });

  it('keeps an Idempotency-Key the flow sets itself', async () => {
    const { request } = await call({ headers: { 'Idempotency-Key': 'order-{{id}}' } });
    expect(request.headers['idempotency-key']).toBe('order-42');
  });

  it('fails a non-2xx answer with code http_status naming method, url and status', async () => {
    const { step, state } = await call(
      { url: 'https://api.test/orders/{{id}}' },
      { status: 422, headers: {}, body: 'amount missing' },
    );
    const error = {
      code: 'http_status',
      message: 'POST https://api.test/orders/42 answered 422: amount missing',
      nodeId: 'call',
      status: 422,
      attempt: 1,
    };
    expect(step).toMatchObject({ status: 'failed', error });
    expect(state.outcome).toEqual({ status: 'failed', error });
  });

  it('quotes at most 200 characters of a failed answer', async () => {
    const { step } = await call({}, { status: 500, headers: {}, body: 'x'.repeat(1000) });
    expect(step.status === 'failed' && step.error.message).toBe(
      `POST https://api.test/x answered 500: ${'x'.repeat(200)}`,
    );
  });

  it('outputs a non-2xx answer instead of failing when failOnStatus is false', async () => {
    const { step, state } = await call(
      { failOnStatus: false },
      { status: 404, headers: { 'content-type': 'application/json' }, body: '{"error":"gone"}' },
    );
    expect(step).toMatchObject({
      status: 'succeeded',
      port: 'main',
      output: {
        status: 404,
        headers: { 'content-type': 'application/json' },
        body: { error: 'gone' },
      },
    });
    expect(state.outcome).toEqual({ status: 'succeeded' });
  });

  it.each(['application/json', 'application/json; charset=utf-8', 'application/problem+json'])(
    'parses a %s answer',
    async (contentType) => {
      const { step } = await call(
        {},
        { status: 200, headers: { 'content-type': contentType }, body: '{"id":1,"tags":["a"]}' },
      );
      expect(step.status === 'succeeded' && step.output).toEqual({
        status: 200,
        headers: { 'content-type': contentType },
        body: { id: 1, tags: ['a'] },
      });
    },
  );

  it('keeps a non-JSON answer, or JSON that does not parse, as text', async () => {
    const text = await call(
      {},
      { status: 200, headers: { 'content-type': 'text/plain' }, body: '{"a":1}' },
    );
    expect(text.step.status === 'succeeded' && text.step.output).toMatchObject({ body: '{"a":1}' });
    const broken = await call(
      {},
      { status: 200, headers: { 'content-type': 'application/json' }, body: '{oops' },
    );
    expect(broken.step.status === 'succeeded' && broken.step.output).toMatchObject({
      body: '{oops',
    });
  });

  it('sends no Authorization header when the node names no credential', async () => {
    const { request } = await call({});
    expect(request.headers.authorization).toBeUndefined();
  });
});

describe('http.request query', () => {
  it('URL-encodes rendered query params and appends them to the URL', async () => {
    const { request } = await call({
      method: 'GET',
      url: 'https://api.test/search',
      query: { q: 'a b&c={{name}}', 'tag[]': 'x/y?', city: 'Zürich', id: '{{id}}' },
    });
    expect(request.url).toBe(
      'https://api.test/search?q=a%20b%26c%3DAda&tag%5B%5D=x%2Fy%3F&city=Z%C3%BCrich&id=42',
    );
  });

  it('keeps the query already in the URL as written, before the fragment', async () => {
    const { request } = await call({
      url: 'https://api.test/search?page=2&sort=name%20asc#top',
      query: { who: '{{name}}' },
    });
    expect(request.url).toBe('https://api.test/search?page=2&sort=name%20asc&who=Ada#top');
  });

  it('replaces a parameter of the same name already in the URL', async () => {
    const { request } = await call({
      url: 'https://api.test/items?page=1&limit=10&page=3&a+b=1',
      query: { page: '{{id}}', 'a b': '2' },
    });
    expect(request.url).toBe('https://api.test/items?limit=10&page=42&a%20b=2');
  });

  it('leaves the URL alone without query params, and sends empty values as name=', async () => {
    expect((await call({ url: 'https://api.test/x?y=1', query: {} })).request.url).toBe(
      'https://api.test/x?y=1',
    );
    const { request } = await call({ query: { empty: '{{missing}}' } });
    expect(request.url).toBe('https://api.test/x?empty=');
  });

  it('checks query templates when the flow is saved, at their param path', () => {
    const result = compileFlow(
      {
        format: FLOW_FORMAT,
        name: 'bad query',
        nodes: [
          { id: 'hook', type: 'trigger.webhook', params: {} },
          {
            id: 'call',
            type: 'http.request',
            params: { url: 'https://api.test/x', query: { q: '{{#if id}}' } },
          },
        ],
        edges: [{ from: 'hook', to: 'call' }],
      },
      nodeRegistry,
    );
    expect(!result.ok && result.problems).toEqual([
      expect.objectContaining({ path: '/nodes/1/params/query/q', code: 'handlebars_syntax' }),
    ]);
  });
});

describe('http.request form body', () => {
  it('sends { form } fields URL-encoded as application/x-www-form-urlencoded', async () => {
    const { request } = await call({
      body: { form: { name: '{{name}}', note: 'a b&c=d', total: '{{items.0.price}}', é: 'ü' } },
    });
    expect(request.body).toBe('name=Ada&note=a+b%26c%3Dd&total=5&%C3%A9=%C3%BC');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(request.body)).toEqual(
      new URLSearchParams({ name: 'Ada', note: 'a b&c=d', total: '5', é: 'ü' }),
    );
  });

  it('sends no form body for GET, like every other body', async () => {
    const { request } = await call({ method: 'GET', body: { form: { a: '1' } } });
    expect(request.body).toBeUndefined();
    expect(request.headers['content-type']).toBeUndefined();
  });

  it('refuses a body mixing form with template fields', () => {
    expect(() => compile({ body: { form: { a: '1' }, contentType: 'text/plain' } })).toThrow(
      /does not compile/,
    );
  });
});

describe('http.request answers', () => {
  it.each([
    ['application/json', 204],
    ['text/plain', 200],
    [undefined, 200],
  ])('outputs an empty %s answer as null', async (contentType, status) => {
    const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
    const { step } = await call({}, { status, headers, body: '' });
    expect(step.status === 'succeeded' && step.output).toEqual({ status, headers, body: null });
  });

  it.each(['application/xml', 'text/xml; charset=utf-8', 'text/html', 'application/octet-stream'])(
    'keeps a %s answer as text',
    async (contentType) => {
      const body = '<order id="1"/>';
      const { step } = await call(
        {},
        { status: 200, headers: { 'content-type': contentType }, body },
      );
      expect(step.status === 'succeeded' && step.output).toMatchObject({ body });
    },
  );
});
