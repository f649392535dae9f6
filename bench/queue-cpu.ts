/**
 * `npm run bench:queue-cpu -- [--workers 2] [--deliveries 4000] [--worker-prof DIR] [--api-prof DIR]`:
 * W3 in queue
 * mode (API + workers, PostgreSQL + Redis, fresh database) and the CPU time each process spent
 * per execution: utime + stime from /proc before and after a fixed number of executions. A
 * figure per execution hardly moves with the machine's load, where a rate does; the rate is
 * printed too. PostgreSQL counts the backends connected to this run's database (the server's
 * background processes and Redis are shared with anything else on the machine: printed apart).
 * Writes nothing; dist/ must be built (`npm run build`).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopAllChildren } from './lib/children';
import { actionFlow, PAYMENT_BODY } from './lib/flows';
import {
  HookflowApi,
  sleep,
  startBenchServer,
  startHookflow,
  until,
  type HookflowProcess,
} from './lib/hookflow';
const CLOCK_TICKS = 100;
import {
  createDatabase,
  deleteRedisKeys,
  dropDatabase,
  queueModeBlocker,
  REDIS_URL,
  WORKER_SCRIPT,
} from './lib/queue-mode';
import { runWrk } from './lib/wrk';
import Redis from 'ioredis';
import { Client } from 'pg';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

/** pid -> command line, for every process whose command line matches. */
function processes(match: (cmdline: string) => boolean): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (match(cmdline)) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

type Groups = Record<string, number[]>;

const REDIS_COUNTERS = [
  'total_commands_processed',
  'total_reads_processed',
  'total_writes_processed',
] as const;

/** Redis's own counters (server-wide: anything else using this Redis counts too). */
async function redisCounters(redis: Redis): Promise<Record<string, number>> {
  const info = await redis.info('stats');
  const counters: Record<string, number> = {};
  for (const name of REDIS_COUNTERS) {
    counters[name] = Number(new RegExp(`${name}:(\\d+)`).exec(info)?.[1] ?? 0);
  }
  return counters;
}

/** User and system CPU seconds of a process (utime, stime in /proc/<pid>/stat). */
function cpuSeconds(pid: number): [number, number] {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return [Number(rest[11]) / CLOCK_TICKS, Number(rest[12]) / CLOCK_TICKS];
  } catch {
    return [0, 0];
  }
}

function cpuOf(groups: Groups): Record<string, Map<number, [number, number]>> {
  const result: Record<string, Map<number, [number, number]>> = {};
  for (const [name, pids] of Object.entries(groups)) {
    result[name] = new Map(pids.map((pid) => [pid, cpuSeconds(pid)]));
  }
  return result;
}

/**
 * Waits until `expected` executions finished, asking the database directly (its backend is left
 * out of the figures) and only after the sink has seen the calls: polling the API would add CPU.
 */
async function waitFinished(
  db: Client,
  sinkUrl: string,
  expected: { sink: number; finished: number },
): Promise<number> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const answer = await fetch(`${sinkUrl}/count`);
    const { received } = (await answer.json()) as { received: number };
    if (received >= expected.sink) break;
    await sleep(50);
  }
  let done = 0;
  while (Date.now() < deadline) {
    const rows = await db.query<{ n: string }>(
      "SELECT count(*) AS n FROM executions WHERE status IN ('succeeded', 'failed')",
    );
    done = Number(rows.rows[0].n);
    if (done >= expected.finished) return done;
    await sleep(20);
  }
  throw new Error(`only ${done} of ${expected.finished} executions finished within 120 s`);
}

async function main(): Promise<void> {
  const workers = Number(option('--workers', '2'));
  const deliveries = Number(option('--deliveries', '4000'));
  const profDir = option('--worker-prof', '');
  const apiProfDir = option('--api-prof', '');
  /** Another build to measure (A/B): a directory under the repository, laid out as dist/. */
  const dist = option('--dist', 'dist');
  /** Extra environment for every Hookflow process: `--env NAME=value,NAME=value`. */
  const extraEnv = Object.fromEntries(
    option('--env', '')
      .split(',')
      .filter((pair) => pair.includes('='))
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
  const blocker = await queueModeBlocker();
  if (blocker) throw new Error(blocker);
  const stamp = `${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
  const database = `hookflow_cpu_${stamp}`;
  const prefix = `hookflow-cpu-${stamp}`;
  const tmp = mkdtempSync(join(tmpdir(), 'hookflow-cpu-'));
  const bodyFile = join(tmp, 'payment.json');
  writeFileSync(bodyFile, PAYMENT_BODY);
  const sink = await startBenchServer('sink server', 'bench/servers/sink-server.mjs');
  try {
    const env = {
      DATABASE_URL: await createDatabase(database),
      REDIS_URL,
      HOOKFLOW_QUEUE_PREFIX: prefix,
      HOOKFLOW_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      ...extraEnv,
    };
    const api = await startHookflow({
      name: 'api',
      env,
      script: `${dist}/src/main.js`,
      nodeArgs: apiProfDir ? ['--cpu-prof', `--cpu-prof-dir=${apiProfDir}`] : [],
    });
    const started: HookflowProcess[] = [];
    for (let index = 1; index <= workers; index += 1) {
      started.push(
        await startHookflow({
          name: `worker-${index}`,
          env,
          script: WORKER_SCRIPT.replace(/^dist\//, `${dist}/`),
          waitForHealth: false,
          nodeArgs: profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [],
        }),
      );
    }
    await until(async () => started.every((proc) => /started/i.test(proc.output())), {
      timeoutMs: 10_000,
    });
    const client = new HookflowApi(api.url);
    const imported = await client.importFlow(actionFlow(sink.url));
    if (!imported.ok) throw new Error(`import: ${imported.status} ${imported.body}`);
    const db = new Client({ connectionString: env.DATABASE_URL });
    db.on('error', () => undefined);
    await db.connect();
    const own = (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    const wrk = { url: imported.hookUrl, connections: 16, durationS: 30, bodyFile };
    // Warm-up: JIT, connection pools, prepared statements.
    const warm = await runWrk({ ...wrk, maxRequests: 1000 });
    let sinkSeen = warm.requests - warm.non2xx;
    await waitFinished(db, sink.url, { sink: sinkSeen, finished: sinkSeen });
    await sleep(300);
    const groups: Groups = {
      api: [api.pid],
      workers: started.map((proc) => proc.pid),
      'postgres (this database)': processes(
        (line) => line.startsWith('postgres: ') && line.includes(` ${database} `),
      ).filter((pid) => pid !== own),
    };
    const shared: Groups = {
      'postgres background (shared)': processes(
        (line) =>
          line.startsWith('postgres: ') &&
          !line.includes(' 127.0.0.1(') &&
          !line.includes(' [local]'),
      ),
      'redis-server (shared)': processes((line) => line.startsWith('redis-server')),
    };
    const finishedBefore = sinkSeen;
    const signal = (): void => {
      if (!process.env.BENCH_SIGNAL_WINCH) return;
      for (const pid of [...groups.api, ...groups.workers]) process.kill(pid, 'SIGWINCH');
    };
    signal();
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    const redisBefore = await redisCounters(redis);
    const before = cpuOf({ ...groups, ...shared });
    const startedAt = Date.now();
    const run = await runWrk({ ...wrk, maxRequests: deliveries });
    const accepted = run.requests - run.non2xx;
    sinkSeen += accepted;
    const finished = await waitFinished(db, sink.url, { sink: sinkSeen, finished: sinkSeen });
    const seconds = (Date.now() - startedAt) / 1000;
    // Backends opened during the run count from zero.
    groups['postgres (this database)'] = processes(
      (line) => line.startsWith('postgres: ') && line.includes(` ${database} `),
    ).filter((pid) => pid !== own);
    const after = cpuOf({ ...groups, ...shared });
    const redisAfter = await redisCounters(redis);
    redis.disconnect();
    signal();
    const executions = finished - finishedBefore;
    const failed = Number(
      (
        await db.query<{ n: string }>(
          "SELECT count(*) AS n FROM executions WHERE status = 'failed'",
        )
      ).rows[0].n,
    );
    if (process.env.BENCH_BACKENDS) {
      const activity = await db.query<{ pid: number; port: number | null; type: string }>(
        'SELECT pid, client_port AS port, backend_type AS type FROM pg_stat_activity ' +
          'WHERE datname = $1',
        [database],
      );
      const sockets = execFileSync('ss', ['-tnpH'], { encoding: 'utf8' });
      const pg = after['postgres (this database)'];
      for (const row of activity.rows) {
        const [u, s] = pg.get(row.pid) ?? [0, 0];
        const [u0, s0] = before['postgres (this database)'].get(row.pid) ?? [0, 0];
        const owner =
          sockets
            .split('\n')
            .find(
              (line) =>
                row.port !== null && line.trim().split(/\s+/)[3] === `127.0.0.1:${row.port}`,
            )
            ?.match(/pid=(\d+)/)?.[1] ?? '?';
        const who =
          owner === String(api.pid)
            ? 'api'
            : started.some((p) => String(p.pid) === owner)
              ? 'worker'
              : owner;
        process.stdout.write(
          `    backend ${row.pid} ${row.type} of ${who}: ${(((u + s - u0 - s0) / executions) * 1e6).toFixed(0)} µs/exec\n`,
        );
      }
    }
    const tables = await db.query<{ relname: string; ins: string; upd: string; hot: string }>(
      'SELECT relname, n_tup_ins AS ins, n_tup_upd AS upd, n_tup_hot_upd AS hot ' +
        "FROM pg_stat_user_tables WHERE relname IN ('executions', 'execution_steps', 'deliveries')",
    );
    const tableLine = tables.rows
      .map((row) => `${row.relname} ins ${row.ins} upd ${row.upd} hot ${row.hot}`)
      .join('; ');
    await db.end();
    process.stdout.write(
      `${workers} worker(s): ${executions} executions in ${seconds.toFixed(1)} s = ` +
        `${Math.round(executions / seconds)} exec/s (non-2xx ${run.non2xx}, failed ${failed})\n`,
    );
    let total = 0;
    for (const name of Object.keys(after)) {
      let user = 0;
      let system = 0;
      for (const [pid, [u, s]] of after[name]) {
        const [u0, s0] = before[name].get(pid) ?? [0, 0];
        user += u - u0;
        system += s - s0;
      }
      const perExec = ((user + system) / executions) * 1e6;
      const split = `(user ${((user / executions) * 1e6).toFixed(0)}, system ${((system / executions) * 1e6).toFixed(0)})`;
      if (name in groups) total += perExec;
      process.stdout.write(
        `  ${name.padEnd(30)} ${perExec.toFixed(0).padStart(6)} µs/exec ${split}\n`,
      );
    }
    process.stdout.write(
      `  ${'total (api+workers+pg)'.padEnd(30)} ${total.toFixed(0).padStart(6)} µs/exec\n`,
    );
    process.stdout.write(`  tables (whole run): ${tableLine}\n`);
    const perExecution = (name: string): string =>
      ((redisAfter[name] - redisBefore[name]) / executions).toFixed(2);
    process.stdout.write(
      `  redis per execution: ${REDIS_COUNTERS.map((name) => `${name} ${perExecution(name)}`).join(', ')}\n`,
    );
    for (const proc of started) await proc.stop('SIGTERM');
    await api.stop('SIGTERM');
  } finally {
    await stopAllChildren();
    await sink.stop();
    await dropDatabase(database).catch(() => undefined);
    await deleteRedisKeys(prefix).catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`queue-cpu: ${error instanceof Error ? error.stack : String(error)}\n`);
  void stopAllChildren().then(() => process.exit(1));
});
