import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { MetricsListener } from '@hookflow/api';
import { sqlite, type TestDatabase } from './support/databases';
import { metricFamilies, metricValue } from './support/metrics';
import { startSink, type Sink } from './support/sink';
import { call, startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const METRICS_TOKEN = `metrics-${randomBytes(12).toString('hex')}`;

interface FlowView {
  id: string;
  triggers: Array<{ path: string }>;
}

/** hook -> POST <sink>/<status>: the sink answers the status named in the path. */
function callFlow(sinkUrl: string) {
  return {
    format: 'hookflow.flow/v1',
    name: 'metrics: call the sink',
    nodes: [
      { id: 'hook', type: 'trigger.webhook', params: { methods: ['POST'] } },
      { id: 'map', type: 'transform', params: { expression: '{ "want": want }' } },
      { id: 'call', type: 'http.request', params: { url: `${sinkUrl}/{{want}}`, method: 'POST' } },
    ],
    edges: [
      { from: 'hook', to: 'map' },
      { from: 'map', to: 'call' },
    ],
  };
}

describe('metrics', () => {
  let database: TestDatabase;
  let hookflow: TestApp;
  let sink: Sink;
  let flow: FlowView;
  let hookId: string;

  beforeAll(async () => {
    sink = await startSink();
    sink.reply((request) => ({ status: Number(request.url.slice(1)) || 200, body: {} }));
    database = await sqlite.create();
    hookflow = await startTestApp({
      ...database.env,
      HOOKFLOW_METRICS_TOKEN: METRICS_TOKEN,
      HOOKFLOW_METRICS_PORT: '0',
    });
    const imported = await hookflow.api<FlowView>('POST', '/api/flows/import', {
      body: callFlow(sink.url),
    });
    expect(imported.status).toBe(201);
    flow = imported.body;
    hookId = flow.triggers[0].path.split('/').pop() as string;
  });
  afterAll(async () => {
    await hookflow?.close();
    await database?.drop();
    await sink?.close();
  });

  const scrape = async (): Promise<string> => {
    const answer = await call<string>(`${hookflow.url}/metrics`, 'GET', {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
    return answer.body;
  };

  const settled = (executionId: string) =>
    waitFor(`execution ${executionId} to finish`, async () => {
      const view = await hookflow.api<{ status: string }>('GET', `/api/executions/${executionId}`);
      return ['succeeded', 'failed'].includes(view.body.status) ? view.body.status : undefined;
    });

  const deliver = async (body: unknown, headers: Record<string, string> = {}) =>
    hookflow.post(flow.triggers[0].path, JSON.stringify(body), {
      'content-type': 'application/json',
      ...headers,
    });

  it('refuses a scrape on the main port without the metrics token, or with another one', async () => {
    const none = await call(`${hookflow.url}/metrics`, 'GET');
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ error: { code: 'unauthorized' } });
    const apiKey = await hookflow.api('GET', '/metrics');
    expect(apiKey.status).toBe(401);
  });

  it('exposes every listed series, on the main port and on the metrics port', async () => {
    const text = await scrape();
    const families = metricFamilies(text);
    for (const name of [
      'hookflow_deliveries_total',
      'hookflow_executions_total',
      'hookflow_node_duration_seconds',
      'hookflow_outbound_http_requests_total',
      'hookflow_queue_depth',
      'hookflow_intake_in_flight',
      'nodejs_eventloop_lag_seconds',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(families).toContain(name);
    }
    for (const state of ['waiting', 'active', 'delayed', 'failed']) {
      expect(metricValue(text, 'hookflow_queue_depth', { state })).toBeGreaterThanOrEqual(0);
    }
    const port = hookflow.app.get(MetricsListener).port;
    expect(port).toBeGreaterThan(0);
    const separate = await call<string>(`http://127.0.0.1:${port}/metrics`, 'GET');
    expect(separate.status).toBe(200);
    expect(metricFamilies(separate.body)).toContain('hookflow_deliveries_total');
  });

  it('counts deliveries, executions, node durations and HTTP outcomes as deliveries arrive', async () => {
    const before = await scrape();
    const count = (text: string, name: string, labels: Record<string, string>) =>
      metricValue(text, name, labels) ?? 0;

    const key = `dup-${randomBytes(4).toString('hex')}`;
    const answers = [
      await deliver({ want: 200 }),
      await deliver({ want: 204 }),
      await deliver({ want: 200 }, { 'idempotency-key': key }),
      await deliver({ want: 500 }),
    ];
    for (const answer of answers) expect(answer.status).toBe(202);
    const repeat = await deliver({ want: 200 }, { 'idempotency-key': key });
    expect(repeat.body).toMatchObject({ duplicate: true });
    const wrongMethod = await hookflow.api('PUT', flow.triggers[0].path, { auth: false });
    expect(wrongMethod.status).toBe(405);
    const unknownHook = await hookflow.post('/hooks/no-such-hook', '{}');
    expect(unknownHook.status).toBe(404);

    const ids = answers.map((answer) => (answer.body as { executionId: string }).executionId);
    const statuses = await Promise.all(ids.map(settled));
    expect(statuses).toEqual(['succeeded', 'succeeded', 'succeeded', 'failed']);

    const after = await scrape();
    // Every webhook request has been answered: none is counted as still being received.
    expect(metricValue(after, 'hookflow_intake_in_flight')).toBe(0);
    const delta = (name: string, labels: Record<string, string>) =>
      count(after, name, labels) - count(before, name, labels);
    const trigger = hookId;
    expect(delta('hookflow_deliveries_total', { trigger, status: 'accepted' })).toBe(4);
    expect(delta('hookflow_deliveries_total', { trigger, status: 'deduplicated' })).toBe(1);
    expect(
      delta('hookflow_deliveries_total', { trigger, status: 'rejected', reason: 'method' }),
    ).toBe(1);
    expect(
      delta('hookflow_deliveries_total', {
        trigger: 'unknown',
        status: 'rejected',
        reason: 'not_found',
      }),
    ).toBe(1);
    expect(delta('hookflow_executions_total', { flow: flow.id, status: 'succeeded' })).toBe(3);
    expect(delta('hookflow_executions_total', { flow: flow.id, status: 'failed' })).toBe(1);
    expect(delta('hookflow_outbound_http_requests_total', { status_class: '2xx' })).toBe(3);
    expect(delta('hookflow_outbound_http_requests_total', { status_class: '5xx' })).toBe(1);
    // Every run ran hook, map and call: 4 runs, 4 of each node type.
    for (const nodeType of ['trigger.webhook', 'transform', 'http.request']) {
      expect(delta('hookflow_node_duration_seconds_count', { node_type: nodeType })).toBe(4);
    }
    expect(
      delta('hookflow_node_duration_seconds_count', {
        node_type: 'http.request',
        status: 'failed',
      }),
    ).toBe(1);
  });

  it('counts a replay as an accepted delivery of its trigger, like a webhook', async () => {
    const answer = await deliver({ want: 200 });
    const executionId = (answer.body as { executionId: string }).executionId;
    await settled(executionId);
    const run = await hookflow.api<{ deliveryId: string }>('GET', `/api/executions/${executionId}`);
    const accepted = (text: string) =>
      metricValue(text, 'hookflow_deliveries_total', { trigger: hookId, status: 'accepted' }) ?? 0;
    const before = accepted(await scrape());
    const replay = await hookflow.api<{ executionId: string }>(
      'POST',
      `/api/deliveries/${run.body.deliveryId}/replay`,
      { body: {} },
    );
    expect(replay.status).toBe(202);
    expect(await settled(replay.body.executionId)).toBe('succeeded');
    expect(accepted(await scrape())).toBe(before + 1);
  });

  it('answers 404 for /metrics on the main port when no metrics token is configured', async () => {
    const other = await sqlite.create();
    const plain = await startTestApp(other.env);
    try {
      const answer = await call(`${plain.url}/metrics`, 'GET', {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ error: { code: 'not_found' } });
      // No separate listener either, unless HOOKFLOW_METRICS_PORT is set.
      expect(plain.app.get(MetricsListener).port).toBeUndefined();
      const { port } = plain.app.getHttpServer().address() as AddressInfo;
      expect(port).toBeGreaterThan(0);
    } finally {
      await plain.close();
      await other.drop();
    }
  });
});
