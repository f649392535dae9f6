import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import type { INestApplicationContext } from '@nestjs/common';
import { createLogger, loadConfig } from '@hookflow/common';
import { createWorker } from '@hookflow/worker';
import { postgres, queueModeSkip, REDIS_TEST_URL, sqlite, type TestDatabase } from './databases';
import { startTestApp, TEST_ENCRYPTION_KEY, type TestApp } from './test-app';

/** A running Hookflow in one of its modes, as a test drives it. */
export interface RunningHookflow {
  api: TestApp;
  env: Record<string, string>;
  /** Stops and starts whatever runs executions (the embedded process, or the workers). */
  restartRunners(): Promise<void>;
  /** Stops and starts every process (queue mode: the API too), so nothing stays in memory. */
  restartAll(): Promise<void>;
  stop(): Promise<void>;
}

export interface ModeTarget {
  name: string;
  queue: boolean;
  start(extraEnv?: Record<string, string>): Promise<RunningHookflow>;
}

/** Deletes every Redis key of one test's queue prefix. */
async function dropQueueKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_TEST_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

function embedded(name: string, target: typeof sqlite): ModeTarget {
  return {
    name,
    queue: false,
    async start(extraEnv = {}) {
      const database: TestDatabase = await target.create();
      const env = { ...database.env, ...extraEnv };
      let api = await startTestApp(env);
      const running: RunningHookflow = {
        api,
        env,
        async restartRunners() {
          await api.close();
          api = await startTestApp(env);
          running.api = api;
        },
        restartAll: () => running.restartRunners(),
        async stop() {
          await running.api.close();
          await database.drop();
        },
      };
      return running;
    },
  };
}

/** Queue mode in one test process: the API app plus two in-process workers. */
const queueMode: ModeTarget = {
  name: 'queue mode (PostgreSQL + Redis, 2 workers)',
  queue: true,
  async start(extraEnv = {}) {
    const database = await postgres.create();
    const prefix = `hf-e2e-${randomBytes(4).toString('hex')}`;
    const env: Record<string, string> = {
      ...database.env,
      REDIS_URL: REDIS_TEST_URL,
      HOOKFLOW_QUEUE_PREFIX: prefix,
      HOOKFLOW_LEASE_MS: '10000',
      HOOKFLOW_RECONCILE_INTERVAL_MS: '500',
      HOOKFLOW_RECONCILE_STALE_MS: '2000',
      ...extraEnv,
    };
    const api = await startTestApp(env);
    const startWorkers = async () => {
      const config = loadConfig({
        ...env,
        LOG_LEVEL: 'silent',
        HOOKFLOW_API_KEY: 'e2e-test-key-0123456789abcdef',
        HOOKFLOW_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        HOOKFLOW_OUTBOUND_ALLOW: '127.0.0.1',
      });
      const logger = createLogger(config.logLevel);
      return Promise.all([createWorker(config, logger), createWorker(config, logger)]);
    };
    let workers: INestApplicationContext[] = await startWorkers();
    const running: RunningHookflow = {
      api,
      env,
      async restartRunners() {
        await Promise.all(workers.map((worker) => worker.close()));
        workers = await startWorkers();
      },
      async restartAll() {
        await running.api.close();
        await running.restartRunners();
        running.api = await startTestApp(env);
      },
      async stop() {
        await Promise.all(workers.map((worker) => worker.close()));
        await running.api.close();
        await dropQueueKeys(prefix);
        await database.drop();
      },
    };
    return running;
  },
};

/**
 * Runs `suite` in every mode a behaviour must hold in: embedded on SQLite, embedded on
 * PostgreSQL, and queue mode. Modes whose services are down show up as skipped, with the reason.
 */
export function eachMode(suite: (mode: ModeTarget) => void): void {
  describe('embedded on sqlite', () => suite(embedded('embedded sqlite', sqlite)));
  const postgresSkip = process.env.HOOKFLOW_TEST_POSTGRES_SKIP;
  if (postgresSkip) {
    describe.skip(`embedded on postgres (SKIPPED: ${postgresSkip})`, () =>
      suite(embedded('embedded postgres', postgres)));
  } else {
    describe('embedded on postgres', () => suite(embedded('embedded postgres', postgres)));
  }
  const queueSkip = queueModeSkip();
  if (queueSkip) {
    describe.skip(`${queueMode.name} (SKIPPED: ${queueSkip})`, () => suite(queueMode));
  } else {
    describe(queueMode.name, () => suite(queueMode));
  }
}
