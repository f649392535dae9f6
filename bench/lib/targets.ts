import type {
  ActionsResult,
  BenchResults,
  IntakeResult,
  LoadPoint,
  SyncResult,
  TargetCheck,
} from './types';

/** Reference figures from the project guide (same kind of machine, measured elsewhere). */
export const ANCHORS = {
  bareReqPerSec: 69_000,
  nodeRedReqPerSec: 5_200,
  nodeRedP99MsAtC16: 10,
  n8nReqPerSec: 29,
} as const;

/**
 * The bare baseline the targets were set against (issue 13: one 2-core box, wrk 1 thread):
 * 61,680 req/s at c=16, 60,450 at c=64. A target as a share of it is the goal for the ratio.
 */
export const REFERENCE_BARE: Record<number, number> = { 16: 61_680, 64: 60_450 };

/** The measured share of this run's bare baseline, and the goal's share of the reference. */
function ratioCheck(
  results: BenchResults,
  value: number,
  goal: number,
  connections: number,
): TargetCheck['ratio'] {
  const bare = results.bare?.points.find((p) => p.connections === connections)?.requestsPerSec;
  const reference = REFERENCE_BARE[connections];
  if (!bare || !reference) return undefined;
  const measured = Math.round((value / bare) * 1000) / 1000;
  const share = Math.round((goal / reference) * 1000) / 1000;
  return { measured, goal: share, pass: measured >= share };
}

export const TARGETS = {
  w1ReqPerSecAtC64: 5_000,
  w1P99MsAtC16: 15,
  w2AcksPerSec: 15_000,
  w3QueueExecPerSecTwoWorkers: 1_000,
  rssMiBPerProcess: 250,
  bigPayloadExtraRatio: 4,
} as const;

export const n = (value: number): string => value.toLocaleString('en-US');
export const ms = (value: number): string => (value < 10 ? value.toFixed(2) : value.toFixed(1));

export function isIntake(value: BenchResults['embedded']['w2']): value is IntakeResult {
  return 'points' in value;
}

export function point(result: SyncResult, c: number): LoadPoint | undefined {
  return result.status === 'measured' ? result.points.find((p) => p.connections === c) : undefined;
}

/** Every Hookflow process's peak RSS under load (the big-payload process has its own target). */
function loadRss(results: BenchResults): Array<{ name: string; mib: number }> {
  const entries = Object.entries(results.embedded.peakRssMiB)
    .filter(([name]) => !name.includes('big payload'))
    .map(([name, mib]) => ({ name: `embedded ${name}`, mib }));
  if (results.queue.status === 'measured') {
    for (const run of results.queue.runs) {
      for (const [name, mib] of Object.entries(run.peakRssMiB)) {
        entries.push({ name: `queue ${run.workers}w ${name}`, mib });
      }
    }
  }
  return entries;
}

export function checkTargets(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const w1 = results.embedded.w1;
  const w1Missing = w1.status === 'measured' ? 'not measured' : w1.reason;
  const c64 = point(w1, 64);
  checks.push({
    name: 'W1 sync, embedded, c=64',
    target: `≥ ${n(TARGETS.w1ReqPerSecAtC64)} req/s`,
    measured: c64 ? `${n(c64.requestsPerSec)} req/s` : w1Missing,
    pass: c64 ? c64.requestsPerSec >= TARGETS.w1ReqPerSecAtC64 && c64.non2xx === 0 : null,
    ...(c64
      ? { ratio: ratioCheck(results, c64.requestsPerSec, TARGETS.w1ReqPerSecAtC64, 64) }
      : {}),
  });
  const c16 = point(w1, 16);
  checks.push({
    name: 'W1 sync, embedded, p99 at c=16',
    target: `≤ ${TARGETS.w1P99MsAtC16} ms`,
    measured: c16 ? `${ms(c16.latencyMs.p99)} ms` : w1Missing,
    pass: c16 ? c16.latencyMs.p99 <= TARGETS.w1P99MsAtC16 : null,
  });
  const w2 = results.embedded.w2;
  const best = isIntake(w2) ? [...w2.points].sort((a, b) => b.okPerSec - a.okPerSec)[0] : undefined;
  checks.push({
    name: 'W2 intake, embedded (best concurrency)',
    target: `≥ ${n(TARGETS.w2AcksPerSec)} acks/s`,
    measured: best
      ? `${n(best.okPerSec)} acks/s at c=${best.connections}`
      : isIntake(w2)
        ? 'no points'
        : w2.reason,
    pass: best ? best.okPerSec >= TARGETS.w2AcksPerSec : null,
    ...(best
      ? { ratio: ratioCheck(results, best.okPerSec, TARGETS.w2AcksPerSec, best.connections) }
      : {}),
  });
  const twoWorkers =
    results.queue.status === 'measured'
      ? results.queue.runs.find((run) => run.workers === 2)
      : undefined;
  const w3 = twoWorkers?.w3;
  checks.push({
    name: 'W3 actions, queue mode, 2 workers',
    target: `≥ ${n(TARGETS.w3QueueExecPerSecTwoWorkers)} exec/s`,
    measured:
      w3?.status === 'measured'
        ? `${n(w3.value.execPerSec)} exec/s` +
          (w3.value.complete ? '' : ' (incomplete)') +
          (isIntakeBound(w3.value) ? ' (intake-bound)' : '')
        : w3
          ? w3.reason
          : results.queue.status === 'measured'
            ? 'not measured'
            : `queue mode ${results.queue.status}`,
    pass:
      w3?.status === 'measured' ? w3.value.execPerSec >= TARGETS.w3QueueExecPerSecTwoWorkers : null,
    // W3 posts at c=16 (see measureActions): its share of the bare baseline at c=16.
    ...(w3?.status === 'measured'
      ? {
          ratio: ratioCheck(results, w3.value.execPerSec, TARGETS.w3QueueExecPerSecTwoWorkers, 16),
        }
      : {}),
  });
  const rss = loadRss(results).sort((a, b) => b.mib - a.mib)[0];
  checks.push({
    name: 'Peak RSS per Hookflow process under load',
    target: `≤ ${TARGETS.rssMiBPerProcess} MiB`,
    measured: rss ? `${rss.mib} MiB max (${rss.name})` : 'not measured',
    pass: rss ? rss.mib <= TARGETS.rssMiBPerProcess : null,
  });
  const big = results.embedded.bigPayload;
  checks.push({
    name: `${(results.settings.bigPayloadBytes / 1_048_576).toFixed(0)} MiB payload, peak extra memory`,
    target: `≤ ${TARGETS.bigPayloadExtraRatio}x payload`,
    measured:
      big.status === 'measured'
        ? `${big.value.extraRatio}x (${big.value.extraMiB} MiB extra RSS, via ${big.value.via})`
        : big.reason,
    pass:
      big.status === 'measured'
        ? big.value.extraRatio <= TARGETS.bigPayloadExtraRatio && big.value.finalStatus !== 'failed'
        : null,
  });
  return checks;
}

/** The runs kept pace with wrk: exec/s then measures the intake, not the runner. */
export function isIntakeBound(value: ActionsResult): boolean {
  return value.backlogAtPostEnd <= Math.max(32, value.accepted * 0.02);
}
