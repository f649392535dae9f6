import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { ROOT } from './hookflow';

export const WORKER_SCRIPT = 'dist/apps/worker/src/main.js';
export const REDIS_URL = 'redis://127.0.0.1:6379';
/** The server's maintenance database; the bench creates and drops its own next to it. */
export const POSTGRES_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';

function redisPing(timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: 6379 });
    let answer = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString();
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
  });
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

/** Undefined when queue mode can run; otherwise every reason it cannot, in one line. */
export async function queueModeBlocker(): Promise<string | undefined> {
  const reasons: string[] = [];
  if (!existsSync(join(ROOT, WORKER_SCRIPT))) {
    reasons.push(`${WORKER_SCRIPT} does not exist (queue mode not built yet)`);
  }
  if (!(await redisPing())) reasons.push('Redis does not answer PING on 127.0.0.1:6379');
  const postgres = await postgresReachable();
  if (postgres) reasons.push(`PostgreSQL at 127.0.0.1:5432/test unreachable (${postgres})`);
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({
    connectionString: POSTGRES_ADMIN_URL,
    connectionTimeoutMillis: 5000,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const created = new Set<string>();

/** Creates a fresh database for one queue-mode run; returns its URL. */
export async function createDatabase(name: string): Promise<string> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name ${name}`);
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  created.add(name);
  return `postgres://postgres@127.0.0.1:5432/${name}`;
}

export async function dropDatabase(name: string): Promise<void> {
  await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  created.delete(name);
}

/** Drops every database this bench created and still exists (cleanup on failure). */
export async function dropCreatedDatabases(): Promise<void> {
  for (const name of [...created]) {
    await dropDatabase(name).catch((error: unknown) => {
      process.stderr.write(`bench: could not drop database ${name}: ${String(error)}\n`);
    });
  }
}

/** Deletes the Redis keys under this run's queue prefix (bounded SCAN). */
export async function deleteRedisKeys(prefix: string): Promise<number> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  let deleted = 0;
  try {
    await redis.connect();
    let cursor = '0';
    for (let round = 0; round < 10_000; round += 1) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) deleted += await redis.del(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } finally {
    redis.disconnect();
  }
  return deleted;
}
