import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { Client } from 'pg';
import { postgres, queueModeSkip, type TestDatabase } from './support/databases';
import { freePort, startChildApp, startChildWorker, type ChildApp } from './support/child-app';
import { startPrivateRedis, type PrivateRedis } from './support/redis-server';
import { startSink, type Sink } from './support/sink';
import { TEST_API_KEY, call } from './support/test-app';
import { waitFor } from './support/wait-for';

const DELIVERIES = 2000;
const POSTERS = 16;
const auth = { authorization: `Bearer ${TEST_API_KEY}` };

const skip = queueModeSkip();
const describeQueue = skip ? describe.skip : describe;

describeQueue(`chaos in queue mode${skip ? ` (SKIPPED: ${skip})` : ''}`, () => {
  let database: TestDatabase;
  let redis: PrivateRedis;
  let sink: Sink;
  let api: ChildApp | undefined;
  const workers: Array<ChildApp | undefined> = [undefined, undefined];
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await postgres.create();
    redis = await startPrivateRedis(await freePort());
    sink = await startSink();
    env = {
      ...database.env,
      REDIS_URL: redis.url,
      HOOKFLOW_QUEUE_PREFIX: `hf-chaos-${randomBytes(3).toString('hex')}`,
      HOOKFLOW_LEASE_MS: '3000',
      HOOKFLOW_RECONCILE_INTERVAL_MS: '500',
      HOOKFLOW_RECONCILE_STALE_MS: '2000',
      HOOKFLOW_WORKER_CONCURRENCY: '16',
    };
  }, 60_000);

  afterAll(async () => {
    await Promise.all([api, ...workers].map((child) => child?.kill('SIGKILL')));
    await redis?.stop();
    await sink?.close();
    await database?.drop();
  });

  it(`runs ${DELIVERIES} accepted deliveries exactly once through 3 worker SIGKILLs and a Redis restart`, async () => {
    sink.reply(() => ({ status: 200, body: { ok: true } }));

    api = await startChildApp(env, await freePort());
    workers[0] = await startChildWorker(env);
    workers[1] = await startChildWorker(env);

    const created = await call<{ triggers: Array<{ path: string }> }>(
      `${api.url}/api/flows`,
      'POST',
      {
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          format: 'hookflow.flow/v1',
          name: 'chaos',
          nodes: [
            { id: 'hook', type: 'trigger.webhook', params: { dedup: { mode: 'off' } } },
            { id: 'map', type: 'transform', params: { expression: "{ 'n': n, 'double': n * 2 }" } },
            { id: 'apply', type: 'http.request', params: { url: `${sink.url}/apply` } },
          ],
          edges: [
            { from: 'hook', to: 'map' },
            { from: 'map', to: 'apply' },
          ],
        }),
      },
    );
    expect(created.status).toBe(201);
    const hookUrl = api.url + created.body.triggers[0].path;

    // Chaos at fixed points of the load: kill and restart workers, restart Redis.
    let accepted = 0;
    let chaos = Promise.resolve();
    const events: Array<[number, () => Promise<void>]> = [
      [300, () => restartWorker(0)],
      [700, () => redis.restart()],
      [1100, () => restartWorker(1)],
      [1500, () => restartWorker(0)],
    ];
    async function restartWorker(index: number): Promise<void> {
      await workers[index]?.kill('SIGKILL');
      workers[index] = await startChildWorker(env);
    }

    const executionIds = new Set<string>();
    let next = 0;
    const post = async (): Promise<void> => {
      while (next < DELIVERIES) {
        const n = next++;
        const answer = await call<{ executionId: string }>(hookUrl, 'POST', {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ n }),
        });
        expect(answer.status).toBe(202);
        executionIds.add(answer.body.executionId);
        accepted += 1;
        while (events.length > 0 && accepted >= events[0][0]) {
          const [, event] = events.shift() as [number, () => Promise<void>];
          chaos = chaos.then(event);
        }
      }
    };
    await Promise.all(Array.from({ length: POSTERS }, post));
    await chaos;
    expect(executionIds.size).toBe(DELIVERIES);

    const counts = async () => {
      const client = new Client({ connectionString: env.DATABASE_URL });
      await client.connect();
      try {
        const result = await client.query<{ status: string; count: string }>(
          'SELECT status, count(*) AS count FROM executions GROUP BY status',
        );
        return Object.fromEntries(result.rows.map((row) => [row.status, Number(row.count)]));
      } finally {
        await client.end();
      }
    };
    // The last count goes into the failure message: which state the stragglers are stuck in.
    let lastCount: Record<string, number> = {};
    // What a timeout leaves to read: the unfinished rows, their queue jobs, the processes' logs.
    const stragglers = async (): Promise<string> => {
      const client = new Client({ connectionString: env.DATABASE_URL });
      await client.connect();
      try {
        const rows = await client.query<Record<string, unknown>>(
          'SELECT id, status, attempt, job_id, lease_owner, lease_until, run_after, updated_at ' +
            "FROM executions WHERE status NOT IN ('succeeded', 'failed') ORDER BY id LIMIT 5",
        );
        const queue = new Redis(redis.url, { maxRetriesPerRequest: 1 });
        const jobs: string[] = [];
        for (const row of rows.rows) {
          const job = await queue.hgetall(
            `${env.HOOKFLOW_QUEUE_PREFIX}:executions:${String(row.job_id)}`,
          );
          jobs.push(`${String(row.id)}: ${JSON.stringify(row)} job ${JSON.stringify(job)}`);
        }
        const lists = await Promise.all(
          ['wait', 'active', 'delayed', 'failed'].map(async (list) => {
            const key = `${env.HOOKFLOW_QUEUE_PREFIX}:executions:${list}`;
            const type = await queue.type(key);
            const size = type === 'zset' ? await queue.zcard(key) : await queue.llen(key);
            return `${list}=${size}`;
          }),
        );
        queue.disconnect();
        const tail = (child: ChildApp | undefined) => child?.output().slice(-2000) ?? '';
        return [
          `queue: ${lists.join(' ')}`,
          ...jobs,
          `--- api ---\n${tail(api)}`,
          ...workers.map((worker, index) => `--- worker ${index} ---\n${tail(worker)}`),
        ].join('\n');
      } finally {
        await client.end();
      }
    };
    const final = await waitFor(
      'every execution to finish',
      async () => {
        const byStatus = await counts();
        lastCount = byStatus;
        return (byStatus.succeeded ?? 0) + (byStatus.failed ?? 0) === DELIVERIES
          ? byStatus
          : undefined;
      },
      { attempts: 600, intervalMs: 250 },
    ).catch(async (error: Error) => {
      throw new Error(
        `${error.message}; executions by status: ${JSON.stringify(lastCount)}\n` +
          (await stragglers()),
      );
    });
    expect(final).toEqual({ succeeded: DELIVERIES });

    // What the receiver got, before any dedup: every delivery's call arrived under one key of
    // its own; a call repeated after a crash repeats that key with the same body, so a receiver
    // that dedups by key applies each delivery exactly once. A run executed twice would show
    // as a second key for the same delivery.
    const byKey = new Map<string, Set<string>>();
    for (const request of sink.received) {
      const key = String(request.headers['idempotency-key']);
      const bodies = byKey.get(key) ?? new Set<string>();
      bodies.add(request.body);
      byKey.set(key, bodies);
    }
    expect(byKey.size).toBe(DELIVERIES);
    const delivered = [...byKey.values()].map((bodies) => {
      expect(bodies.size).toBe(1);
      return (JSON.parse([...bodies][0]) as { n: number }).n;
    });
    expect(delivered.sort((a, b) => a - b)).toEqual(
      Array.from({ length: DELIVERIES }, (_, n) => n),
    );
    const keys = byKey;

    // No node ran twice to completion: three steps per execution, no more.
    const client = new Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    const steps = await client.query<{ count: string }>(
      'SELECT count(*) AS count FROM execution_steps',
    );
    const resumed = await client.query<{ count: string }>(
      'SELECT count(*) AS count FROM executions WHERE attempt > 1',
    );
    await client.end();
    // For the record (docs, notes): how hard the chaos actually hit.
    console.info(
      `[chaos] ${DELIVERIES} runs; ${resumed.rows[0].count} resumed after a crash; ` +
        `receiver saw ${sink.received.length} calls for ${keys.size} keys`,
    );
    expect(Number(steps.rows[0].count)).toBe(DELIVERIES * 3);
  }, 300_000);
});
