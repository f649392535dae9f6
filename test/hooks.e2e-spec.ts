import { DeliveriesRepository } from '@hookflow/store';
import { eachDatabase, type TestDatabase } from './support/databases';
import { linearFlow, stripeEvent } from './support/flows';
import { startSink, type Sink } from './support/sink';
import { startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

interface Step {
  seq: number;
  nodeId: string;
  status: string;
  port: string | null;
  input: unknown;
  output: unknown;
  error: { code: string; message: string } | null;
}
interface ExecutionView {
  id: string;
  status: string;
  error: { code: string; message: string; nodeId?: string } | null;
  steps: Step[];
}
interface FlowView {
  id: string;
  triggers: Array<{ path: string; hookId: string }>;
}

eachDatabase((target) => {
  let database: TestDatabase;
  let hookflow: TestApp;
  let sink: Sink;
  let flow: FlowView;

  beforeAll(async () => {
    database = await target.create();
    sink = await startSink();
    hookflow = await startTestApp({ ...database.env, HOOKFLOW_MAX_BODY_BYTES: '4096' });
    flow = (
      await hookflow.api<FlowView>('POST', '/api/flows/import', { body: linearFlow(sink.url) })
    ).body;
  });
  afterAll(async () => {
    await hookflow?.close();
    await sink?.close();
    await database?.drop();
  });

  const finished = (executionId: string) =>
    waitFor(`execution ${executionId} to finish`, async () => {
      const answer = await hookflow.api<ExecutionView>('GET', `/api/executions/${executionId}`);
      return ['succeeded', 'failed'].includes(answer.body.status) ? answer.body : undefined;
    });

  const deliveries = () =>
    hookflow.app.get(DeliveriesRepository).listForHook(flow.triggers[0].hookId);

  it('answers 202 with an execution id and records every node with its input and output', async () => {
    sink.received.length = 0;
    const answer = await hookflow.post(flow.triggers[0].path, JSON.stringify(stripeEvent(25_000)));
    expect(answer.status).toBe(202);
    const { executionId } = answer.body as { executionId: string };

    const execution = await finished(executionId);
    expect(execution.status).toBe('succeeded');
    expect(execution.steps.map((step) => [step.nodeId, step.status, step.port])).toEqual([
      ['hook', 'succeeded', 'main'],
      ['map', 'succeeded', 'main'],
      ['big', 'succeeded', 'true'],
      ['notify', 'succeeded', 'main'],
    ]);
    expect(execution.steps[1]).toMatchObject({
      input: stripeEvent(25_000),
      output: { customer: 'cus_42', cents: 25_000 },
    });
    expect(execution.steps[3].output).toMatchObject({ status: 200, body: { ok: true } });

    // The HTTP node reached the loopback stand-in with the mapped body and an idempotency key.
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0]).toMatchObject({ method: 'POST', url: '/payments/cus_42' });
    expect(JSON.parse(sink.received[0].body)).toEqual({
      customer: 'cus_42',
      amount: 250,
      event: 'evt_25000',
    });
    expect(sink.received[0].headers['idempotency-key']).toBe(`${executionId}:notify`);
  });

  it("stops the filter's true path when the condition is false", async () => {
    sink.received.length = 0;
    const answer = await hookflow.post(flow.triggers[0].path, JSON.stringify(stripeEvent(500)));
    const execution = await finished((answer.body as { executionId: string }).executionId);
    expect(execution.status).toBe('succeeded');
    expect(execution.steps.map((step) => step.nodeId)).toEqual(['hook', 'map', 'big', 'small']);
    expect(execution.steps[2].port).toBe('false');
    expect(sink.received).toHaveLength(0);
  });

  it('fails the execution at the HTTP node when the receiver answers 500, naming the node', async () => {
    sink.reply(() => ({ status: 500, body: { error: 'boom' } }));
    try {
      const answer = await hookflow.post(
        flow.triggers[0].path,
        JSON.stringify(stripeEvent(90_000)),
      );
      const execution = await finished((answer.body as { executionId: string }).executionId);
      expect(execution.status).toBe('failed');
      expect(execution.error).toMatchObject({ code: 'http_status', nodeId: 'notify' });
      expect(execution.steps.at(-1)).toMatchObject({ nodeId: 'notify', status: 'failed' });
    } finally {
      sink.reply(() => ({ status: 200, body: { ok: true } }));
    }
  });

  it('lists executions by flow and status, newest first, paginated', async () => {
    // A flow of its own, so the counts do not depend on what earlier tests ran.
    const own = (
      await hookflow.api<FlowView>('POST', '/api/flows/import', { body: linearFlow(sink.url) })
    ).body;
    const ids: string[] = [];
    for (const amount of [25_000, 30_000, 5_000]) {
      const answer = await hookflow.post(own.triggers[0].path, JSON.stringify(stripeEvent(amount)));
      const executionId = (answer.body as { executionId: string }).executionId;
      expect((await finished(executionId)).status).toBe('succeeded');
      ids.push(executionId);
    }
    const page = (offset: number) =>
      hookflow.api<{ items: Array<{ id: string; status: string }>; total: number }>(
        'GET',
        `/api/executions?flowId=${own.id}&status=succeeded&limit=1&offset=${offset}`,
      );
    const pages = [await page(0), await page(1), await page(2)];
    for (const answer of pages) {
      expect(answer.status).toBe(200);
      expect(answer.body.total).toBe(3);
      expect(answer.body.items).toHaveLength(1);
      expect(answer.body.items[0].status).toBe('succeeded');
    }
    expect(pages.map((answer) => answer.body.items[0].id)).toEqual([...ids].reverse());
    const invalid = await hookflow.api('GET', '/api/executions?status=done');
    expect(invalid.status).toBe(400);
  });

  it('refuses malformed JSON with 400 and logs the delivery with its reason, without a run', async () => {
    const before = (
      await hookflow.api<{ total: number }>('GET', `/api/executions?flowId=${flow.id}`)
    ).body.total;
    const answer = await hookflow.post(flow.triggers[0].path, '{"id": "evt_1", ');
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { code: 'bad_request' } });
    expect((answer.body as { error: { message: string } }).error.message).toMatch(/not valid JSON/);
    const logged = await deliveries();
    expect(logged[0]).toMatchObject({ status: 400, executionId: null, body: '{"id": "evt_1", ' });
    expect(logged[0].reason).toMatch(/not valid JSON/);
    const after = (
      await hookflow.api<{ total: number }>('GET', `/api/executions?flowId=${flow.id}`)
    ).body.total;
    expect(after).toBe(before);
  });

  it('refuses a content type it cannot read with 415 and logs it', async () => {
    const answer = await hookflow.post(flow.triggers[0].path, 'a=1', {
      'content-type': 'application/octet-stream',
    });
    expect(answer.status).toBe(415);
    expect((await deliveries())[0]).toMatchObject({ status: 415 });
  });

  it('refuses a body over the size limit with 413 and logs it', async () => {
    const answer = await hookflow.post(
      flow.triggers[0].path,
      JSON.stringify({ padding: 'x'.repeat(10_000) }),
    );
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ error: { code: 'payload_too_large' } });
    expect((await deliveries())[0]).toMatchObject({ status: 413 });
  });

  it('answers unknown and disabled hooks with the same 404 body, and logs both', async () => {
    const unknown = await hookflow.post('/hooks/does-not-exist', '{}');
    await hookflow.api('POST', `/api/flows/${flow.id}/disable`);
    const disabled = await hookflow.post(flow.triggers[0].path, '{}');
    await hookflow.api('POST', `/api/flows/${flow.id}/enable`);
    expect(unknown.status).toBe(404);
    expect(disabled.status).toBe(404);
    expect(disabled.body).toEqual(unknown.body);
    expect((await deliveries())[0]).toMatchObject({ status: 404, reason: 'flow is disabled' });
    const unknownLog = await hookflow.app.get(DeliveriesRepository).listForHook('does-not-exist');
    expect(unknownLog[0]).toMatchObject({ status: 404, reason: 'unknown hook' });
  });

  it('stores delivery headers with secrets redacted', async () => {
    const answer = await hookflow.post(flow.triggers[0].path, JSON.stringify(stripeEvent(1)), {
      'content-type': 'application/json',
      authorization: 'Bearer secret-token',
      'stripe-signature': 't=1,v1=abc',
    });
    expect(answer.status).toBe(202);
    const logged = (await deliveries())[0];
    expect(logged.headers.authorization).toBe('[redacted]');
    expect(logged.headers['stripe-signature']).toBe('[redacted]');
    expect(JSON.stringify(logged)).not.toContain('secret-token');
  });
});
