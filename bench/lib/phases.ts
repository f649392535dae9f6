import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  HookflowApi,
  sleep,
  startBenchServer,
  startHookflow,
  until,
  type HookflowProcess,
} from './hookflow';
import type { PeakMemory } from './memory';
import {
  createDatabase,
  deleteRedisKeys,
  dropDatabase,
  queueModeBlocker,
  REDIS_URL,
  WORKER_SCRIPT,
} from './queue-mode';
import type { BenchResults, LoadPoint, QueueRun } from './types';
import {
  loadPoints,
  measureActions,
  measureBigPayload,
  measureIntake,
  measureSync,
  type LoadSettings,
} from './workloads';

/** The 10-minute promise: every phase asks before it starts; bounds shrink near the end. */
export class Budget {
  constructor(
    private readonly startedAt: number,
    private readonly totalS: number,
  ) {}

  remainingS(): number {
    return this.totalS - (Date.now() - this.startedAt) / 1000;
  }

  fits(seconds: number): boolean {
    return this.remainingS() > seconds;
  }
}

export interface PhaseContext {
  settings: LoadSettings;
  memory: PeakMemory;
  budget: Budget;
  tmp: string;
  stamp: string;
  w3Deliveries: number;
  bigPayloadBytes: number;
  notes: string[];
  log: (line: string) => void;
  /** Queue prefixes used, for Redis cleanup on failure. */
  queuePrefixes: string[];
}

export const failed = (error: unknown): { status: 'failed'; reason: string } => ({
  status: 'failed',
  reason: (error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 300),
});

/** Seconds one list of load points takes, with some slack for process start and checks. */
export const pointsSeconds = (ctx: PhaseContext, points: number): number =>
  points * (ctx.settings.warmupS + ctx.settings.durationS + 1);

export async function barePhase(ctx: PhaseContext): Promise<BenchResults['bare']> {
  ctx.log('Bare Node baseline (W1 by hand, nothing persisted)');
  const server = await startBenchServer('bare server', 'bench/servers/bare-server.mjs');
  ctx.memory.track('bare', server.pid);
  try {
    const points = await loadPoints(ctx.settings, {
      url: `${server.url}/hook`,
      label: 'bare',
      serverPid: server.pid,
    });
    for (const p of points) ctx.settings.bare.set(p.connections, p.requestsPerSec);
    // The baseline is its own reference: every ratio is 1.
    const withRatio: LoadPoint[] = points.map((p) => ({ ...p, ratioToBare: 1 }));
    return { points: withRatio, peakRssMiB: ctx.memory.lifetimePeakMiB('bare') };
  } finally {
    ctx.memory.untrack('bare');
    await server.stop();
  }
}

async function embedded(
  ctx: PhaseContext,
  name: string,
  extraEnv: Record<string, string> = {},
): Promise<{ proc: HookflowProcess; api: HookflowApi }> {
  const sqlite = join(ctx.tmp, `${name.replace(/\W+/g, '-')}.db`);
  const proc = await startHookflow({
    name: `embedded ${name}`,
    env: { HOOKFLOW_SQLITE_PATH: sqlite, ...extraEnv },
  });
  ctx.memory.track(`embedded ${name}`, proc.pid);
  return { proc, api: new HookflowApi(proc.url) };
}

async function stopEmbedded(ctx: PhaseContext, proc: HookflowProcess): Promise<void> {
  ctx.memory.untrack(proc.name);
  await proc.stop();
}

/** W1 and W2 in one fresh embedded process (W1 first: it leaves no backlog). */
export async function syncAndIntakePhase(ctx: PhaseContext, results: BenchResults): Promise<void> {
  ctx.log('Embedded mode: W1 sync, then W2 intake and drain (fresh SQLite)');
  // W2 measures what the intake can acknowledge; the backlog it leaves is drained afterwards.
  // The queue ceiling (a user's policy on how late runs may be) would cut that short.
  const { proc, api } = await embedded(ctx, 'w1-w2', { HOOKFLOW_QUEUE_CEILING: '0' });
  const name = proc.name;
  try {
    ctx.memory.beginPhase();
    results.embedded.w1 = await measureSync(api, ctx.settings, {
      label: 'W1 embedded',
      serverPid: proc.pid,
    }).catch(failed);
    if (results.embedded.w1.status === 'measured') {
      results.embedded.peakRssMiB['W1'] = ctx.memory.phasePeaks()[name] ?? 0;
    }
    ctx.memory.beginPhase();
    const drainBoundS = Math.max(5, Math.min(30, ctx.budget.remainingS() - 300));
    results.embedded.w2 = await measureIntake(api, ctx.settings, {
      label: 'W2 embedded',
      serverPid: proc.pid,
      drainBoundS,
    }).catch(failed);
    results.embedded.peakRssMiB['W2 intake + drain'] = ctx.memory.phasePeaks()[name] ?? 0;
  } finally {
    await stopEmbedded(ctx, proc);
  }
}

export async function actionsPhase(
  ctx: PhaseContext,
  results: BenchResults,
  sinkUrl: string,
): Promise<void> {
  ctx.log(`Embedded mode: W3 actions, ${ctx.w3Deliveries} deliveries (fresh SQLite)`);
  const { proc, api } = await embedded(ctx, 'w3');
  try {
    ctx.memory.beginPhase();
    const result = await measureActions(api, {
      sinkUrl,
      bodyFile: ctx.settings.bodyFile,
      deliveries: ctx.w3Deliveries,
      boundS: Math.max(10, Math.min(45, ctx.budget.remainingS() - 240)),
      log: ctx.log,
      label: 'W3 embedded',
    }).catch(failed);
    results.embedded.w3 = result;
    results.embedded.peakRssMiB['W3'] = ctx.memory.phasePeaks()[proc.name] ?? 0;
  } finally {
    await stopEmbedded(ctx, proc);
  }
}

export async function bigPayloadPhase(ctx: PhaseContext, results: BenchResults): Promise<void> {
  // W1 unless W1 ran and could not be measured; not run at all (`--only big`) is no reason to
  // switch: W2's status polling reads the whole run state, big body included, every 50 ms.
  const w1 = results.embedded.w1.status;
  const via = w1 === 'measured' || w1 === 'skipped' ? 'W1' : 'W2';
  const mib = (ctx.bigPayloadBytes / 1_048_576).toFixed(0);
  ctx.log(`Embedded mode: one ${mib} MiB JSON delivery through ${via} (fresh SQLite)`);
  const maxBody = String(Math.max(ctx.bigPayloadBytes * 2, 16 * 1_048_576));
  const { proc, api } = await embedded(ctx, 'big-payload', { HOOKFLOW_MAX_BODY_BYTES: maxBody });
  try {
    const result = await measureBigPayload(api, {
      via,
      bytes: ctx.bigPayloadBytes,
      memory: ctx.memory,
      processName: proc.name,
      boundS: 60,
    }).catch(failed);
    results.embedded.bigPayload = result;
    if (result.status === 'measured') {
      const value = result.value;
      results.embedded.peakRssMiB['big payload'] = value.peakRssMiB;
      ctx.log(
        `  big payload: accepted ${value.acceptStatus} in ${value.acceptMs} ms, finished ` +
          `${value.finishMs === null ? 'not within bound' : `in ${value.finishMs} ms`} ` +
          `(${value.finalStatus}); peak RSS ${value.peakRssMiB} MiB, ` +
          `+${value.extraMiB} MiB = ${value.extraRatio}x payload`,
      );
    } else {
      ctx.log(`  big payload: ${result.reason}`);
    }
  } finally {
    await stopEmbedded(ctx, proc);
  }
}

/** Seconds one queue-mode run (one worker count) may take at most. */
export const QUEUE_RUN_S = 110;

/** The API, then the workers; every process lands in `started` at once, for the cleanup. */
async function startQueueProcesses(options: {
  label: string;
  env: Record<string, string>;
  workers: number;
  started: HookflowProcess[];
}): Promise<HookflowProcess> {
  const { label, env, started } = options;
  const apiProc = await startHookflow({ name: `${label} api`, env });
  started.push(apiProc);
  const workers: HookflowProcess[] = [];
  for (let index = 1; index <= options.workers; index += 1) {
    const worker = await startHookflow({
      name: `${label} worker-${index}`,
      env,
      script: WORKER_SCRIPT,
      waitForHealth: false,
    });
    started.push(worker);
    workers.push(worker);
  }
  // Workers have no HTTP port: wait for their start line (bounded), then check they all live.
  await until(async () => workers.every((proc) => /started/i.test(proc.output())), {
    timeoutMs: 5000,
  });
  await sleep(500);
  const dead = started.find((proc) => !proc.isRunning());
  if (dead) throw new Error(`${dead.name} exited at start:\n${dead.output()}`);
  return apiProc;
}

/**
 * The intake gate's refusals in a process's log (one warning a second at most, each with the
 * count since the previous one and the cause): how many 503s, and why. Undefined when none.
 */
export function refusalsIn(output: string): string | undefined {
  const causes = new Map<string, number>();
  for (const line of output.split('\n')) {
    if (!line.includes('deliveries refused')) continue;
    let entry: { msg?: unknown; refused?: unknown };
    try {
      entry = JSON.parse(line) as { msg?: unknown; refused?: unknown };
    } catch {
      continue;
    }
    if (typeof entry.msg !== 'string') continue;
    const count = typeof entry.refused === 'number' ? entry.refused : 0;
    causes.set(entry.msg, (causes.get(entry.msg) ?? 0) + count);
  }
  if (causes.size === 0) return undefined;
  return [...causes]
    .map(([cause, count]) => `at least ${count.toLocaleString('en-US')} × "${cause}"`)
    .join('; ');
}

/** When W2 had non-2xx answers: what they were, from the API's log. */
function explainRefusals(ctx: PhaseContext, run: QueueRun, label: string, apiLog: string): void {
  const points = 'points' in run.w2 ? run.w2.points : [];
  const non2xx = points.reduce((sum, point) => sum + point.non2xx, 0);
  if (non2xx === 0) return;
  const refusals = refusalsIn(apiLog);
  run.refusals =
    refusals === undefined
      ? `${non2xx} non-2xx answers in W2, none a refusal by the intake gate: see the API log`
      : `${non2xx} non-2xx answers in W2; the API logged intake gate refusals (503 with ` +
        `Retry-After: backpressure, not failures): ${refusals}`;
  ctx.log(`  ${label}: ${run.refusals}`);
  ctx.notes.push(`${label}: ${run.refusals}`);
}

async function queueRun(ctx: PhaseContext, workers: number, sinkUrl: string): Promise<QueueRun> {
  const database = `hookflow_bench_${ctx.stamp}_${workers}w`;
  const prefix = `hookflow-bench-${ctx.stamp}-${workers}w`;
  ctx.queuePrefixes.push(prefix);
  const started: HookflowProcess[] = [];
  const label = `queue ${workers}w`;
  const run: QueueRun = {
    workers,
    w1: { status: 'skipped', reason: 'not reached' },
    w2: { status: 'failed', reason: 'not reached' },
    w3: { status: 'skipped', reason: 'not reached' },
    peakRssMiB: {},
  };
  try {
    const env = {
      DATABASE_URL: await createDatabase(database),
      REDIS_URL,
      HOOKFLOW_QUEUE_PREFIX: prefix,
      // Every process of one installation shares the key that encrypts credentials.
      HOOKFLOW_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    };
    const apiProc = await startQueueProcesses({ label, env, workers, started });
    for (const proc of started) ctx.memory.track(proc.name, proc.pid);
    const api = new HookflowApi(apiProc.url);
    // W3 first: it is the scaling figure, and W2 leaves a backlog behind.
    run.w3 = await measureActions(api, {
      sinkUrl,
      bodyFile: ctx.settings.bodyFile,
      deliveries: ctx.w3Deliveries,
      boundS: 35,
      log: ctx.log,
      label: `W3 ${label}`,
    }).catch(failed);
    run.w1 = await measureSync(api, ctx.settings, {
      label: `W1 ${label}`,
      connections: [64],
      serverPid: apiProc.pid,
    }).catch(failed);
    run.w2 = await measureIntake(api, ctx.settings, {
      label: `W2 ${label}`,
      connections: [64],
      serverPid: apiProc.pid,
      drainBoundS: 20,
    }).catch(failed);
    explainRefusals(ctx, run, label, apiProc.output());
  } catch (error) {
    // One failed run is a row in the report, not the end of the bench.
    const reason = failed(error).reason;
    run.error = reason;
    const notReached = (value: object): boolean =>
      'reason' in value && value.reason === 'not reached';
    if (notReached(run.w1)) run.w1 = { status: 'failed', reason };
    if (notReached(run.w2)) run.w2 = { status: 'failed', reason };
    if (notReached(run.w3)) run.w3 = { status: 'failed', reason };
    ctx.log(`  ${label} failed: ${reason}`);
  } finally {
    for (const proc of started) {
      run.peakRssMiB[proc.name.replace(`${label} `, '')] = ctx.memory.lifetimePeakMiB(proc.name);
    }
    for (const proc of started) {
      ctx.memory.untrack(proc.name);
      await proc.stop();
    }
    await dropDatabase(database).catch((error: unknown) =>
      ctx.log(`  could not drop ${database}: ${String(error)}`),
    );
    await deleteRedisKeys(prefix).catch((error: unknown) =>
      ctx.log(`  could not clean Redis keys ${prefix}:*: ${String(error)}`),
    );
  }
  return run;
}

export async function queuePhase(
  ctx: PhaseContext,
  sinkUrl: string,
): Promise<BenchResults['queue']> {
  const blocker = await queueModeBlocker();
  if (blocker) {
    const reason = `queue mode skipped: ${blocker}`;
    ctx.log(reason);
    return { status: 'skipped', reason };
  }
  const runs: QueueRun[] = [];
  for (const workers of [1, 2]) {
    if (!ctx.budget.fits(QUEUE_RUN_S + 15)) {
      const reason = `queue mode with ${workers} worker(s) skipped: not enough of the 10-minute budget left`;
      ctx.log(reason);
      ctx.notes.push(reason);
      break;
    }
    ctx.log(`Queue mode: API + ${workers} worker(s), PostgreSQL + Redis (fresh database)`);
    runs.push(await queueRun(ctx, workers, sinkUrl));
  }
  return { status: 'measured', runs };
}

export async function withSink<T>(work: (sinkUrl: string) => Promise<T>): Promise<T> {
  const sink = await startBenchServer('sink server', 'bench/servers/sink-server.mjs');
  try {
    return await work(sink.url);
  } finally {
    await sink.stop();
  }
}
