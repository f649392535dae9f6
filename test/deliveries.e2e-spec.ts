import { randomUUID } from 'node:crypto';
import { DeliveriesRepository } from '@hookflow/store';
import { eachDatabase, type TestDatabase } from './support/databases';
import {
  linearFlowV2,
  queryEchoFlow,
  refusedDeliveryRow,
  type DeliveryPage,
  type DeliveryView,
  type ErrorView,
  type ExecutionView,
  type FlowView,
} from './support/deliveries';
import { linearFlow, stripeEvent } from './support/flows';
import { startSink, type Sink } from './support/sink';
import { call, startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

eachDatabase((target) => {
  let database: TestDatabase;
  let hookflow: TestApp;
  let sink: Sink;
  let flow: FlowView;
  /** The accepted delivery and its run, and the refused (malformed JSON) delivery. */
  let accepted: { deliveryId: string; executionId: string };
  let refusedId: string;
  const malformed = '{"id": "evt_1", ';

  beforeAll(async () => {
    database = await target.create();
    sink = await startSink();
    hookflow = await startTestApp(database.env);
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
  const list = async (query: string) => {
    const answer = await hookflow.api<DeliveryPage>('GET', `/api/deliveries?${query}`);
    expect(answer.status).toBe(200);
    return answer.body;
  };
  /** Writes a refused delivery straight to the log (states the hook route cannot make on demand). */
  const logRefused = async (overrides: Parameters<typeof refusedDeliveryRow>[1]) => {
    const row = refusedDeliveryRow({ hookId: flow.triggers[0].hookId, flowId: flow.id }, overrides);
    await hookflow.app.get(DeliveriesRepository).logRejected(row);
    return row;
  };
  const replay = (id: string, body?: unknown) =>
    hookflow.api<{ executionId: string; deliveryId: string } & ErrorView>(
      'POST',
      `/api/deliveries/${id}/replay`,
      { body },
    );

  it('lists accepted and refused deliveries newest first, with status, reason and execution id', async () => {
    const posted = await hookflow.post(
      `${flow.triggers[0].path}?source=e2e`,
      JSON.stringify(stripeEvent(25_000)),
      {
        'content-type': 'application/json',
        authorization: 'Bearer secret-token',
        'stripe-signature': 't=1,v1=abc',
        'x-request-id': 'req-1',
      },
    );
    expect(posted.status).toBe(202);
    const { executionId } = posted.body as { executionId: string };
    expect((await finished(executionId)).status).toBe('succeeded');
    expect((await hookflow.post(flow.triggers[0].path, malformed)).status).toBe(400);

    const page = await list(`flowId=${flow.id}`);
    expect(page).toMatchObject({ total: 2, limit: 50, offset: 0 });
    const [refused, ok] = page.items;
    expect(refused).toMatchObject({
      flowId: flow.id,
      hookId: flow.triggers[0].hookId,
      method: 'POST',
      status: 400,
      executionId: null,
      replayOf: null,
    });
    expect(refused.reason).toMatch(/not valid JSON/);
    expect(ok).toMatchObject({ status: 202, reason: null, executionId, replayOf: null });
    expect(ok.contentType).toBe('application/json');
    expect(ok.sizeBytes).toBe(JSON.stringify(stripeEvent(25_000)).length);
    expect(Date.parse(refused.receivedAt)).toBeGreaterThanOrEqual(Date.parse(ok.receivedAt));
    // Lists never carry headers or bodies.
    for (const field of ['headers', 'query', 'body']) expect(ok).not.toHaveProperty(field);
    accepted = { deliveryId: ok.id, executionId };
    refusedId = refused.id;
  });

  it('filters by accepted, status, hook and flow, and pages', async () => {
    const unknownHook = `no-such-hook-${randomUUID()}`;
    expect((await hookflow.post(`/hooks/${unknownHook}`, '{}')).status).toBe(404);
    const unknown = await list(`hookId=${unknownHook}`);
    expect(unknown.total).toBe(1);
    expect(unknown.items[0]).toMatchObject({ flowId: null, status: 404, reason: 'unknown hook' });

    const ids = (page: DeliveryPage) => page.items.map((item) => item.id);
    expect(ids(await list(`flowId=${flow.id}&accepted=true`))).toEqual([accepted.deliveryId]);
    expect(ids(await list(`flowId=${flow.id}&accepted=false`))).toEqual([refusedId]);
    expect(ids(await list(`flowId=${flow.id}&status=400`))).toEqual([refusedId]);
    expect(ids(await list(`hookId=${flow.triggers[0].hookId}&status=202`))).toEqual([
      accepted.deliveryId,
    ]);
    expect((await list(`flowId=${randomUUID()}`)).total).toBe(0);
    const secondPage = await list(`flowId=${flow.id}&limit=1&offset=1`);
    expect(secondPage).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(ids(secondPage)).toEqual([accepted.deliveryId]);
    // Across flows, the unknown hook's delivery is the newest of all.
    expect((await list('limit=1')).items[0].hookId).toBe(unknownHook);

    const ofFlow = await hookflow.api<DeliveryPage>(
      'GET',
      `/api/flows/${flow.id}/deliveries?accepted=false`,
    );
    expect(ofFlow.status).toBe(200);
    expect(ids(ofFlow.body)).toEqual([refusedId]);

    for (const query of ['accepted=yes', 'status=abc', 'status=99', 'flowId=nope', 'limit=0']) {
      const invalid = await hookflow.api<ErrorView>('GET', `/api/deliveries?${query}`);
      expect([query, invalid.status]).toEqual([query, 400]);
    }
  });

  it('shows one delivery with its redacted headers, query and body', async () => {
    const answer = await hookflow.api<DeliveryView>(
      'GET',
      `/api/deliveries/${accepted.deliveryId}`,
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      id: accepted.deliveryId,
      executionId: accepted.executionId,
      query: { source: 'e2e' },
      body: JSON.stringify(stripeEvent(25_000)),
      bodyTruncated: false,
    });
    expect(answer.body.headers.authorization).toBe('[redacted]');
    expect(answer.body.headers['stripe-signature']).toBe('[redacted]');
    expect(answer.body.headers['x-request-id']).toBe('req-1');
    expect(JSON.stringify(answer.body)).not.toContain('secret-token');

    const refused = await hookflow.api<DeliveryView>('GET', `/api/deliveries/${refusedId}`);
    expect(refused.body).toMatchObject({ status: 400, executionId: null, body: malformed });
  });

  it('caps the body it returns at 1 MiB and says so', async () => {
    // Stored text can outgrow the request limit (invalid UTF-8 bytes decode to 3-byte U+FFFD).
    const { id } = await logRefused({
      headers: { 'content-type': 'text/plain' },
      contentType: 'text/plain',
      sizeBytes: 1_048_576,
      body: '\ufffd'.repeat(400_000),
    });
    const answer = await hookflow.api<DeliveryView>('GET', `/api/deliveries/${id}`);
    expect(answer.body.bodyTruncated).toBe(true);
    expect(Buffer.byteLength(answer.body.body ?? '')).toBe(1_048_575);
    expect(answer.body.body).toBe('\ufffd'.repeat(349_525));
  });

  it("replays an accepted delivery on the flow's current version as a new, linked run", async () => {
    const original = await finished(accepted.executionId);
    const updated = await hookflow.api<FlowView>('PUT', `/api/flows/${flow.id}`, {
      body: linearFlowV2(sink.url),
    });
    expect(updated.status).toBe(200);
    sink.received.length = 0;

    const answer = await replay(accepted.deliveryId);
    expect(answer.status).toBe(202);
    const { executionId, deliveryId } = answer.body;
    expect(executionId).not.toBe(accepted.executionId);
    expect(deliveryId).not.toBe(accepted.deliveryId);

    const run = await finished(executionId);
    expect(run.status).toBe('succeeded');
    expect(run.deliveryId).toBe(deliveryId);
    expect(run.flowVersionId).toBe(updated.body.versionId);
    expect(run.flowVersionId).not.toBe(original.flowVersionId);
    expect(run.steps.find((step) => step.nodeId === 'map')?.output).toEqual({
      customer: 'cus_42',
      cents: 25_000,
      revision: 2,
    });
    // The run saw the stored (redacted) request, and its HTTP node called out once.
    expect(run.trigger.headers.authorization).toBe('[redacted]');
    expect(run.trigger.query).toEqual({ source: 'e2e' });
    expect(run.trigger.body).toEqual(stripeEvent(25_000));
    expect(sink.received.map((request) => request.headers['idempotency-key'])).toEqual([
      `${executionId}:notify`,
    ]);

    const copy = await hookflow.api<DeliveryView>('GET', `/api/deliveries/${deliveryId}`);
    expect(copy.body).toMatchObject({
      replayOf: accepted.deliveryId,
      executionId,
      flowId: flow.id,
      hookId: flow.triggers[0].hookId,
      method: 'POST',
      status: 202,
      reason: null,
      query: { source: 'e2e' },
      body: JSON.stringify(stripeEvent(25_000)),
    });
    expect(copy.body.headers.authorization).toBe('[redacted]');
    expect((await list(`flowId=${flow.id}`)).items[0]).toMatchObject({
      id: deliveryId,
      replayOf: accepted.deliveryId,
    });
    // The original delivery and run are untouched.
    expect((await finished(accepted.executionId)).flowVersionId).toBe(original.flowVersionId);
  });

  it('replays an accepted delivery on the version its original run used, when asked', async () => {
    const original = await finished(accepted.executionId);
    const answer = await replay(accepted.deliveryId, { version: 'original' });
    expect(answer.status).toBe(202);
    const run = await finished(answer.body.executionId);
    expect(run.status).toBe('succeeded');
    expect(run.flowVersionId).toBe(original.flowVersionId);
    expect(run.steps.find((step) => step.nodeId === 'map')?.output).toEqual({
      customer: 'cus_42',
      cents: 25_000,
    });
    const copy = await hookflow.api<DeliveryView>(
      'GET',
      `/api/deliveries/${answer.body.deliveryId}`,
    );
    expect(copy.body.replayOf).toBe(accepted.deliveryId);
  });

  it('replays a bodiless GET delivery with its query as the body, as the intake reads it', async () => {
    const pinged = (
      await hookflow.api<FlowView>('POST', '/api/flows/import', { body: queryEchoFlow() })
    ).body;
    const got = await call<{ executionId: string }>(
      `${hookflow.url}${pinged.triggers[0].path}?who=ann`,
      'GET',
    );
    expect(got.status).toBe(202);
    await finished(got.body.executionId);
    const [delivery] = (await list(`flowId=${pinged.id}`)).items;
    expect(delivery).toMatchObject({ method: 'GET', executionId: got.body.executionId });

    const answer = await replay(delivery.id);
    expect(answer.status).toBe(202);
    const run = await finished(answer.body.executionId);
    expect(run.status).toBe('succeeded');
    expect(run.trigger.body).toEqual({ who: 'ann' });
    expect(run.steps.find((step) => step.nodeId === 'echo')?.output).toEqual({
      greeting: 'hi ann',
    });
  });

  it('refuses to replay a malformed delivery with 409 and the reason, creating nothing', async () => {
    const before = (await list(`flowId=${flow.id}`)).total;
    const current = await replay(refusedId);
    expect(current.status).toBe(409);
    expect(current.body.error.code).toBe('body_unreadable');
    expect(current.body.error.message).toMatch(/cannot replay this delivery: .*not valid JSON/);

    const original = await replay(refusedId, { version: 'original' });
    expect(original.status).toBe(409);
    expect(original.body.error.code).toBe('no_original_execution');
    expect(original.body.error.message).toMatch(/it was refused \(400\)/);
    expect((await list(`flowId=${flow.id}`)).total).toBe(before);
  });

  it('refuses to replay deliveries that failed sender authentication, or have no flow', async () => {
    // Signature and IP checks log refusals as 401/403; a forged payload must not run on replay.
    const forged = await logRefused({
      status: 401,
      reason: 'signature does not match any active secret',
    });
    const refusedForged = await replay(forged.id);
    expect(refusedForged.status).toBe(409);
    expect(refusedForged.body.error.code).toBe('sender_not_verified');

    const unknownHook = (await list('accepted=false&status=404')).items.find(
      (item) => item.flowId === null,
    );
    const noFlow = await replay(unknownHook?.id ?? 'missing');
    expect(noFlow.status).toBe(409);
    expect(noFlow.body.error.code).toBe('no_flow');
  });

  it('refuses to replay a delivery whose flow was deleted', async () => {
    const doomed = (
      await hookflow.api<FlowView>('POST', '/api/flows/import', { body: linearFlow(sink.url) })
    ).body;
    const posted = await hookflow.post(doomed.triggers[0].path, JSON.stringify(stripeEvent(1)));
    await finished((posted.body as { executionId: string }).executionId);
    const [delivery] = (await list(`flowId=${doomed.id}`)).items;
    expect((await hookflow.api('DELETE', `/api/flows/${doomed.id}`)).status).toBe(204);

    for (const version of ['current', 'original']) {
      const answer = await replay(delivery.id, { version });
      expect(answer.status).toBe(409);
      expect(answer.body.error.code).toBe('flow_deleted');
    }
    // The log keeps the deliveries of a deleted flow.
    expect((await hookflow.api('GET', `/api/deliveries/${delivery.id}`)).status).toBe(200);
  });

  it('answers 404 for unknown deliveries, 400 for an unknown version, 401 without the key', async () => {
    for (const id of [randomUUID(), 'not-a-uuid']) {
      const shown = await hookflow.api<ErrorView>('GET', `/api/deliveries/${id}`);
      expect(shown.status).toBe(404);
      expect(shown.body.error).toMatchObject({ code: 'not_found', message: 'delivery not found' });
      expect((await replay(id)).status).toBe(404);
    }
    expect((await replay(accepted.deliveryId, { version: 'latest' })).status).toBe(400);
    expect((await replay(accepted.deliveryId, { version: 'current', extra: 1 })).status).toBe(400);

    const calls: Array<[string, string]> = [
      ['GET', '/api/deliveries'],
      ['GET', `/api/deliveries/${accepted.deliveryId}`],
      ['POST', `/api/deliveries/${accepted.deliveryId}/replay`],
      ['GET', `/api/flows/${flow.id}/deliveries`],
    ];
    for (const [method, path] of calls) {
      const answer = await hookflow.api<ErrorView>(method, path, { auth: false });
      expect([method, path, answer.status]).toEqual([method, path, 401]);
    }
  });
});
