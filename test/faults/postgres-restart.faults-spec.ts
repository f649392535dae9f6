import { randomBytes } from 'node:crypto';
import { freePort, startChildApp, startChildWorker, type ChildApp } from '../support/child-app';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server';
import { startSink, type Sink } from '../support/sink';
import { TEST_API_KEY, call } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * PostgreSQL restarts (`pg_ctl restart -m fast`) while 6 clients stream deliveries to two API
 * processes in queue mode, with one worker. Every answer is 202 or 503 (never a 500 or a dropped
 * connection), every 202 runs exactly once, and all three processes recover by themselves.
 */

const CLIENTS = 6;
const auth = { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' };

describe('fault: PostgreSQL restarts during a stream of deliveries (queue mode)', () => {
  let database: PrivatePostgres;
  let redis: PrivateRedis;
  let sink: Sink;
  const processes: ChildApp[] = [];

  beforeAll(async () => {
    database = await startPrivatePostgres(await freePort());
    redis = await startPrivateRedis(await freePort());
    sink = await startSink();
  }, 60_000);
  afterAll(async () => {
    await Promise.all(processes.map((child) => child.kill('SIGKILL')));
    await redis?.stop();
    await database?.stop();
    await sink?.close();
  });

  it('answers 202 or 503 throughout, runs every 202 exactly once, and recovers without a restart', async () => {
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      HOOKFLOW_QUEUE_PREFIX: `hf-faults-${randomBytes(3).toString('hex')}`,
      HOOKFLOW_LEASE_MS: '3000',
      HOOKFLOW_RECONCILE_INTERVAL_MS: '500',
      HOOKFLOW_RECONCILE_STALE_MS: '2000',
    };
    const apis = [
      await startChildApp(env, await freePort()),
      await startChildApp(env, await freePort()),
    ];
    processes.push(...apis, await startChildWorker(env));

    const created = await call<{ triggers: Array<{ path: string }> }>(
      `${apis[0].url}/api/flows`,
      'POST',
      {
        headers: auth,
        body: JSON.stringify({
          name: 'restart',
          nodes: [
            { id: 'hook', type: 'trigger.webhook', params: { dedup: { mode: 'off' } } },
            { id: 'apply', type: 'http.request', params: { method: 'POST', url: `${sink.url}/n` } },
          ],
          edges: [{ from: 'hook', to: 'apply' }],
        }),
      },
    );
    expect(created.status).toBe(201);
    const path = created.body.triggers[0].path;

    const statuses = new Map<number, number>();
    const accepted = new Set<number>();
    const failures: string[] = [];
    let next = 0;
    let streaming = true;
    const client = async (index: number) => {
      while (streaming) {
        next += 1;
        const n = next;
        const api = apis[(index + n) % apis.length];
        try {
          const answer = await call(`${api.url}${path}`, 'POST', {
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ n }),
          });
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          if (answer.status === 202) accepted.add(n);
          if (answer.status === 503) expect(answer.headers.get('retry-after')).toBeTruthy();
        } catch (error) {
          failures.push(String(error));
        }
      }
    };
    const clients = Array.from({ length: CLIENTS }, (_, index) => client(index));
    await waitFor('deliveries to flow', async () => (accepted.size >= 200 ? true : undefined));
    await database.restart();
    const acceptedBeforeRecovery = accepted.size;
    // Both API processes accept again, without being restarted.
    await waitFor(
      'both API processes to accept again',
      async () => (accepted.size >= acceptedBeforeRecovery + 200 ? true : undefined),
      { attempts: 600, intervalMs: 50 },
    );
    streaming = false;
    await Promise.all(clients);
    for (const api of apis) {
      const answer = await call(`${api.url}${path}`, 'POST', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ n: (next += 1) }),
      });
      expect(answer.status).toBe(202);
      accepted.add(next);
    }

    console.log(`answers during the restart: ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(failures).toEqual([]);
    expect([...statuses.keys()].filter((status) => status !== 202 && status !== 503)).toEqual([]);

    // The worker recovered too: every accepted delivery ran, each side effect once per key.
    const keysByNumber = new Map<number, Set<string>>();
    await waitFor(
      'every accepted delivery to run',
      async () => {
        keysByNumber.clear();
        for (const request of sink.received) {
          const n = (JSON.parse(request.body) as { n: number }).n;
          const keys = keysByNumber.get(n) ?? new Set<string>();
          keys.add(String(request.headers['idempotency-key']));
          keysByNumber.set(n, keys);
        }
        return [...accepted].every((n) => keysByNumber.has(n)) ? true : undefined;
      },
      { attempts: 600, intervalMs: 100 },
    );
    for (const n of accepted) expect(keysByNumber.get(n)?.size).toBe(1);
    // Its waits alone may take 30 s (recovery) + 60 s (drain) on a loaded CI box; alone it takes ~15 s.
  }, 150_000);
});
