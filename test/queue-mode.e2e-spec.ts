import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createLogger, loadConfig } from '@hookflow/common';
import { createWorker } from '@hookflow/worker';
import { postgres, queueModeSkip, REDIS_TEST_URL, type TestDatabase } from './support/databases';
import { startTestApp, TEST_API_KEY, TEST_ENCRYPTION_KEY, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const skip = queueModeSkip();
const describeQueue = skip ? describe.skip : describe;

describe('queue mode configuration', () => {
  it('refuses to start with REDIS_URL on SQLite, saying what to set', () => {
    const result = spawnSync(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
      cwd: join(__dirname, '..'),
      env: { ...process.env, REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/REDIS_URL.*needs PostgreSQL.*DATABASE_URL/);
  });
});

describeQueue(`queue mode${skip ? ` (SKIPPED: ${skip})` : ''}`, () => {
  let database: TestDatabase;
  let api: TestApp;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await postgres.create();
    env = {
      ...database.env,
      REDIS_URL: REDIS_TEST_URL,
      HOOKFLOW_QUEUE_PREFIX: `hf-e2e-${randomBytes(4).toString('hex')}`,
    };
    api = await startTestApp(env);
  });
  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('the API only accepts: runs wait in the queue until a worker takes them', async () => {
    const flow = await api.api<{ triggers: Array<{ path: string }> }>('POST', '/api/flows', {
      body: {
        name: 'queued',
        nodes: [
          { id: 'hook', type: 'trigger.webhook', params: {} },
          { id: 'map', type: 'transform', params: { expression: '{ "seen": n }' } },
        ],
        edges: [{ from: 'hook', to: 'map' }],
      },
    });
    const accepted = await api.post(flow.body.triggers[0].path, JSON.stringify({ n: 7 }));
    expect(accepted.status).toBe(202);
    const { executionId } = accepted.body as { executionId: string };
    const health = await api.api<{ queue: { kind: string; waiting: number } }>('GET', '/health', {
      auth: false,
    });
    expect(health.body.queue).toMatchObject({ kind: 'bull', status: 'up' });
    await waitFor('the job to sit in Redis', async () =>
      (await api.api<{ queue: { waiting: number } }>('GET', '/health', { auth: false })).body.queue
        .waiting === 1
        ? true
        : undefined,
    );
    expect(
      (await api.api<{ status: string }>('GET', `/api/executions/${executionId}`)).body.status,
    ).toBe('pending');

    const config = loadConfig({
      ...env,
      LOG_LEVEL: 'silent',
      HOOKFLOW_API_KEY: TEST_API_KEY,
      HOOKFLOW_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    });
    const worker = await createWorker(config, createLogger('silent'));
    try {
      const done = await waitFor('the worker to run it', async () => {
        const view = await api.api<{ status: string; steps: Array<{ output: unknown }> }>(
          'GET',
          `/api/executions/${executionId}`,
        );
        return view.body.status === 'succeeded' ? view.body : undefined;
      });
      expect(done.steps.at(-1)?.output).toEqual({ seen: 7 });
    } finally {
      await worker.close();
    }
  });

  it('serves Bull Board at /admin/queues behind the API key', async () => {
    const anonymous = await api.api('GET', '/admin/queues', { auth: false });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic/);
    const wrong = await api.api('GET', '/admin/queues', { auth: 'Bearer wrong-key' });
    expect(wrong.status).toBe(401);
    const basic = `Basic ${Buffer.from(`ops:${TEST_API_KEY}`).toString('base64')}`;
    const page = await api.api('GET', '/admin/queues', { auth: basic });
    expect(page.status).toBe(200);
    const queues = await api.api<{ queues: Array<{ name: string }> }>(
      'GET',
      '/admin/queues/api/queues',
    );
    expect(queues.body.queues.map((queue) => queue.name)).toEqual(['executions']);
  });
});
