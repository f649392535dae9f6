import { eachDatabase, type TestDatabase } from './support/databases';
import { startSink, type Sink } from './support/sink';
import { startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

interface ExecutionView {
  status: string;
  steps: Array<{ nodeId: string; status: string; output: unknown }>;
}

eachDatabase((target) => {
  let database: TestDatabase;
  let hookflow: TestApp;
  let inventory: Sink;

  beforeAll(async () => {
    database = await target.create();
    inventory = await startSink();
    hookflow = await startTestApp(database.env);
  });
  afterAll(async () => {
    await hookflow?.close();
    await inventory?.close();
    await database?.drop();
  });

  it('Shopify order: split 3 line items -> one HTTP call each -> merge into one output', async () => {
    inventory.reply((request) => ({
      status: 200,
      body: { reserved: request.url.split('/').pop(), qty: JSON.parse(request.body).qty },
    }));
    const flow = await hookflow.api<{ triggers: Array<{ path: string }> }>('POST', '/api/flows', {
      body: {
        name: 'orders/create -> inventory',
        nodes: [
          { id: 'shopify', type: 'trigger.webhook', params: {} },
          { id: 'items', type: 'split', params: { items: 'line_items' } },
          {
            id: 'reserve',
            type: 'http.request',
            params: {
              url: `${inventory.url}/reserve/{{sku}}`,
              body: "{ 'qty': quantity, 'order': $trigger.body.id }",
            },
          },
          { id: 'summary', type: 'merge', params: { combine: '{ "reserved": body.reserved }' } },
        ],
        edges: [
          { from: 'shopify', to: 'items' },
          { from: 'items', to: 'reserve' },
          { from: 'reserve', to: 'summary' },
        ],
      },
    });
    expect(flow.status).toBe(201);
    const order = {
      id: 820982911946154500,
      line_items: [
        { sku: 'IPOD-342-N', quantity: 1 },
        { sku: 'CASE-9', quantity: 2 },
        { sku: 'CABLE-1', quantity: 3 },
      ],
    };
    const accepted = await hookflow.post(flow.body.triggers[0].path, JSON.stringify(order));
    const { executionId } = accepted.body as { executionId: string };
    const done = await waitFor('the order run', async () => {
      const view = await hookflow.api<ExecutionView>('GET', `/api/executions/${executionId}`);
      return view.body.status === 'succeeded' ? view.body : undefined;
    });

    expect(inventory.received.map((request) => request.url)).toEqual([
      '/reserve/IPOD-342-N',
      '/reserve/CASE-9',
      '/reserve/CABLE-1',
    ]);
    expect(inventory.received.map((request) => request.headers['idempotency-key'])).toEqual([
      `${executionId}:reserve:0`,
      `${executionId}:reserve:1`,
      `${executionId}:reserve:2`,
    ]);
    const merges = done.steps.filter((step) => step.nodeId === 'summary');
    expect(merges).toHaveLength(1);
    expect(merges[0].output).toEqual({ reserved: ['IPOD-342-N', 'CASE-9', 'CABLE-1'] });
    expect(done.steps.filter((step) => step.nodeId === 'reserve')).toHaveLength(3);
  });

  it('a lead form branches on country with a switch; an HTTP failure is routed to an error port', async () => {
    inventory.reply((request) =>
      request.url === '/crm'
        ? { status: 500, body: { error: 'crm down' } }
        : { status: 200, body: {} },
    );
    const flow = await hookflow.api<{ triggers: Array<{ path: string }> }>('POST', '/api/flows', {
      body: {
        name: 'lead form',
        nodes: [
          { id: 'form', type: 'trigger.webhook', params: { respond: 'when-finished' } },
          {
            id: 'route',
            type: 'switch',
            params: { rules: [{ port: 'de', condition: "country = 'DE'" }] },
          },
          {
            id: 'crm',
            type: 'http.request',
            params: { url: `${inventory.url}/crm` },
            onError: 'route',
          },
          { id: 'fallback', type: 'set', params: { fields: [{ name: 'queued', value: true }] } },
          { id: 'other', type: 'set', params: { fields: [{ name: 'ignored', value: true }] } },
        ],
        edges: [
          { from: 'form', to: 'route' },
          { from: 'route', port: 'de', to: 'crm' },
          { from: 'route', port: 'default', to: 'other' },
          { from: 'crm', port: 'error', to: 'fallback' },
        ],
      },
    });
    expect(flow.status).toBe(201);
    const answer = await hookflow.post(flow.body.triggers[0].path, 'name=Ada&country=DE', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      queued: true,
      error: { code: 'http_status', nodeId: 'crm' },
    });
  });

  it("a failed run starts the flow's error flow with { execution, node, error }", async () => {
    inventory.reply((request) =>
      request.url === '/fail'
        ? { status: 500, body: { error: 'boom' } }
        : { status: 200, body: {} },
    );
    const alerts = await hookflow.api<{ id: string }>('POST', '/api/flows', {
      body: {
        name: 'alerts',
        nodes: [
          { id: 'failure', type: 'trigger.webhook', params: {} },
          {
            id: 'page',
            type: 'http.request',
            params: {
              url: `${inventory.url}/alert`,
              body: "{ 'flow': execution.flowName, 'node': node.id, 'code': error.code }",
            },
          },
        ],
        edges: [{ from: 'failure', to: 'page' }],
      },
    });
    const main = await hookflow.api<{ triggers: Array<{ path: string }> }>('POST', '/api/flows', {
      body: {
        name: 'fragile',
        settings: { errorFlow: alerts.body.id },
        nodes: [
          { id: 'hook', type: 'trigger.webhook', params: {} },
          { id: 'call', type: 'http.request', params: { url: `${inventory.url}/fail` } },
        ],
        edges: [{ from: 'hook', to: 'call' }],
      },
    });
    await hookflow.post(main.body.triggers[0].path, '{}');
    const alert = await waitFor('the alert', async () =>
      inventory.received.find((request) => request.url === '/alert'),
    );
    expect(JSON.parse(alert.body)).toEqual({ flow: 'fragile', node: 'call', code: 'http_status' });
  });
});
