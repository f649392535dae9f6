import { eachMode, type RunningHookflow } from './support/modes';
import { startSink, type Sink } from './support/sink';
import { waitFor } from './support/wait-for';

interface Step {
  nodeId: string;
  status: string;
  attempt: number;
  startedAt: string;
  finishedAt: string;
  error: { code: string; status?: number; retryAt?: string } | null;
}
interface ExecutionView {
  id: string;
  status: string;
  runAfter: string | null;
  createdAt: string;
  error: { code: string } | null;
  steps: Step[];
}
interface FlowView {
  id: string;
  triggers: Array<{ path: string }>;
}

/** Each test calls its own sink path, so a late call of one test never counts in another. */
function callFlow(sinkUrl: string, tag: string, extra: Record<string, unknown> = {}) {
  return {
    format: 'hookflow.flow/v1',
    name: 'call with retries',
    nodes: [
      { id: 'hook', type: 'trigger.webhook', params: {} },
      {
        id: 'call',
        type: 'http.request',
        params: { url: `${sinkUrl}/${tag}` },
        retry: { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 1000, factor: 2 },
      },
    ],
    edges: [{ from: 'hook', to: 'call' }],
    ...extra,
  };
}

function delayFlow(sinkUrl: string, tag: string, durationMs: number) {
  return {
    format: 'hookflow.flow/v1',
    name: 'wait then call',
    nodes: [
      { id: 'hook', type: 'trigger.webhook', params: {} },
      { id: 'wait', type: 'delay', params: { durationMs } },
      { id: 'call', type: 'http.request', params: { url: `${sinkUrl}/${tag}` } },
    ],
    edges: [
      { from: 'hook', to: 'wait' },
      { from: 'wait', to: 'call' },
    ],
  };
}

eachMode((mode) => {
  let hookflow: RunningHookflow;
  let sink: Sink;

  beforeAll(async () => {
    sink = await startSink();
    hookflow = await mode.start();
  });
  afterAll(async () => {
    await hookflow?.stop();
    await sink?.close();
  });
  beforeEach(() => {
    sink.received.length = 0;
    sink.reply(() => ({ status: 200, body: { ok: true } }));
  });

  async function importFlow(document: unknown): Promise<FlowView> {
    const answer = await hookflow.api.api<FlowView>('POST', '/api/flows/import', {
      body: document,
    });
    expect(answer.status).toBe(201);
    return answer.body;
  }

  async function deliver(flow: FlowView, body: unknown, headers: Record<string, string> = {}) {
    const answer = await hookflow.api.post(flow.triggers[0].path, JSON.stringify(body), {
      'content-type': 'application/json',
      ...headers,
    });
    expect(answer.status).toBe(202);
    return answer.body as { executionId: string; duplicate?: boolean };
  }

  const received = (tag: string) => sink.received.filter((request) => request.url === `/${tag}`);

  const execution = (id: string) =>
    hookflow.api.api<ExecutionView>('GET', `/api/executions/${id}`).then((answer) => answer.body);

  const settled = (id: string) =>
    waitFor(`execution ${id} to settle`, async () => {
      const view = await execution(id);
      return ['succeeded', 'failed', 'cancelled'].includes(view.status) ? view : undefined;
    });

  it('retries a node that answers 503 twice and succeeds on the third attempt, recording the backoff', async () => {
    let calls = 0;
    sink.reply(() => {
      calls += 1;
      return calls <= 2
        ? { status: 503, body: { error: 'busy' } }
        : { status: 200, body: { ok: 1 } };
    });
    const flow = await importFlow(callFlow(sink.url, 'retry503'));
    const { executionId } = await deliver(flow, { order: 1 });
    const done = await settled(executionId);

    expect(done.status).toBe('succeeded');
    const calls_ = done.steps.filter((step) => step.nodeId === 'call');
    expect(calls_.map((step) => [step.status, step.attempt])).toEqual([
      ['retrying', 1],
      ['retrying', 2],
      ['succeeded', 3],
    ]);
    expect(calls_[0].error).toMatchObject({ code: 'http_status', status: 503 });
    // The backoff is on record: each retry was scheduled after the failure, and honoured.
    for (const [index, step] of calls_.slice(0, 2).entries()) {
      const retryAt = Date.parse(step.error?.retryAt ?? '');
      expect(retryAt).toBeGreaterThanOrEqual(Date.parse(step.finishedAt) + 50);
      expect(Date.parse(calls_[index + 1].startedAt)).toBeGreaterThanOrEqual(retryAt);
    }
    expect(received('retry503')).toHaveLength(3);
    expect(
      new Set(received('retry503').map((request) => request.headers['idempotency-key'])).size,
    ).toBe(1);
  });

  it('does not retry a 400', async () => {
    sink.reply(() => ({ status: 400, body: { error: 'bad order' } }));
    const flow = await importFlow(callFlow(sink.url, 'no400'));
    const done = await settled((await deliver(flow, { order: 2 })).executionId);
    expect(done.status).toBe('failed');
    expect(done.error).toMatchObject({ code: 'http_status' });
    expect(done.steps.filter((step) => step.nodeId === 'call')).toHaveLength(1);
    expect(received('no400')).toHaveLength(1);
  });

  it("honours a 429's Retry-After", async () => {
    let calls = 0;
    sink.reply(() => {
      calls += 1;
      return calls === 1
        ? { status: 429, body: {}, headers: { 'retry-after': '1' } }
        : { status: 200 };
    });
    const flow = await importFlow(callFlow(sink.url, 'retry429'));
    const done = await settled((await deliver(flow, { order: 3 })).executionId);
    expect(done.status).toBe('succeeded');
    const [first, second] = done.steps.filter((step) => step.nodeId === 'call');
    expect(Date.parse(first.error?.retryAt ?? '') - Date.parse(first.finishedAt)).toBe(1000);
    expect(Date.parse(second.startedAt)).toBeGreaterThanOrEqual(
      Date.parse(first.error?.retryAt ?? ''),
    );
  });

  it('suspends a run on a delay node (status waiting) and resumes it when due', async () => {
    const flow = await importFlow(delayFlow(sink.url, 'delay', 1500));
    const { executionId } = await deliver(flow, { remind: true });
    const waiting = await waitFor('the run to be waiting', async () => {
      const view = await execution(executionId);
      return view.status === 'waiting' ? view : undefined;
    });
    expect(waiting.runAfter).not.toBeNull();
    expect(received('delay')).toHaveLength(0);
    const done = await settled(executionId);
    expect(done.status).toBe('succeeded');
    const call = done.steps.find((step) => step.nodeId === 'call');
    expect(Date.parse(call?.startedAt ?? '')).toBeGreaterThanOrEqual(
      Date.parse(done.createdAt) + 1500,
    );
    expect(received('delay')).toHaveLength(1);
  });

  it('resumes a waiting run after the runners restart', async () => {
    const flow = await importFlow(delayFlow(sink.url, 'restart', 1500));
    const { executionId } = await deliver(flow, { remind: 'after restart' });
    await waitFor('the run to be waiting', async () =>
      (await execution(executionId)).status === 'waiting' ? true : undefined,
    );
    await hookflow.restartRunners();
    const done = await settled(executionId);
    expect(done.status).toBe('succeeded');
    expect(received('restart')).toHaveLength(1);
  });

  it('runs the same delivery posted twice in parallel once (100 pairs)', async () => {
    const flow = await importFlow(callFlow(sink.url, 'pairs'));
    const pairs = Array.from({ length: 100 }, (_, index) => `msg_${mode.name.length}_${index}`);
    const answers = await Promise.all(
      pairs.flatMap((id) => [
        deliver(flow, { id }, { 'webhook-id': id }),
        deliver(flow, { id }, { 'webhook-id': id }),
      ]),
    );
    for (let index = 0; index < answers.length; index += 2) {
      expect(answers[index].executionId).toBe(answers[index + 1].executionId);
    }
    expect(answers.filter((answer) => answer.duplicate)).toHaveLength(100);
    const listed = await hookflow.api.api<{ total: number }>(
      'GET',
      `/api/executions?flowId=${flow.id}&limit=1`,
    );
    expect(listed.body.total).toBe(100);
    await waitFor('all 100 runs to call the sink', async () =>
      received('pairs').length >= 100 ? true : undefined,
    );
    expect(received('pairs')).toHaveLength(100);
  });

  it('dedups a Stripe event by its id and a custom JSONata key', async () => {
    const auto = await importFlow(callFlow(sink.url, 'dedup'));
    const event = { id: 'evt_1Abc', object: 'event', type: 'charge.succeeded' };
    const first = await deliver(auto, event);
    const again = await deliver(auto, event);
    expect(again).toEqual({ executionId: first.executionId, duplicate: true });

    const custom = await importFlow({
      ...callFlow(sink.url, 'dedup'),
      nodes: [
        {
          id: 'hook',
          type: 'trigger.webhook',
          params: { dedup: { mode: 'expression', expression: 'body.delivery.id' } },
        },
        { id: 'call', type: 'http.request', params: { url: `${sink.url}/dedup` } },
      ],
    });
    const a = await deliver(custom, { delivery: { id: 'd-1' }, n: 1 });
    const b = await deliver(custom, { delivery: { id: 'd-1' }, n: 2 });
    const c = await deliver(custom, { delivery: { id: 'd-2' }, n: 3 });
    expect(b.executionId).toBe(a.executionId);
    expect(c.executionId).not.toBe(a.executionId);
    for (const run of [first, a, c])
      expect((await settled(run.executionId)).status).toBe('succeeded');
  });

  it('cancels a waiting run: it never reaches its next node; a second cancel is a 409', async () => {
    const flow = await importFlow(delayFlow(sink.url, 'cancel', 400));
    const { executionId } = await deliver(flow, {});
    await waitFor('the run to be waiting', async () =>
      (await execution(executionId)).status === 'waiting' ? true : undefined,
    );
    const cancelled = await hookflow.api.api<ExecutionView>(
      'POST',
      `/api/executions/${executionId}/cancel`,
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const again = await hookflow.api.api('POST', `/api/executions/${executionId}/cancel`);
    expect(again.status).toBe(409);
    // A second run of the same flow, started later, wakes later: once it has called out, the
    // cancelled run's wake-up has come due too (no sleeping on the clock).
    const control = await deliver(flow, {});
    expect((await settled(control.executionId)).status).toBe('succeeded');
    expect((await execution(executionId)).status).toBe('cancelled');
    expect(received('cancel').map((request) => request.headers['idempotency-key'])).toEqual([
      `${control.executionId}:call`,
    ]);
  });

  it('keeps at most settings.maxConcurrency runs of a flow at once', async () => {
    let inFlight = 0;
    let peak = 0;
    sink.reply(() => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      const holdUntil = new Promise<void>((resolve) =>
        setTimeout(() => {
          inFlight -= 1;
          resolve();
        }, 150),
      );
      return { status: 200, body: {}, holdUntil };
    });
    const flow = await importFlow(
      callFlow(sink.url, 'concurrency', { settings: { maxConcurrency: 1 } }),
    );
    const runs = await Promise.all([1, 2, 3, 4].map((n) => deliver(flow, { n })));
    for (const run of runs) expect((await settled(run.executionId)).status).toBe('succeeded');
    expect(received('concurrency')).toHaveLength(4);
    expect(peak).toBe(1);
  });
});
