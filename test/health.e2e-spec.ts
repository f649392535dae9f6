import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import type { INestApplicationContext } from '@nestjs/common';
import { createLogger, loadConfig } from '@hookflow/common';
import { createWorker, WorkerOpsListener } from '@hookflow/worker';
import {
  postgres,
  queueModeSkip,
  REDIS_TEST_URL,
  sqlite,
  type TestDatabase,
} from './support/databases';
import { metricValue } from './support/metrics';
import { startSink } from './support/sink';
import {
  call,
  startTestApp,
  TEST_API_KEY,
  TEST_ENCRYPTION_KEY,
  type TestApp,
} from './support/test-app';
import { waitFor } from './support/wait-for';

interface HealthBody {
  status: string;
  info?: Record<string, Record<string, unknown>>;
  error?: Record<string, Record<string, unknown>>;
  details: Record<string, Record<string, unknown>>;
}

const health = (url: string, path: string) => call<HealthBody>(`${url}${path}`, 'GET');

describe('health: embedded on sqlite', () => {
  let database: TestDatabase;
  let hookflow: TestApp;

  beforeAll(async () => {
    database = await sqlite.create();
    hookflow = await startTestApp(database.env);
  });
  afterAll(async () => {
    await hookflow?.close();
    await database?.drop();
  });

  it('answers live without checking anything, and ready with every dependency up', async () => {
    const live = await health(hookflow.url, '/health/live');
    expect(live.status).toBe(200);
    expect(live.body.status).toBe('ok');
    const ready = await health(hookflow.url, '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ok');
    expect(ready.body.details.database).toEqual({ status: 'up', kind: 'sqlite' });
    expect(ready.body.details.migrations).toMatchObject({ status: 'up', pending: [] });
    expect(ready.body.details.queue).toMatchObject({ status: 'up', kind: 'inline', waiting: 0 });
    // No Redis in the embedded mode: nothing to check.
    expect(ready.body.details.redis).toBeUndefined();
    // The older endpoint keeps answering as before.
    const old = await health(hookflow.url, '/health');
    expect(old.status).toBe(200);
    expect(old.body).toMatchObject({ status: 'ok', database: { status: 'up' } });
  });

  it('is not ready (503, naming the migration) when a migration of this build is not applied', async () => {
    const file = database.env.HOOKFLOW_SQLITE_PATH;
    const direct = new Database(file);
    try {
      const last = direct
        .prepare('SELECT id, timestamp, name FROM migrations ORDER BY id DESC LIMIT 1')
        .get() as { id: number; timestamp: number; name: string };
      direct.prepare('DELETE FROM migrations WHERE id = ?').run(last.id);
      const ready = await health(hookflow.url, '/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.status).toBe('error');
      expect(ready.body.error?.migrations).toMatchObject({ status: 'down', pending: [last.name] });
      expect(ready.body.details.database).toMatchObject({ status: 'up' });
      // Alive all the same: a liveness probe must not restart a process waiting for a migration.
      expect((await health(hookflow.url, '/health/live')).status).toBe(200);
      direct
        .prepare('INSERT INTO migrations (id, timestamp, name) VALUES (?, ?, ?)')
        .run(last.id, last.timestamp, last.name);
      expect((await health(hookflow.url, '/health/ready')).status).toBe(200);
    } finally {
      direct.close();
    }
  });
});

describe('health: while shutting down', () => {
  it('stays live (200) and is not ready (503) while a graceful shutdown drains a run', async () => {
    const database = await sqlite.create();
    const sink = await startSink();
    const hookflow = await startTestApp(database.env);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    sink.reply(() => ({ status: 200, holdUntil: held }));
    let closing: Promise<void> | undefined;
    try {
      const flow = await hookflow.api<{ triggers: Array<{ path: string }> }>('POST', '/api/flows', {
        body: {
          name: 'drained on shutdown',
          nodes: [
            { id: 'hook', type: 'trigger.webhook', params: {} },
            { id: 'call', type: 'http.request', params: { url: `${sink.url}/slow` } },
          ],
          edges: [{ from: 'hook', to: 'call' }],
        },
      });
      expect(flow.status).toBe(201);
      expect((await hookflow.post(flow.body.triggers[0].path, '{}')).status).toBe(202);
      await waitFor('the run to call the sink', async () => sink.received[0]);
      closing = hookflow.close();
      await waitFor('readiness to say shutting down', async () => {
        const ready = await health(hookflow.url, '/health/ready');
        return ready.status === 503 ? ready : undefined;
      });
      const live = await health(hookflow.url, '/health/live');
      expect(live.status).toBe(200);
      expect(live.body.status).toBe('ok');
    } finally {
      release();
      await (closing ?? hookflow.close());
      await sink.close();
      await database.drop();
    }
  });
});

const postgresSkip = process.env.HOOKFLOW_TEST_POSTGRES_SKIP;
(postgresSkip ? describe.skip : describe)(
  `health: embedded on postgres${postgresSkip ? ` (SKIPPED: ${postgresSkip})` : ''}`,
  () => {
    it('is not ready (503) once the database is gone, and stays alive', async () => {
      const database = await postgres.create();
      const hookflow = await startTestApp(database.env);
      try {
        expect((await health(hookflow.url, '/health/ready')).status).toBe(200);
        await database.drop();
        const ready = await health(hookflow.url, '/health/ready');
        expect(ready.status).toBe(503);
        expect(ready.body.error?.database).toEqual({ status: 'down', kind: 'postgres' });
        expect((await health(hookflow.url, '/health/live')).status).toBe(200);
      } finally {
        await hookflow.close().catch(() => undefined);
        await database.drop();
      }
    });
  },
);

const queueSkip = queueModeSkip();
(queueSkip ? describe.skip : describe)(
  `health: queue mode${queueSkip ? ` (SKIPPED: ${queueSkip})` : ''}`,
  () => {
    let database: TestDatabase;
    let api: TestApp;
    let worker: INestApplicationContext;
    let workerUrl: string;
    let env: Record<string, string>;

    const workerConfig = (extra: Record<string, string> = {}) =>
      loadConfig({
        ...env,
        LOG_LEVEL: 'silent',
        HOOKFLOW_API_KEY: TEST_API_KEY,
        HOOKFLOW_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        ...extra,
      });

    beforeAll(async () => {
      database = await postgres.create();
      env = {
        ...database.env,
        REDIS_URL: REDIS_TEST_URL,
        HOOKFLOW_QUEUE_PREFIX: `hf-e2e-${randomBytes(4).toString('hex')}`,
      };
      api = await startTestApp(env);
      const config = workerConfig({ HOOKFLOW_WORKER_PORT: '0' });
      worker = await createWorker(config, createLogger('silent'));
      workerUrl = `http://127.0.0.1:${worker.get(WorkerOpsListener).port}`;
    });
    afterAll(async () => {
      await worker?.close();
      await api?.close();
      await database?.drop();
    });

    it('checks Redis and the Bull queue on the API', async () => {
      const ready = await health(api.url, '/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.details).toMatchObject({
        database: { status: 'up', kind: 'postgres' },
        migrations: { status: 'up', pending: [] },
        redis: { status: 'up' },
        queue: { status: 'up', kind: 'bull' },
      });
    });

    it('serves live, ready and metrics on the worker port; its metrics count the runs it makes', async () => {
      expect((await health(workerUrl, '/health/live')).status).toBe(200);
      const ready = await health(workerUrl, '/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.details).toMatchObject({
        database: { status: 'up' },
        migrations: { status: 'up' },
        redis: { status: 'up' },
        queue: { status: 'up', kind: 'bull' },
      });

      const flow = await api.api<{ id: string; triggers: Array<{ path: string }> }>(
        'POST',
        '/api/flows/import',
        {
          body: {
            format: 'hookflow.flow/v1',
            name: 'worker metrics',
            nodes: [
              { id: 'hook', type: 'trigger.webhook', params: {} },
              { id: 'map', type: 'transform', params: { expression: '{ "n": n }' } },
            ],
            edges: [{ from: 'hook', to: 'map' }],
          },
        },
      );
      expect(flow.status).toBe(201);
      const accepted = await api.post(flow.body.triggers[0].path, JSON.stringify({ n: 1 }));
      expect(accepted.status).toBe(202);
      const text = await waitFor('the worker to count the run', async () => {
        const scrape = await call<string>(`${workerUrl}/metrics`, 'GET');
        const runs = metricValue(scrape.body, 'hookflow_executions_total', {
          flow: flow.body.id,
          status: 'succeeded',
        });
        return runs === 1 ? scrape.body : undefined;
      });
      expect(metricValue(text, 'hookflow_queue_depth', { state: 'waiting' })).toBeDefined();
      expect(
        metricValue(text, 'hookflow_node_duration_seconds_count', { node_type: 'transform' }),
      ).toBe(1);
      expect((await call(`${workerUrl}/health/nothing`, 'GET')).status).toBe(404);
    });

    it('has no health port unless HOOKFLOW_WORKER_PORT is set', async () => {
      const quiet = await createWorker(workerConfig(), createLogger('silent'));
      try {
        expect(quiet.get(WorkerOpsListener).port).toBeUndefined();
      } finally {
        await quiet.close();
      }
    });
  },
);
