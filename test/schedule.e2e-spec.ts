import { randomBytes } from 'node:crypto';
import { freePort, startChildApp, startChildWorker, type ChildApp } from './support/child-app';
import {
  postgres,
  queueModeSkip,
  REDIS_TEST_URL,
  sqlite,
  type TestDatabase,
} from './support/databases';
import { call, startTestApp, TEST_API_KEY, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const auth = { authorization: `Bearer ${TEST_API_KEY}` };

/** The management API of a Hookflow process, in this process or a child. */
type Get = <T>(path: string) => Promise<T>;

function client(url: string): {
  get: Get;
  post: (path: string, body?: unknown) => Promise<{ status: number; body: unknown }>;
} {
  return {
    get: async <T>(path: string) => {
      const answer = await call<T>(url + path, 'GET', { headers: auth });
      if (answer.status !== 200) throw new Error(`GET ${path}: ${answer.status}`);
      return answer.body;
    },
    post: (path, body) =>
      body === undefined
        ? call(url + path, 'POST', { headers: auth })
        : call(url + path, 'POST', {
            headers: { ...auth, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          }),
  };
}

function scheduledFlow(name: string, params: Record<string, unknown>) {
  return {
    format: 'hookflow.flow/v1',
    name,
    nodes: [
      { id: 'tick', type: 'trigger.schedule', params },
      { id: 'stamp', type: 'transform', params: { expression: '{ "at": scheduledAt }' } },
    ],
    edges: [{ from: 'tick', to: 'stamp' }],
  };
}

interface Tick {
  scheduledAt: string;
  executionId: string;
}

/** The ticks a flow was started by: one accepted delivery each, with the tick as its body. */
async function ticksOf(get: Get, flowId: string): Promise<Tick[]> {
  const page = await get<{ items: Array<{ id: string; executionId: string | null }> }>(
    `/api/flows/${flowId}/deliveries?limit=200`,
  );
  const ticks: Tick[] = [];
  for (const item of page.items) {
    if (item.executionId === null) continue;
    const delivery = await get<{ method: string; body: string }>(`/api/deliveries/${item.id}`);
    expect(delivery.method).toBe('SCHEDULE');
    const body = JSON.parse(delivery.body) as { scheduledAt: string };
    ticks.push({ scheduledAt: body.scheduledAt, executionId: item.executionId });
  }
  return ticks.sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt));
}

async function executionCount(get: Get, flowId: string, status?: string): Promise<number> {
  const query = status ? `&status=${status}` : '';
  const page = await get<{ total: number }>(`/api/executions?flowId=${flowId}&limit=1${query}`);
  return page.total;
}

/** Every tick has its own execution, and they are 1 s apart with no gap between them. */
function expectOneExecutionPerSecond(ticks: Tick[], executions: number): void {
  const times = ticks.map((tick) => Date.parse(tick.scheduledAt));
  expect(new Set(ticks.map((tick) => tick.scheduledAt)).size).toBe(ticks.length);
  expect(new Set(ticks.map((tick) => tick.executionId)).size).toBe(ticks.length);
  expect(executions).toBe(ticks.length);
  for (const time of times) expect(time % 1000).toBe(0);
  const gaps = times.slice(1).map((time, index) => time - times[index]);
  expect(gaps).toEqual(gaps.map(() => 1000));
}

describe('schedule trigger, embedded (SQLite)', () => {
  let database: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    database = await sqlite.create();
    app = await startTestApp({ ...database.env, HOOKFLOW_SCHEDULE_SYNC_MS: '200' });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('refuses invalid schedules with the path of the bad param', async () => {
    const bad = await app.api<{ error: { code: string; details: unknown[] } }>(
      'POST',
      '/api/flows',
      { body: scheduledFlow('bad', { cron: '0 9 * * *', timezone: 'Mars/Olympus' }) },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([
      { path: '/nodes/0/params/timezone', message: expect.stringContaining('unknown time zone') },
    ]);
  });

  it('starts one execution per tick, has no webhook URL, and stops when disabled', async () => {
    const { get, post } = client(app.url);
    const created = await app.api<{ id: string; triggers: unknown[] }>('POST', '/api/flows', {
      body: scheduledFlow('every second', { interval: 1 }),
    });
    expect(created.status).toBe(201);
    expect(created.body.triggers).toEqual([]);
    const flowId = created.body.id;
    // A second schedule serves as the clock that says time has passed, without sleeping.
    const clock = await app.api<{ id: string }>('POST', '/api/flows', {
      body: scheduledFlow('clock', { interval: '1s' }),
    });

    await waitFor(
      'four ticks to have run',
      async () => ((await executionCount(get, flowId, 'succeeded')) >= 4 ? true : undefined),
      { attempts: 300, intervalMs: 100 },
    );
    expect((await post(`/api/flows/${flowId}/disable`)).status).toBe(200);
    const atDisable = await executionCount(get, flowId);
    const clockAtDisable = await executionCount(get, clock.body.id);
    await waitFor(
      'three more ticks of the clock flow',
      async () =>
        (await executionCount(get, clock.body.id)) >= clockAtDisable + 3 ? true : undefined,
      { attempts: 300, intervalMs: 100 },
    );
    // A tick already being accepted when the flow was disabled may still land; no later one.
    const after = await executionCount(get, flowId);
    expect(after - atDisable).toBeLessThanOrEqual(1);
    expectOneExecutionPerSecond(await ticksOf(get, flowId), after);

    const run = await get<{ items: Array<{ id: string }> }>(
      `/api/executions?flowId=${flowId}&status=succeeded&limit=1`,
    );
    const execution = await get<{ steps?: Array<{ nodeId: string; output: unknown }> }>(
      `/api/executions/${run.items[0].id}`,
    );
    const stamp = execution.steps?.find((step) => step.nodeId === 'stamp');
    expect(stamp?.output).toEqual({ at: expect.stringMatching(/^\d{4}-.*T.*:\d{2}\.000Z$/) });
  });
});

const skip = queueModeSkip();
const describeQueue = skip ? describe.skip : describe;

describeQueue(
  `schedule trigger, queue mode: 1 API + 2 workers${skip ? ` (SKIPPED: ${skip})` : ''}`,
  () => {
    let database: TestDatabase;
    const children: ChildApp[] = [];
    let api: ChildApp;

    beforeAll(async () => {
      database = await postgres.create();
      const env = {
        ...database.env,
        REDIS_URL: REDIS_TEST_URL,
        HOOKFLOW_QUEUE_PREFIX: `hf-sched-${randomBytes(4).toString('hex')}`,
        HOOKFLOW_SCHEDULE_SYNC_MS: '300',
      };
      api = await startChildApp(env, await freePort());
      children.push(api);
      children.push(await startChildWorker(env));
      children.push(await startChildWorker(env));
    }, 120_000);
    afterAll(async () => {
      await Promise.all(children.map((child) => child.kill('SIGTERM')));
      await database?.drop();
    }, 60_000);

    it('fires every tick of a per-second cron exactly once', async () => {
      const { get, post } = client(api.url);
      const created = await post('/api/flows', scheduledFlow('cron', { cron: '*/1 * * * * *' }));
      expect(created.status).toBe(201);
      const flowId = (created.body as { id: string }).id;

      await waitFor(
        'six ticks to have run',
        async () => ((await executionCount(get, flowId, 'succeeded')) >= 6 ? true : undefined),
        { attempts: 600, intervalMs: 100 },
      );
      expect((await post(`/api/flows/${flowId}/disable`)).status).toBe(200);
      // Let whatever was accepted finish, then compare ticks with executions.
      const ticks = await waitFor(
        'the accepted ticks to finish',
        async () => {
          const total = await executionCount(get, flowId);
          return (await executionCount(get, flowId, 'succeeded')) === total
            ? ticksOf(get, flowId)
            : undefined;
        },
        { attempts: 300, intervalMs: 100 },
      );
      expect(ticks.length).toBeGreaterThanOrEqual(6);
      expectOneExecutionPerSecond(ticks, await executionCount(get, flowId));
    }, 120_000);
  },
);
