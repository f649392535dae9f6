import { eachDatabase, type TestDatabase } from './support/databases';
import { startSink, type Sink } from './support/sink';
import { startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

interface ExecutionView {
  status: string;
  error: { code: string; message: string } | null;
}

const SECRET_TOKEN = 'tok-5ecret-must-never-leak-77';

eachDatabase((target) => {
  let database: TestDatabase;
  let hookflow: TestApp;
  let sink: Sink;
  const logLines: string[] = [];

  beforeAll(async () => {
    database = await target.create();
    sink = await startSink();
    // The default outbound rule: no private address allowed.
    hookflow = await startTestApp(
      { ...database.env, HOOKFLOW_OUTBOUND_ALLOW: '', HOOKFLOW_EXPRESSION_TIMEOUT_MS: '200' },
      logLines,
    );
  });
  afterAll(async () => {
    await hookflow?.close();
    await sink?.close();
    await database?.drop();
  });

  async function runOnce(nodes: unknown[], body: unknown = {}): Promise<ExecutionView> {
    const flow = await hookflow.api<{ triggers: Array<{ path: string }> }>('POST', '/api/flows', {
      body: {
        name: 'safety',
        nodes: [
          { id: 'hook', type: 'trigger.webhook', params: { dedup: { mode: 'off' } } },
          ...nodes,
        ],
        edges: nodes.map((node) => ({ from: 'hook', to: (node as { id: string }).id })),
      },
    });
    expect(flow.status).toBe(201);
    const accepted = await hookflow.post(flow.body.triggers[0].path, JSON.stringify(body));
    const { executionId } = accepted.body as { executionId: string };
    return waitFor('the run to finish', async () => {
      const view = await hookflow.api<ExecutionView>('GET', `/api/executions/${executionId}`);
      return ['succeeded', 'failed'].includes(view.body.status) ? view.body : undefined;
    });
  }

  it.each([
    ['127.0.0.1', (port: string) => `http://127.0.0.1:${port}/x`],
    ['an IPv4-mapped IPv6 loopback', (port: string) => `http://[::ffff:127.0.0.1]:${port}/x`],
    ['a hostname that resolves to loopback', (port: string) => `http://localhost:${port}/x`],
  ])('blocks an HTTP node aimed at %s by default; the server sees nothing', async (_name, url) => {
    const port = new URL(sink.url).port;
    const before = sink.received.length;
    const run = await runOnce([{ id: 'call', type: 'http.request', params: { url: url(port) } }]);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'blocked' });
    expect(run.error?.message).toMatch(/private|loopback/);
    expect(sink.received.length).toBe(before);
  });

  it('fails a runaway JSONata expression within its limit while other runs complete', async () => {
    const runaway = runOnce([
      { id: 'loop', type: 'transform', params: { expression: '($f := function(){ $f() }; $f())' } },
    ]);
    const normal = runOnce([
      { id: 'map', type: 'transform', params: { expression: '{ "ok": true }' } },
    ]);
    const [stuck, fine] = await Promise.all([runaway, normal]);
    expect(stuck.status).toBe('failed');
    expect(['expression_timeout', 'expression_depth']).toContain(stuck.error?.code);
    expect(fine.status).toBe('succeeded');
  });

  it('renders prototype-reaching templates as nothing', async () => {
    const run = await runOnce([
      {
        id: 'respond',
        type: 'respond',
        params: {
          status: 200,
          headers: {
            'X-A': '{{constructor.constructor}}',
            'X-B': '{{lookup this "__proto__"}}',
            'X-C': '{{#with (lookup this "constructor")}}{{name}}{{/with}}',
          },
        },
      },
    ]);
    expect(run.status).toBe('succeeded');
    const steps = await hookflow.api<{ items: Array<{ id: string }> }>(
      'GET',
      '/api/executions?limit=1',
    );
    const detail = await hookflow.api<{ response: { headers: Record<string, string> } }>(
      'GET',
      `/api/executions/${steps.body.items[0].id}`,
    );
    expect(detail.body.response.headers).toEqual({ 'X-A': '', 'X-B': '', 'X-C': '' });
  });

  it("never writes a credential's secret to a log line", async () => {
    await hookflow.api('POST', '/api/credentials', {
      body: { name: 'api-token', type: 'http-bearer', data: { token: SECRET_TOKEN } },
    });
    await hookflow.api('GET', '/api/credentials');
    await runOnce([
      {
        id: 'call',
        type: 'http.request',
        credential: 'api-token',
        params: { url: 'http://127.0.0.1:9/blocked-anyway' },
      },
    ]);
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(SECRET_TOKEN);
  });
});
