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

/**
 * The durability contract under load: the embedded process is SIGKILLed in the middle of a burst
 * of deliveries at c=64, while intakes, pure nodes and side-effect calls share group commits. The
 * sender then retries what got no answer, as GitHub would (same delivery id).
 */
const DELIVERIES = 2_000;
const CONNECTIONS = 64;
/** The process is killed once this many deliveries were answered 2xx. */
const KILL_AFTER = 700;
/** How often one delivery is retried while the process is down or restarting. */
const MAX_TRIES = 1_200;

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

/** For the burst: a POST per delivery, carrying its number. */
function burstFlowTo(sinkUrl: string) {
  return {
    format: 'hookflow.flow/v1',
    name: 'burst',
    nodes: [
      { id: 'hook', type: 'trigger.webhook', params: {} },
      { id: 'map', type: 'transform', params: { expression: "{ 'n': n }" } },
      { id: 'notify', type: 'http.request', params: { method: 'POST', url: `${sinkUrl}/n` } },
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
    // The receiver saw the call at least once and at most twice (once per process), always
    // with one key.
    expect(sink.received.length).toBeGreaterThanOrEqual(1);
    expect(sink.received.length).toBeLessThanOrEqual(2);
    expect(new Set(sink.received.map((request) => request.headers['idempotency-key'])).size).toBe(
      1,
    );
    const all = await call<{ total: number }>(`${child.url}/api/executions`, 'GET', {
      headers: auth,
    });
    expect(all.body.total).toBe(1);
  });

  it('keeps every answered delivery of a burst through a SIGKILL, runs each once, repeats calls only with their key', async () => {
    const port = await freePort();
    // A backlog memory of 100 ids: the kill finds most of the burst's backlog on disk only.
    const env = { ...database.env, HOOKFLOW_BACKLOG_IN_MEMORY: '100' };
    child = await startChildApp(env, port);
    const url = `http://127.0.0.1:${port}`;
    const created = await call<{ id: string; triggers: Array<{ path: string }> }>(
      `${url}/api/flows`,
      'POST',
      { body: JSON.stringify(burstFlowTo(sink.url)), headers: auth },
    );
    expect(created.status).toBe(201);
    const hookUrl = url + created.body.triggers[0].path;

    /** Execution id per delivery, from the 2xx answers (first ones and retries alike). */
    const answered = new Map<number, string>();
    let killed: Promise<void> | undefined;
    let restarted: Promise<ChildApp> | undefined;
    const post = async (n: number): Promise<void> => {
      for (let tries = 0; tries < MAX_TRIES; tries += 1) {
        try {
          const answer = await fetch(hookUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-github-delivery': `delivery-${n}` },
            body: JSON.stringify({ n }),
          });
          const body = (await answer.json()) as { executionId?: string };
          if (answer.status === 202 && body.executionId) {
            answered.set(n, body.executionId);
            if (answered.size >= KILL_AFTER && !killed) {
              killed = child?.kill('SIGKILL');
              // Restarted while the burst goes on: its senders retry against the new process.
              restarted = killed?.then(() => startChildApp(env, port));
            }
            return;
          }
        } catch {
          // Connection refused or reset: the process is down. Try again shortly.
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`delivery ${n} was never answered 2xx`);
    };
    let next = 0;
    const poster = async () => {
      while (next < DELIVERIES) await post(next++);
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, poster));
    expect(killed).toBeDefined();
    child = await restarted;
    const app = child as ChildApp;

    // Every delivery was answered 2xx at last, and each is one execution, finished once.
    expect(answered.size).toBe(DELIVERIES);
    const executionIds = new Set(answered.values());
    expect(executionIds.size).toBe(DELIVERIES);
    await waitFor(
      'every execution to finish',
      async () => {
        const page = await call<{ total: number }>(
          `${app.url}/api/executions?flowId=${created.body.id}&status=succeeded&limit=1`,
          'GET',
          { headers: auth },
        );
        return page.body.total === DELIVERIES ? true : undefined;
      },
      { attempts: 600, intervalMs: 100 },
    );
    const all = await call<{ total: number }>(
      `${app.url}/api/executions?flowId=${created.body.id}&limit=1`,
      'GET',
      { headers: auth },
    );
    expect(all.body.total).toBe(DELIVERIES);
    const sample = [...executionIds].filter((_, index) => index % 25 === 0);
    for (const id of sample) {
      const execution = await call<ExecutionView>(`${app.url}/api/executions/${id}`, 'GET', {
        headers: auth,
      });
      expect(execution.body.status).toBe('succeeded');
      expect(execution.body.steps.map((step) => [step.seq, step.nodeId])).toEqual([
        [0, 'hook'],
        [1, 'map'],
        [2, 'notify'],
      ]);
    }

    // Every call carries its execution's key; a repeat (after the kill) carries the same key and
    // the same delivery; every delivery reached the receiver.
    const keyOf = new Map<number, Set<string>>();
    for (const request of sink.received) {
      const key = String(request.headers['idempotency-key'] ?? '');
      const [executionId, node] = key.split(':');
      expect(node).toBe('notify');
      expect(executionIds.has(executionId)).toBe(true);
      const n = (JSON.parse(request.body) as { n: number }).n;
      expect(answered.get(n)).toBe(executionId);
      keyOf.set(n, (keyOf.get(n) ?? new Set()).add(key));
    }
    expect(keyOf.size).toBe(DELIVERIES);
    expect([...keyOf.values()].every((keys) => keys.size === 1)).toBe(true);
    const repeats = sink.received.length - DELIVERIES;
    console.info(
      `[burst-crash] ${DELIVERIES} deliveries at c=${CONNECTIONS}, killed after ${KILL_AFTER} answers; ` +
        `${repeats} calls repeated with their key`,
    );
  }, 180_000);
});
