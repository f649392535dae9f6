import { randomBytes } from 'node:crypto';
import { eachMode, type RunningHookflow } from './support/modes';
import { metricValue } from './support/metrics';
import { startSink, type Sink } from './support/sink';
import { call, type HttpAnswer } from './support/test-app';
import { waitFor } from './support/wait-for';

const BURST = 60;
const INTAKE_CONCURRENCY = 4;
const QUEUE_CEILING = 5;
const METRICS_TOKEN = `metrics-${randomBytes(12).toString('hex')}`;

interface FlowView {
  id: string;
  triggers: Array<{ path: string }>;
}

eachMode((mode) => {
  let hookflow: RunningHookflow;
  let sink: Sink;
  let release: () => void;

  beforeAll(async () => {
    sink = await startSink();
    // Runs hold at the sink until the test lets them go: the backlog can only grow meanwhile.
    const held = new Promise<void>((resolve) => (release = resolve));
    sink.reply(() => ({ status: 200, body: { ok: true }, holdUntil: held }));
    hookflow = await mode.start({
      HOOKFLOW_INTAKE_CONCURRENCY: String(INTAKE_CONCURRENCY),
      HOOKFLOW_QUEUE_CEILING: String(QUEUE_CEILING),
      HOOKFLOW_CONCURRENCY: '1',
      HOOKFLOW_WORKER_CONCURRENCY: '1',
      HOOKFLOW_METRICS_TOKEN: METRICS_TOKEN,
    });
  });
  afterAll(async () => {
    release?.();
    await hookflow?.stop();
    await sink?.close();
  });

  it('answers a burst well above capacity with 503 + Retry-After, runs every accepted delivery, and takes the retries later', async () => {
    const imported = await hookflow.api.api<FlowView>('POST', '/api/flows/import', {
      body: {
        format: 'hookflow.flow/v1',
        name: 'overload',
        nodes: [
          { id: 'hook', type: 'trigger.webhook', params: {} },
          {
            id: 'call',
            type: 'http.request',
            params: { url: `${sink.url}/n/{{n}}`, method: 'POST' },
          },
        ],
        edges: [{ from: 'hook', to: 'call' }],
      },
    });
    expect(imported.status).toBe(201);
    const path = imported.body.triggers[0].path;
    const deliver = (n: number) => hookflow.api.post(path, JSON.stringify({ n }));

    const numbers = Array.from({ length: BURST }, (_, index) => index + 1);
    const answers: Array<HttpAnswer> = await Promise.all(numbers.map(deliver));

    const accepted = numbers.filter((_, index) => answers[index].status === 202);
    const refused = numbers.filter((_, index) => answers[index].status === 503);
    expect(accepted.length + refused.length).toBe(BURST);
    expect(accepted.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(BURST / 2);
    for (const answer of answers.filter((candidate) => candidate.status === 503)) {
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(answer.body).toMatchObject({ error: { code: 'overloaded' } });
    }

    // Still alive and answering while refusing; the refusals are counted.
    expect((await call(`${hookflow.api.url}/health/live`, 'GET')).status).toBe(200);
    const scrape = await call<string>(`${hookflow.api.url}/metrics`, 'GET', {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(
      metricValue(scrape.body, 'hookflow_deliveries_total', {
        status: 'rejected',
        reason: 'overloaded',
      }),
    ).toBe(refused.length);

    const executionIds = answers
      .filter((answer) => answer.status === 202)
      .map((answer) => (answer.body as { executionId: string }).executionId);
    release();
    const settled = (executionId: string) =>
      waitFor(
        `execution ${executionId} to finish`,
        async () => {
          const view = await hookflow.api.api<{ status: string }>(
            'GET',
            `/api/executions/${executionId}`,
          );
          return ['succeeded', 'failed'].includes(view.body.status) ? view.body.status : undefined;
        },
        { attempts: 600 },
      );
    for (const executionId of executionIds) expect(await settled(executionId)).toBe('succeeded');

    // The providers' retries: each refused delivery, sent again once there is room, runs too.
    for (const n of refused) {
      const retried = await waitFor(`delivery ${n} to be accepted on retry`, async () => {
        const answer = await deliver(n);
        return answer.status === 202 ? answer : undefined;
      });
      expect(await settled((retried.body as { executionId: string }).executionId)).toBe(
        'succeeded',
      );
    }
    const calledWith = sink.received.map((request) => Number(request.url.split('/').pop()));
    expect(calledWith.sort((a, b) => a - b)).toEqual(numbers);
  });

  it('accepts the first delivery after the queue has drained (the ceiling is judged by a current backlog)', async () => {
    let releaseAgain = () => {};
    const heldAgain = new Promise<void>((resolve) => (releaseAgain = resolve));
    sink.reply(() => ({ status: 200, body: { ok: true }, holdUntil: heldAgain }));
    const imported = await hookflow.api.api<FlowView>('POST', '/api/flows/import', {
      body: {
        format: 'hookflow.flow/v1',
        name: 'drained',
        nodes: [
          { id: 'hook', type: 'trigger.webhook', params: { dedup: { mode: 'off' } } },
          {
            id: 'call',
            type: 'http.request',
            params: { url: `${sink.url}/drained`, method: 'POST' },
          },
        ],
        edges: [{ from: 'hook', to: 'call' }],
      },
    });
    expect(imported.status).toBe(201);
    const deliver = () => hookflow.api.post(imported.body.triggers[0].path, '{}');
    // One at a time, so that only the ceiling can refuse: one run held at the sink, four waiting.
    const executionIds: string[] = [];
    for (let n = 0; n < QUEUE_CEILING; n += 1) {
      const answer = await deliver();
      expect(answer.status).toBe(202);
      executionIds.push((answer.body as { executionId: string }).executionId);
    }
    expect((await deliver()).status).toBe(503);
    releaseAgain();
    for (const executionId of executionIds) {
      await waitFor(
        `execution ${executionId} to finish`,
        async () => {
          const view = await hookflow.api.api<{ status: string }>(
            'GET',
            `/api/executions/${executionId}`,
          );
          return view.body.status === 'succeeded' ? true : undefined;
        },
        { attempts: 600 },
      );
    }
    // A sender that does not retry: this one delivery must get in.
    expect((await deliver()).status).toBe(202);
  });
});
