import { eachDatabase, type TestDatabase } from './support/databases';
import { linearFlow } from './support/flows';
import { startTestApp, type TestApp } from './support/test-app';

interface FlowView {
  id: string;
  name: string;
  enabled: boolean;
  version: number;
  triggers: Array<{ nodeId: string; hookId: string; path: string }>;
  document: { nodes: Array<{ id: string }> };
}
interface ErrorView {
  error: { code: string; message: string; details: Array<{ path: string; message: string }> };
}

eachDatabase((target) => {
  let database: TestDatabase;
  let hookflow: TestApp;
  const sink = 'http://127.0.0.1:9';

  beforeAll(async () => {
    database = await target.create();
    hookflow = await startTestApp(database.env);
  });
  afterAll(async () => {
    await hookflow?.close();
    await database?.drop();
  });

  it('imports a flow document and exports the same document back', async () => {
    const document = linearFlow(sink);
    const imported = await hookflow.api<FlowView>('POST', '/api/flows/import', { body: document });
    expect(imported.status).toBe(201);
    expect(imported.body.triggers).toEqual([
      expect.objectContaining({
        nodeId: 'hook',
        path: `/hooks/${imported.body.triggers[0].hookId}`,
      }),
    ]);
    expect(imported.body.triggers[0].hookId).toMatch(/^[A-Za-z0-9_-]{32}$/);

    const exported = await hookflow.api('GET', `/api/flows/${imported.body.id}/export`);
    expect(exported.status).toBe(200);
    // The document, plus its schema and the ids another installation keeps (flow, hook).
    expect(exported.body).toEqual({
      $schema: expect.stringMatching(/\/api\/schema\/flow\.json$/) as unknown,
      id: imported.body.id,
      ...document,
      hooks: { hook: imported.body.triggers[0].hookId },
    });
  });

  it('creates, lists, updates, disables, enables and deletes a flow', async () => {
    const created = await hookflow.api<FlowView>('POST', '/api/flows', {
      body: { ...linearFlow(sink), name: 'crud' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'crud', enabled: true, version: 1 });
    const id = created.body.id;

    const listed = await hookflow.api<{ items: Array<{ id: string }>; total: number }>(
      'GET',
      '/api/flows?limit=100',
    );
    expect(listed.body.items.map((flow) => flow.id)).toContain(id);

    const updated = await hookflow.api<FlowView>('PUT', `/api/flows/${id}`, {
      body: { ...linearFlow(sink), name: 'crud v2' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'crud v2', version: 2 });

    const disabled = await hookflow.api<FlowView>('POST', `/api/flows/${id}/disable`);
    expect(disabled.body.enabled).toBe(false);
    const enabled = await hookflow.api<FlowView>('POST', `/api/flows/${id}/enable`);
    expect(enabled.body.enabled).toBe(true);

    expect((await hookflow.api('DELETE', `/api/flows/${id}`)).status).toBe(204);
    expect((await hookflow.api('GET', `/api/flows/${id}`)).status).toBe(404);
  });

  it('keeps the hook URL through edits, new versions and disable/enable', async () => {
    const created = await hookflow.api<FlowView>('POST', '/api/flows', { body: linearFlow(sink) });
    const hookPath = created.body.triggers[0].path;
    const id = created.body.id;

    const renamed = { ...linearFlow(sink), name: 'renamed' };
    const updated = await hookflow.api<FlowView>('PUT', `/api/flows/${id}`, { body: renamed });
    expect(updated.body.triggers[0].path).toBe(hookPath);

    await hookflow.api('POST', `/api/flows/${id}/disable`);
    const enabled = await hookflow.api<FlowView>('POST', `/api/flows/${id}/enable`);
    expect(enabled.body.triggers[0].path).toBe(hookPath);
    expect((await hookflow.api<FlowView>('GET', `/api/flows/${id}`)).body.triggers[0].path).toBe(
      hookPath,
    );
  });

  it('refuses an invalid flow with every problem and its path, and saves nothing', async () => {
    const before = await hookflow.api<{ total: number }>('GET', '/api/flows');
    const invalid = {
      format: 'hookflow.flow/v1',
      name: 'broken',
      nodes: [
        { id: 'hook', type: 'trigger.webhook', params: {} },
        { id: 'map', type: 'transform', params: { expression: '{ "a": ' } },
        { id: 'map', type: 'filter', params: { condition: 'true' } },
        { id: 'x', type: 'no.such.type', params: {} },
        { id: 'call', type: 'http.request', params: { url: '{{#if a}}', timeoutMs: 5 } },
      ],
      edges: [
        { from: 'hook', to: 'ghost' },
        { from: 'call', to: 'hook' },
      ],
    };
    for (const path of ['/api/flows', '/api/flows/import']) {
      const answer = await hookflow.api<ErrorView>('POST', path, { body: invalid });
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('invalid_flow');
      const paths = answer.body.error.details.map((detail) => detail.path);
      expect(paths).toEqual(
        expect.arrayContaining([
          '/nodes/1/params/expression',
          '/nodes/2/id',
          '/nodes/3/type',
          '/nodes/4/params/url',
          '/nodes/4/params/timeoutMs',
          '/edges/0/to',
          '/edges/1/to',
        ]),
      );
      const expression = answer.body.error.details.find(
        (detail) => detail.path === '/nodes/1/params/expression',
      );
      expect(expression?.message).toMatch(/JSONata.*position/);
    }
    const after = await hookflow.api<{ total: number }>('GET', '/api/flows');
    expect(after.body.total).toBe(before.body.total);
  });

  it('refuses unknown fields in a request body with 400 naming the field', async () => {
    const answer = await hookflow.api<ErrorView>('POST', '/api/flows', {
      body: { ...linearFlow(sink), owner: 'me' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details).toContainEqual(expect.objectContaining({ path: '/owner' }));
  });

  it('answers 401 without a key or with a wrong key, and 404 JSON for unknown routes', async () => {
    const missing = await hookflow.api<ErrorView>('GET', '/api/flows', { auth: false });
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('unauthorized');
    const wrong = await hookflow.api<ErrorView>('GET', '/api/flows', { auth: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    const unknown = await hookflow.api<ErrorView>('GET', '/api/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    const noFlow = await hookflow.api<ErrorView>('GET', '/api/flows/not-a-uuid');
    expect(noFlow.status).toBe(404);
  });

  it('answers malformed JSON on the API with 400 in the error shape', async () => {
    const answer = await hookflow.post('/api/flows', '{"name": ', {
      'content-type': 'application/json',
      authorization: 'Bearer e2e-test-key-0123456789abcdef',
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { code: 'bad_request' } });
  });

  it('serves the OpenAPI document and health', async () => {
    const docs = await hookflow.api<{ paths: Record<string, unknown> }>(
      'GET',
      '/api/docs/openapi.json',
      { auth: false },
    );
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/api/flows', '/api/flows/import', '/api/executions/{id}']),
    );
    const health = await hookflow.api('GET', '/health', { auth: false });
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: 'ok',
      database: { kind: target.name, status: 'up' },
    });
  });

  it('keeps hook URLs across a restart', async () => {
    const created = await hookflow.api<FlowView>('POST', '/api/flows', { body: linearFlow(sink) });
    await hookflow.close();
    hookflow = await startTestApp(database.env);
    const after = await hookflow.api<FlowView>('GET', `/api/flows/${created.body.id}`);
    expect(after.body.triggers[0].path).toBe(created.body.triggers[0].path);
  });
});
