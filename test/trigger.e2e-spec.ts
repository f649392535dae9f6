import { eachDatabase, type TestDatabase } from './support/databases';
import { eachMode, type RunningHookflow } from './support/modes';
import { startTestApp, type TestApp, call } from './support/test-app';
import { waitFor } from './support/wait-for';

interface FlowView {
  id: string;
  triggers: Array<{ path: string }>;
}

const hook = (params: Record<string, unknown>) => ({ id: 'hook', type: 'trigger.webhook', params });

/** Webhook -> transform -> filter -> respond, answering when finished (benchmark W1's shape). */
function syncFlow(extraTrigger: Record<string, unknown> = {}) {
  return {
    format: 'hookflow.flow/v1',
    name: 'sync',
    nodes: [
      hook({ respond: 'when-finished', ...extraTrigger }),
      {
        id: 'map',
        type: 'transform',
        params: { expression: "{ 'type': event, 'cents': amount, 'customer': customer_id }" },
      },
      { id: 'big', type: 'filter', params: { condition: 'cents > 1000' } },
      {
        id: 'answer',
        type: 'respond',
        params: { status: 201, headers: { 'X-Flow': 'sync-{{customer}}' } },
      },
    ],
    edges: [
      { from: 'hook', to: 'map' },
      { from: 'map', to: 'big' },
      { from: 'big', port: 'true', to: 'answer' },
    ],
  };
}

eachMode((mode) => {
  let hookflow: RunningHookflow;
  beforeAll(async () => {
    hookflow = await mode.start();
  });
  afterAll(async () => hookflow?.stop());

  async function importFlow(document: unknown): Promise<FlowView> {
    const answer = await hookflow.api.api<FlowView>('POST', '/api/flows/import', {
      body: document,
    });
    expect(answer.status).toBe(201);
    return answer.body;
  }

  it("when-finished answers with the respond node's status, headers and body", async () => {
    const flow = await importFlow(syncFlow());
    const answer = await hookflow.api.post(
      flow.triggers[0].path,
      JSON.stringify({ event: 'charge', amount: 2500, customer_id: 'c7' }),
    );
    expect(answer.status).toBe(201);
    expect(answer.headers.get('x-flow')).toBe('sync-c7');
    expect(answer.body).toEqual({ type: 'charge', cents: 2500, customer: 'c7' });
  });

  it('when-finished answers 204 when the filter stops the path before any respond node', async () => {
    const flow = await importFlow(syncFlow());
    const answer = await hookflow.api.post(
      flow.triggers[0].path,
      JSON.stringify({ event: 'charge', amount: 10, customer_id: 'c8' }),
    );
    expect(answer.status).toBe(204);
  });

  it('when-finished falls back to 202 with a status URL when the run outlasts the timeout', async () => {
    const flow = await importFlow({
      format: 'hookflow.flow/v1',
      name: 'slow',
      nodes: [
        hook({ respond: 'when-finished', timeoutMs: 300 }),
        { id: 'wait', type: 'delay', params: { durationMs: 5000 } },
      ],
      edges: [{ from: 'hook', to: 'wait' }],
    });
    const answer = await hookflow.api.post(flow.triggers[0].path, '{}');
    expect(answer.status).toBe(202);
    const body = answer.body as { executionId: string; statusUrl: string };
    expect(body.statusUrl).toBe(`/api/executions/${body.executionId}`);
    const status = await hookflow.api.api<{ status: string }>('GET', body.statusUrl);
    expect(['pending', 'running', 'waiting']).toContain(status.body.status);
  });

  it('when-finished answers the last output without a respond node, and 500 when the run fails', async () => {
    const flow = await importFlow({
      format: 'hookflow.flow/v1',
      name: 'no respond',
      nodes: [
        hook({ respond: 'when-finished' }),
        { id: 'map', type: 'transform', params: { expression: '{ "doubled": n * 2 }' } },
      ],
      edges: [{ from: 'hook', to: 'map' }],
    });
    const ok = await hookflow.api.post(flow.triggers[0].path, JSON.stringify({ n: 21 }));
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ doubled: 42 });
    const failed = await hookflow.api.post(flow.triggers[0].path, JSON.stringify({ n: 'x' }));
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({
      error: { code: 'execution_failed' },
      executionId: expect.any(String),
    });
    expect(JSON.stringify(failed.body)).not.toMatch(/at .*\.ts:\d+/);
  });
});

eachDatabase((target) => {
  let database: TestDatabase;
  let hookflow: TestApp;
  beforeAll(async () => {
    database = await target.create();
    hookflow = await startTestApp({ ...database.env, HOOKFLOW_TRUSTED_PROXIES: '127.0.0.2' });
  });
  afterAll(async () => {
    await hookflow?.close();
    await database?.drop();
  });

  async function importFlow(document: unknown): Promise<FlowView> {
    const answer = await hookflow.api<FlowView>('POST', '/api/flows/import', { body: document });
    expect(answer.status).toBe(201);
    return answer.body;
  }
  const single = (params: Record<string, unknown>) => ({
    format: 'hookflow.flow/v1',
    name: 'trigger settings',
    nodes: [hook(params)],
    edges: [],
  });

  it('answers a Slack-style URL check through a respond node (GET echo and url_verification)', async () => {
    const flow = await importFlow({
      format: 'hookflow.flow/v1',
      name: 'slack events',
      nodes: [
        hook({ respond: 'when-finished', methods: ['GET', 'POST'] }),
        {
          id: 'isCheck',
          type: 'filter',
          params: { condition: "type = 'url_verification' or $exists(challenge)" },
        },
        {
          id: 'echo',
          type: 'respond',
          params: { status: 200, body: '{ "challenge": challenge }' },
        },
      ],
      edges: [
        { from: 'hook', to: 'isCheck' },
        { from: 'isCheck', port: 'true', to: 'echo' },
      ],
    });
    const post = await hookflow.post(
      flow.triggers[0].path,
      JSON.stringify({
        type: 'url_verification',
        challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
      }),
    );
    expect(post.status).toBe(200);
    expect(post.body).toEqual({
      challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
    });
    const get = await call(`${hookflow.url}${flow.triggers[0].path}?challenge=abc123`, 'GET');
    expect(get.status).toBe(200);
    expect(get.body).toEqual({ challenge: 'abc123' });
  });

  it('accepts only the configured methods, answering 405 with Allow', async () => {
    const flow = await importFlow(single({ methods: ['PUT'] }));
    const post = await hookflow.post(flow.triggers[0].path, '{}');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('PUT');
    const put = await call(`${hookflow.url}${flow.triggers[0].path}`, 'PUT', {
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(put.status).toBe(202);
  });

  it('enforces the IP allowlist (403), trusting X-Forwarded-For only from configured proxies', async () => {
    const elsewhere = await importFlow(single({ ipAllow: ['10.0.0.0/8', '2001:db8::/32'] }));
    const refused = await hookflow.post(elsewhere.triggers[0].path, '{}', {
      'content-type': 'application/json',
      // Our peer (127.0.0.1) is not a trusted proxy: this header is not believed.
      'x-forwarded-for': '10.1.2.3',
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'forbidden' } });

    const local = await importFlow(single({ ipAllow: ['127.0.0.1/32'] }));
    expect((await hookflow.post(local.triggers[0].path, '{}')).status).toBe(202);

    const invalid = await hookflow.api<{ error: { details: Array<{ path: string }> } }>(
      'POST',
      '/api/flows',
      { body: single({ ipAllow: ['10.0.0.0/33'] }) },
    );
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details[0].path).toBe('/nodes/0/params/ipAllow');
  });

  it('rate-limits a trigger with 429 and Retry-After, and logs the refusals', async () => {
    const flow = await importFlow(single({ rateLimit: { requests: 3, perSeconds: 60 } }));
    const answers = [];
    for (let index = 0; index < 5; index += 1) {
      answers.push(await hookflow.post(flow.triggers[0].path, JSON.stringify({ index })));
    }
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 429, 429]);
    expect(Number(answers[3].headers.get('retry-after'))).toBeGreaterThan(0);
    expect(answers[3].body).toMatchObject({ error: { code: 'rate_limited' } });
  });

  it('runs a disabled flow from its test URL and keeps the request as sample data', async () => {
    const created = await hookflow.api<FlowView & { triggers: Array<{ testPath: string }> }>(
      'POST',
      '/api/flows',
      { body: { ...single({}), enabled: false } },
    );
    const { path, testPath } = created.body.triggers[0];
    expect((await hookflow.post(path, '{"live": true}')).status).toBe(404);
    const tested = await hookflow.post(testPath, '{"order": {"id": 42}}', {
      'content-type': 'application/json',
      'x-shop': 'demo',
    });
    expect(tested.status).toBe(202);
    const sample = await hookflow.api<{
      items: Array<{ nodeId: string; request: { body: unknown; headers: Record<string, string> } }>;
    }>('GET', `/api/flows/${created.body.id}/sample`);
    expect(sample.body.items).toHaveLength(1);
    expect(sample.body.items[0]).toMatchObject({
      nodeId: 'hook',
      request: { body: { order: { id: 42 } }, headers: { 'x-shop': 'demo' } },
    });
    // The run itself, not the GET's HTTP status: it ran to the end although the flow is disabled.
    const executionId = (tested.body as { executionId: string }).executionId;
    const status = await waitFor(`execution ${executionId} to finish`, async () => {
      const run = await hookflow.api<{ status: string }>('GET', `/api/executions/${executionId}`);
      return ['succeeded', 'failed', 'cancelled'].includes(run.body.status)
        ? run.body.status
        : undefined;
    });
    expect(status).toBe('succeeded');
  });

  it("applies a trigger's own body limit (413)", async () => {
    const flow = await importFlow(single({ maxBodyBytes: 64 }));
    const big = await hookflow.post(
      flow.triggers[0].path,
      JSON.stringify({ pad: 'x'.repeat(100) }),
    );
    expect(big.status).toBe(413);
    const small = await hookflow.post(flow.triggers[0].path, JSON.stringify({ ok: 1 }));
    expect(small.status).toBe(202);
  });

  it('reads multipart fields and files (with their bytes), and refuses a file over the limit', async () => {
    const flow = await importFlow({
      format: 'hookflow.flow/v1',
      name: 'upload',
      nodes: [
        hook({ respond: 'when-finished' }),
        { id: 'same', type: 'transform', params: { expression: '$' } },
      ],
      edges: [{ from: 'hook', to: 'same' }],
    });
    const form = new FormData();
    form.append('name', 'Ada');
    form.append('invoice', new Blob(['%PDF-1.4 tiny'], { type: 'application/pdf' }), 'inv.pdf');
    const response = await fetch(`${hookflow.url}${flow.triggers[0].path}`, {
      method: 'POST',
      body: form,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      name: 'Ada',
      invoice: {
        filename: 'inv.pdf',
        contentType: 'application/pdf',
        size: 13,
        content: Buffer.from('%PDF-1.4 tiny').toString('base64'),
      },
    });
    const big = new FormData();
    big.append('blob', new Blob([new Uint8Array(11 * 1024 * 1024)]), 'big.bin');
    const tooBig = await fetch(`${hookflow.url}${flow.triggers[0].path}`, {
      method: 'POST',
      body: big,
    });
    expect(tooBig.status).toBe(413);
  });

  it('runs form, XML and text bodies, keeps big integers exact, and is not polluted by __proto__', async () => {
    const flow = await importFlow({
      format: 'hookflow.flow/v1',
      name: 'echo body',
      nodes: [
        hook({ respond: 'when-finished' }),
        { id: 'same', type: 'transform', params: { expression: '$' } },
      ],
      edges: [{ from: 'hook', to: 'same' }],
    });
    const path = flow.triggers[0].path;
    const form = await hookflow.post(path, 'name=Ada&tag=a&tag=b', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.body).toEqual({ name: 'Ada', tag: ['a', 'b'] });
    const xml = await hookflow.post(path, '<order id="7"><item>pen</item></order>', {
      'content-type': 'application/xml',
    });
    expect(xml.body).toEqual({ order: { '@_id': '7', item: 'pen' } });
    const text = await hookflow.post(path, 'hello', { 'content-type': 'text/plain' });
    expect(text.body).toBe('hello');
    const bigInt = await hookflow.post(path, '{"id": 12345678901234567890}');
    expect(bigInt.body).toEqual({ id: '12345678901234567890' });
    const polluting = await hookflow.post(path, '{"__proto__": {"polluted": true}, "a": 1}');
    expect(polluting.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(polluting.body).toEqual({ a: 1 });
  });
});
