/**
 * `npm run bench`: Hookflow against a bare Node server on this machine, with wrk on loopback.
 * Writes docs/BENCHMARKS.md and bench/results/<timestamp>.json + latest.json. Bounded: every
 * phase asks the 10-minute budget first, every wait has a limit, every child is killed at the end
 * (also on failure and on SIGINT/SIGTERM). `--skip-build` uses dist/ as it is; `--profile [w2]` runs
 * W1 (or W2) at c=64 on a `node --cpu-prof` embedded process and prints where the time goes.
 * `--only bare,w1w2,w3,big,queue` runs just those phases (the bare baseline always runs, the
 * ratios need it) and prints the figures without writing docs/BENCHMARKS.md or latest.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { killAllChildrenNow, runningChildren, runToEnd, stopAllChildren } from './lib/children';
import { PAYMENT_BODY } from './lib/flows';
import { ROOT } from './lib/hookflow';
import { PeakMemory } from './lib/memory';
import { writeOutputs } from './lib/output';
import {
  actionsPhase,
  barePhase,
  bigPayloadPhase,
  Budget,
  failed,
  pointsSeconds,
  queuePhase,
  syncAndIntakePhase,
  withSink,
  QUEUE_RUN_S,
  type PhaseContext,
} from './lib/phases';
import { runProfile } from './lib/profile-run';
import { dropCreatedDatabases, deleteRedisKeys } from './lib/queue-mode';
import { checkTargets } from './lib/targets';
import type { BenchResults, SyncResult } from './lib/types';
import { ensureWrk, wrkVersion } from './lib/wrk';

const TOTAL_BUDGET_S = 570; // 9.5 minutes: the run must finish in under 10
const startedAt = Date.now();
/** Taken before the build, which would raise it. */
const loadAtStart = loadavg()[0];
const args = new Set(process.argv.slice(2));
/** The phases `--only` asks for (undefined: all of them, and the report is written). */
const only = ((): Set<string> | undefined => {
  const index = process.argv.indexOf('--only');
  if (index < 0) return undefined;
  const names = (process.argv[index + 1] ?? '').split(',').filter(Boolean);
  const known = ['bare', 'w1w2', 'w3', 'big', 'queue'];
  const unknown = names.filter((name) => !known.includes(name));
  if (names.length === 0 || unknown.length > 0) {
    process.stderr.write(`--only takes a list of ${known.join(', ')}\n`);
    process.exit(2);
  }
  return new Set(names);
})();
const wanted = (name: string): boolean => only === undefined || only.has(name);
const queuePrefixes: string[] = [];
let tmp: string | undefined;

function log(line: string): void {
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(0).padStart(3);
  process.stdout.write(`[${seconds}s] ${line}\n`);
}

async function cleanup(): Promise<void> {
  await stopAllChildren();
  await dropCreatedDatabases();
  for (const prefix of queuePrefixes) await deleteRedisKeys(prefix).catch(() => 0);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  tmp = undefined;
}

function installCleanup(): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping every child process`);
    void cleanup().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', () => killAllChildrenNow());
  // The hard stop: whatever happens, nothing of the bench outlives 10 minutes.
  const watchdog = setTimeout(
    () => {
      log('the 10-minute limit is reached: stopping everything');
      void cleanup().finally(() => process.exit(1));
    },
    (TOTAL_BUDGET_S + 25) * 1000,
  );
  watchdog.unref();
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

function git(argsList: string[]): string {
  try {
    return execFileSync('git', argsList, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

function emptyResults(settings: BenchResults['settings']): BenchResults {
  const cpu = cpus();
  return {
    schema: 'hookflow.bench/v1',
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: '',
    runSeconds: 0,
    machine: {
      cpus: cpu.length,
      cpuModel: cpu[0]?.model.trim() ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      wrk: wrkVersion(),
      platform: `${process.platform} ${process.arch}`,
      loadAverageAtStart: round2(loadAtStart),
    },
    commit: {
      sha: git(['rev-parse', '--short', 'HEAD']) || 'unknown',
      dirty: git(['status', '--porcelain']) !== '',
    },
    settings,
    bare: null,
    embedded: {
      w1: { status: 'skipped', reason: 'not reached' },
      w2: { status: 'skipped', reason: 'not reached' },
      w3: { status: 'skipped', reason: 'not reached' },
      bigPayload: { status: 'skipped', reason: 'not reached' },
      peakRssMiB: {},
    },
    queue: { status: 'skipped', reason: 'not reached' },
    targets: [],
    notes: [],
  };
}

async function build(): Promise<void> {
  if (args.has('--skip-build')) {
    log('--skip-build: using dist/ as it is');
  } else {
    log('npm run build');
    const result = await runToEnd('npm run build', 'npm', ['run', '--silent', 'build'], {
      cwd: ROOT,
      timeoutMs: 180_000,
    });
    if (result.code !== 0) {
      const lines = result.output.trim().split('\n');
      const shown = lines.slice(0, 20).join('\n');
      const more = lines.length > 20 ? `\n... and ${lines.length - 20} more lines` : '';
      throw new Error(`npm run build failed (fix it, or use --skip-build):\n${shown}${more}`);
    }
  }
  if (!existsSync(join(ROOT, 'dist/src/main.js'))) throw new Error('dist/src/main.js is missing');
}

async function runAll(ctx: PhaseContext, results: BenchResults): Promise<void> {
  /** Runs a phase if the budget allows; a failure is noted and the bench goes on. */
  const phase = async (what: string, seconds: number, work: () => Promise<void>) => {
    if (!ctx.budget.fits(seconds)) {
      const note = `${what} skipped: not enough of the 10-minute budget left`;
      log(note);
      ctx.notes.push(note);
      return;
    }
    try {
      await work();
    } catch (error) {
      const note = `${what} failed: ${failed(error).reason}`;
      log(note);
      ctx.notes.push(note);
    }
  };
  const points = ctx.settings.connections.length;
  await phase('bare baseline', pointsSeconds(ctx, points), async () => {
    results.bare = await barePhase(ctx);
  });
  if (wanted('w1w2')) {
    await phase('W1/W2 embedded', pointsSeconds(ctx, 2 * points) + 40, () =>
      syncAndIntakePhase(ctx, results),
    );
  }
  await withSink(async (sinkUrl) => {
    if (wanted('w3')) await phase('W3 embedded', 60, () => actionsPhase(ctx, results, sinkUrl));
    if (wanted('big')) await phase('big payload', 70, () => bigPayloadPhase(ctx, results));
    if (!wanted('queue')) return;
    await phase('queue mode', QUEUE_RUN_S, async () => {
      results.queue = await queuePhase(ctx, sinkUrl);
    });
  });
}

function collectNotes(results: BenchResults): string[] {
  const notes: string[] = [];
  const w1 = results.embedded.w1;
  if (w1.status !== 'measured') {
    // The big payload goes through W2 only when W1 ran and failed (see bigPayloadPhase).
    const big = w1.status === 'skipped' ? '' : ' The big payload went through W2 instead.';
    notes.push(`W1 sync: ${w1.reason}.${big} The W1 targets read n/a.`);
  }
  if (results.queue.status !== 'measured') notes.push(results.queue.reason);
  const sync: Array<[string, SyncResult]> = [['W1 embedded', w1]];
  if (results.queue.status === 'measured') {
    for (const run of results.queue.runs)
      sync.push([`W1 queue mode, ${run.workers} worker(s)`, run.w1]);
  }
  for (const [label, result] of sync) {
    if (result.status === 'measured' && result.failedRuns > 0) {
      notes.push(
        `${label}: ${result.failedRuns} runs failed (the non-2xx answers), e.g. ${result.firstError ?? '?'}`,
      );
    }
  }
  return notes;
}

async function main(): Promise<void> {
  installCleanup();
  if (loadAtStart > cpus().length / 2) {
    log(
      `warning: load average ${loadAtStart.toFixed(2)} on ${cpus().length} CPUs: something else ` +
        'is running, the figures will be low (recorded in the report)',
    );
  }
  if (!(await ensureWrk(log))) process.exit(1);
  await build();
  tmp = mkdtempSync(join(tmpdir(), 'hookflow-bench-'));
  const bodyFile = join(tmp, 'payment.json');
  writeFileSync(bodyFile, PAYMENT_BODY);
  const stamp = new Date(startedAt).toISOString().replace(/[:.]/g, '-');
  const budget = new Budget(startedAt, TOTAL_BUDGET_S);
  const settings = {
    connections: [1, 16, 64],
    warmupS: 3,
    durationS: 10,
    bodyFile,
    bare: new Map<number, number>(),
    log,
  };
  if (args.has('--profile')) {
    const workload = process.argv.includes('w2') ? 'w2' : 'w1';
    await runProfile({ workload, tmp, settings, stamp, log });
    return;
  }
  const results = emptyResults({
    threads: 1,
    connections: settings.connections,
    warmupS: settings.warmupS,
    durationS: settings.durationS,
    w3Deliveries: 3000,
    bigPayloadBytes: 10 * 1_048_576,
  });
  const memory = new PeakMemory();
  const ctx: PhaseContext = {
    settings,
    memory,
    budget,
    tmp,
    stamp: stamp.replace(/\W/g, '').toLowerCase().slice(0, 18),
    w3Deliveries: results.settings.w3Deliveries,
    bigPayloadBytes: results.settings.bigPayloadBytes,
    notes: [],
    log,
    queuePrefixes,
  };
  try {
    await runAll(ctx, results);
  } finally {
    memory.stop();
  }
  results.notes = [...collectNotes(results), ...ctx.notes];
  results.finishedAt = new Date().toISOString();
  results.runSeconds = Math.round((Date.now() - startedAt) / 1000);
  results.targets = checkTargets(results);
  for (const check of results.targets) {
    const verdict = check.pass === null ? 'n/a' : check.pass ? 'met' : 'MISSED';
    const ratio = check.ratio
      ? `; ${(check.ratio.measured * 100).toFixed(1)} % of bare (goal ${(check.ratio.goal * 100).toFixed(1)} %) -> ${check.ratio.pass ? 'met' : 'MISSED'}`
      : '';
    log(`target ${check.name}: ${check.measured} (goal ${check.target}) -> ${verdict}${ratio}`);
  }
  for (const note of results.notes) log(`note: ${note}`);
  if (only !== undefined) {
    const file = join(tmpdir(), `hookflow-bench-only-${stamp}.json`);
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    log(`--only: figures in ${file}; docs/BENCHMARKS.md needs the whole run, left as it is`);
    return;
  }
  const written = await writeOutputs(results, stamp);
  log(`wrote ${written.join(', ')}`);
}

main()
  .then(async () => {
    await cleanup();
    const left = runningChildren();
    if (left.length > 0) log(`still running after cleanup (killed now): ${left.join(', ')}`);
    log(`done in ${Math.round((Date.now() - startedAt) / 1000)} s`);
    process.exit(0);
  })
  .catch(async (error: unknown) => {
    log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await cleanup();
    process.exit(1);
  });
