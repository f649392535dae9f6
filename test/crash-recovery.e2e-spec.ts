import { eachDatabase, type TestDatabase } from './support/databases';
import { freePort, startChildApp, type ChildApp } from './support/child-app';
import { startSink, type Sink } from './support/sink';
import { TEST_API_KEY, call } from './support/test-app';
import { waitFor } from './support/wait-for';

interface ExecutionView {
  status: string;
  attempt: number;
  steps: Array<{ seq: number; nodeId: string; status: string }>;
}

const auth = { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' };

function flowTo(sinkUrl: string) {
  return {
    format: 'hookflow.flow/v1',
    name: 'crash me',
    nodes: [
      { id: 'hook', type: 'trigger.webhook', params: {} },
      { id: 'map', type: 'transform', params: { expression: "{ 'order': order }" } },
      { id: 'notify', type: 'http.request', params: { url: `${sinkUrl}/orders` } },
    ],
    edges: [
      { from: 'hook', to: 'map' },
      { from: 'map', to: 'notify' },
    ],
  };
}

eachDatabase((target) => {
  let database: TestDatabase;
  let sink: Sink;
  let child: ChildApp | undefined;

  beforeEach(async () => {
    database = await target.create();
    sink = await startSink();
  });
  afterEach(async () => {
    await child?.kill('SIGKILL');
    child = undefined;
    await sink.close();
    await database.drop();
  });

  async function acceptOne(app: ChildApp): Promise<string> {
    const created = await call<{ triggers: Array<{ path: string }> }>(
      `${app.url}/api/flows`,
      'POST',
      {
        body: JSON.stringify(flowTo(sink.url)),
        headers: auth,
      },
    );
    expect(created.status).toBe(201);
    const answer = await call<{ executionId: string }>(
      app.url + created.body.triggers[0].path,
      'POST',
      { body: JSON.stringify({ order: 42 }), headers: { 'content-type': 'application/json' } },
    );
    expect(answer.status).toBe(202);
    return answer.body.executionId;
  }

  async function finished(app: ChildApp, executionId: string): Promise<ExecutionView> {
    return waitFor(`execution ${executionId} to succeed`, async () => {
      const answer = await call<ExecutionView>(`${app.url}/api/executions/${executionId}`, 'GET', {
        headers: auth,
      });
      return answer.body.status === 'succeeded' ? answer.body : undefined;
    });
  }

  it('completes a run once after SIGKILL while its HTTP call is in flight', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    sink.reply(() => ({ status: 200, body: { ok: true }, holdUntil: held }));
    const port = await freePort();
    child = await startChildApp(database.env, port);
    const executionId = await acceptOne(child);

    await waitFor('the HTTP node to be in flight', async () =>
      sink.received.length === 1 ? true : undefined,
    );
    await child.kill('SIGKILL');
    release();
    sink.reply(() => ({ status: 200, body: { ok: true } }));

    child = await startChildApp(database.env, port);
    const execution = await finished(child, executionId);

    // Completed nodes were not run again; the in-flight one was, with the same idempotency key.
    expect(execution.steps.map((step) => step.nodeId)).toEqual(['hook', 'map', 'notify']);
    expect(execution.steps.map((step) => step.seq)).toEqual([0, 1, 2]);
    expect(execution.attempt).toBe(2);
    expect(sink.received).toHaveLength(2);
    expect(sink.received[1].headers['idempotency-key']).toBe(`${executionId}:notify`);
    expect(sink.received[0].headers['idempotency-key']).toBe(
      sink.received[1].headers['idempotency-key'],
    );
  });

  it('runs an accepted delivery exactly once when the process is killed right after the 202', async () => {
    const port = await freePort();
    child = await startChildApp(database.env, port);
    const executionId = await acceptOne(child);
    await child.kill('SIGKILL');

    child = await startChildApp(database.env, port);
    const execution = await finished(child, executionId);
    expect(execution.steps.map((step) => step.nodeId)).toEqual(['hook', 'map', 'notify']);
    // The receiver saw the call at most twice (once per process), always with one key.
    expect(sink.received.length).toBeGreaterThanOrEqual(1);
    expect(new Set(sink.received.map((request) => request.headers['idempotency-key'])).size).toBe(
      1,
    );
    const all = await call<{ total: number }>(`${child.url}/api/executions`, 'GET', {
      headers: auth,
    });
    expect(all.body.total).toBe(1);
  });
});
