import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';

/**
 * Where e2e suites run: SQLite always; PostgreSQL when it answers. Without PostgreSQL the suite
 * is skipped with the reason printed, unless HOOKFLOW_REQUIRE_SERVICES=1 (set by .ci/run), which
 * turns the skip into a failure.
 */
export const POSTGRES_ADMIN_URL =
  process.env.HOOKFLOW_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REQUIRE_SERVICES = process.env.HOOKFLOW_REQUIRE_SERVICES === '1';

export interface TestDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

export interface DatabaseTarget {
  name: 'sqlite' | 'postgres';
  create(): Promise<TestDatabase>;
}

async function postgresReachable(): Promise<string | undefined> {
  const client = new Client({
    connectionString: POSTGRES_ADMIN_URL,
    connectionTimeoutMillis: 2000,
  });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export const sqlite: DatabaseTarget = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'hookflow-e2e-'));
    return {
      env: { HOOKFLOW_SQLITE_PATH: join(dir, 'hookflow.db') },
      async drop() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const postgres: DatabaseTarget = {
  name: 'postgres',
  async create() {
    const name = `hookflow_e2e_${randomBytes(6).toString('hex')}`;
    const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    return {
      env: { DATABASE_URL: withDatabase(POSTGRES_ADMIN_URL, name) },
      async drop() {
        const client = new Client({ connectionString: POSTGRES_ADMIN_URL });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    };
  },
};

export const REDIS_TEST_URL = process.env.HOOKFLOW_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisReachable(): Promise<string | undefined> {
  const client = new Redis(REDIS_TEST_URL, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    client.disconnect();
  }
}

/**
 * Probes PostgreSQL and Redis once for the whole run (jest globalSetup); test workers read the
 * verdict from the environment. Queue mode needs both.
 */
export async function probeServices(): Promise<void> {
  const postgres = await postgresReachable();
  const redis = await redisReachable();
  const problems: string[] = [];
  if (postgres !== undefined) {
    problems.push(`PostgreSQL at ${POSTGRES_ADMIN_URL} is not reachable (${postgres})`);
  }
  if (redis !== undefined) problems.push(`Redis at ${REDIS_TEST_URL} is not reachable (${redis})`);
  if (problems.length > 0 && REQUIRE_SERVICES) {
    throw new Error(`${problems.join('; ')}; HOOKFLOW_REQUIRE_SERVICES=1 forbids skipping`);
  }
  process.env.HOOKFLOW_TEST_POSTGRES_SKIP = postgres === undefined ? '' : problems[0];
  process.env.HOOKFLOW_TEST_QUEUE_SKIP = problems.join('; ');
  for (const problem of problems) {
    process.stderr.write(`\n[hookflow e2e] SKIPPING the suites that need it: ${problem}\n`);
  }
}

/** Why queue-mode suites cannot run here, or undefined when they can. */
export function queueModeSkip(): string | undefined {
  const skip = process.env.HOOKFLOW_TEST_QUEUE_SKIP;
  return skip === undefined || skip === '' ? undefined : skip;
}

/**
 * Runs `suite` once per database. A database that is not available shows up in the report as
 * a skipped block whose name says why.
 */
export function eachDatabase(suite: (target: DatabaseTarget) => void): void {
  describe('on sqlite', () => suite(sqlite));
  const skip = process.env.HOOKFLOW_TEST_POSTGRES_SKIP;
  if (skip === undefined || skip === '') {
    describe('on postgres', () => suite(postgres));
  } else {
    describe.skip(`on postgres (SKIPPED: ${skip})`, () => suite(postgres));
  }
}
