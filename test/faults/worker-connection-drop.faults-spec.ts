import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { POSTGRES_ADMIN_URL, postgres, type TestDatabase } from '../support/databases';
import { freePort, startChildApp, startChildWorker, type ChildApp } from '../support/child-app';
import { REDIS_TEST_URL } from '../support/databases';
import { startSink, type Sink } from '../support/sink';
import { TEST_API_KEY, call } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * A worker's database connections are cut (pg_terminate_backend) while its runs wait on a side
 * effect. When the calls answer, the runs must still finish, each once, with no call repeated
 * except under its idempotency key; the worker keeps running without a restart.
 */

const RUNS = 20;
const WORKER_APPLICATION = `hookflow-worker-${randomBytes(3).toString('hex')}`;

describe('fault: a worker loses its database connections mid-run (queue mode)', () => {
  let database: TestDatabase;
  let sink: Sink;
  const processes: ChildApp[] = [];

  beforeAll(async () => {
    database = await postgres.create();
    sink = await startSink();
  });
  afterAll(async () => {
    await Promise.all(processes.map((child) => child.kill('SIGKILL')));
    await sink?.close();
    await database?.drop();
  });

  it('finishes every run once after the connections come back', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    sink.reply(() => ({ status: 200, body: { ok: true }, holdUntil: held }));
    const env = {
      ...database.env,
      REDIS_URL: REDIS_TEST_URL,
      HOOKFLOW_QUEUE_PREFIX: `hf-faults-${randomBytes(3).toString('hex')}`,
      HOOKFLOW_LEASE_MS: '3000',
      HOOKFLOW_RECONCILE_INTERVAL_MS: '500',
      HOOKFLOW_RECONCILE_STALE_MS: '2000',
    };
    const api = await startChildApp(env, await freePort());
    processes.push(api);
    const workerUrl = new URL(database.env.DATABASE_URL);
    workerUrl.searchParams.set('application_name', WORKER_APPLICATION);
    const worker = await startChildWorker({ ...env, DATABASE_URL: workerUrl.toString() });
    processes.push(worker);

    const auth = { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' };
    const created = await call<{ id: string; triggers: Array<{ path: string }> }>(
      `${api.url}/api/flows`,
      'POST',
      {
        headers: auth,
        body: JSON.stringify({
          name: 'cut',
          nodes: [
            { id: 'hook', type: 'trigger.webhook', params: { dedup: { mode: 'off' } } },
            { id: 'apply', type: 'http.request', params: { method: 'POST', url: `${sink.url}/n` } },
            { id: 'after', type: 'transform', params: { expression: '{ "done": true }' } },
          ],
          edges: [
            { from: 'hook', to: 'apply' },
            { from: 'apply', to: 'after' },
          ],
        }),
      },
    );
    expect(created.status).toBe(201);
    for (let n = 0; n < RUNS; n++) {
      const answer = await call(`${api.url}${created.body.triggers[0].path}`, 'POST', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ n }),
      });
      expect(answer.status).toBe(202);
    }
    await waitFor('every run to wait on its call', async () =>
      sink.received.length >= RUNS ? true : undefined,
    );

    const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    const cut = await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
      [WORKER_APPLICATION],
    );
    await admin.end();
    expect(cut.rowCount).toBeGreaterThan(0);
    release();

    const finished = await waitFor(
      'every run to finish',
      async () => {
        const page = await call<{ items: Array<{ status: string }>; total: number }>(
          `${api.url}/api/executions?flowId=${created.body.id}&limit=200`,
          'GET',
          { headers: auth },
        );
        const statuses = page.body.items.map((item) => item.status);
        return statuses.length === RUNS && statuses.every((status) => status === 'succeeded')
          ? statuses
          : undefined;
      },
      { attempts: 300, intervalMs: 100 },
    );
    expect(finished).toHaveLength(RUNS);
    expect(worker.process.exitCode).toBeNull();
    const keysByNumber = new Map<number, Set<string>>();
    for (const request of sink.received) {
      const n = (JSON.parse(request.body) as { n: number }).n;
      const keys = keysByNumber.get(n) ?? new Set<string>();
      keys.add(String(request.headers['idempotency-key']));
      keysByNumber.set(n, keys);
    }
    expect(keysByNumber.size).toBe(RUNS);
    for (const keys of keysByNumber.values()) expect(keys.size).toBe(1);
  });
});
