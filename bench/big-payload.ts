/**
 * `node -r @swc-node/register bench/big-payload.ts [--count N] [--mib M] [--respond immediately]
 * [--dist] [--write]`: how much memory a big webhook payload costs. Starts the embedded server (from source,
 * or dist/ with --dist) as a child on a temp SQLite file, imports W1 (webhook -> transform ->
 * filter -> respond), posts N JSON payloads of M MiB one after the other, and reports the peak RSS
 * above the idle baseline as a multiple of the payload size. Bounded: every wait has a limit and
 * the child is killed at the end, also on failure and on SIGINT/SIGTERM. `--write` puts the
 * figures in the "Big payload memory" section of docs/BENCHMARKS.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderBigPayloadSection, writeBigPayloadSection } from './lib/big-payload-report';
import { killAllChildrenNow, stopAllChildren } from './lib/children';
import { bigPayload, type Respond } from './lib/flows';
import { HookflowApi, sleep, startHookflow } from './lib/hookflow';
import { mib, PeakMemory } from './lib/memory';
import { preparePaymentFlow } from './lib/workloads';

const HARD_LIMIT_MS = 5 * 60_000;

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

const count = Math.max(1, Number(option('count', '3')));
const payloadMiB = Math.max(1, Number(option('mib', '10')));
const respond: Respond = option('respond', 'when-finished') as Respond;
const fromDist = process.argv.includes('--dist');
/** Diagnosis: the child logs every garbage collection (`--trace-gc`), printed at the end. */
const traceGc = process.argv.includes('--trace-gc');
const write = process.argv.includes('--write');

interface Delivery {
  status: number;
  ms: number;
  finalStatus: string;
  peakExtraMiB: number;
}

/** Finished runs of the flow. Counted from the list, which leaves out the run state: polling
 * GET /api/executions/:id would load the big body every 50 ms and measure that instead. */
async function finishedRuns(api: HookflowApi, flowId: string) {
  const [succeeded, failed] = await Promise.all([
    api.count('succeeded', flowId),
    api.count('failed', flowId),
  ]);
  return { succeeded, failed };
}

async function waitFinished(api: HookflowApi, flowId: string, before: number): Promise<string> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const runs = await finishedRuns(api, flowId);
    if (runs.succeeded + runs.failed > before) {
      return runs.failed > 0 ? 'failed' : 'succeeded';
    }
    await sleep(50);
  }
  return 'not finished in 60 s';
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'hookflow-big-payload-'));
  const memory = new PeakMemory();
  const watchdog = setTimeout(() => {
    process.stderr.write('big-payload: the 5-minute limit is reached, stopping\n');
    killAllChildrenNow();
    process.exit(1);
  }, HARD_LIMIT_MS);
  watchdog.unref();
  const startedAt = new Date().toISOString();
  try {
    const body = bigPayload(payloadMiB * 1_048_576);
    const proc = await startHookflow({
      name: 'embedded big-payload',
      ...(fromDist ? {} : { script: 'src/main.ts' }),
      nodeArgs: [
        ...(fromDist ? [] : ['-r', '@swc-node/register']),
        ...(traceGc ? ['--trace-gc'] : []),
      ],
      env: {
        HOOKFLOW_SQLITE_PATH: join(tmp, 'big.db'),
        HOOKFLOW_MAX_BODY_BYTES: String(Math.max(body.length * 2, 16 * 1_048_576)),
      },
    });
    memory.track(proc.name, proc.pid);
    const api = new HookflowApi(proc.url);
    const prepared = await preparePaymentFlow(api, respond);
    if (!prepared.ok) throw new Error(prepared.reason);
    await sleep(1500); // let the import and the first run settle
    memory.beginPhase();
    const baselineKiB = memory.currentRssKiB(proc.name);
    const deliveries: Delivery[] = [];
    for (let index = 0; index < count; index += 1) {
      const runs = await finishedRuns(api, prepared.flowId);
      const started = Date.now();
      const answer = await fetch(prepared.hookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const text = await answer.text();
      let finalStatus = answer.status === 200 ? 'answered' : `answered ${answer.status}`;
      if (respond === 'immediately' && answer.status === 202 && text.includes('executionId')) {
        finalStatus = await waitFinished(api, prepared.flowId, runs.succeeded + runs.failed);
      }
      const ms = Date.now() - started;
      await sleep(300);
      const peak = memory.phasePeaks()[proc.name] ?? 0;
      deliveries.push({
        status: answer.status,
        ms,
        finalStatus,
        peakExtraMiB: Math.round((peak - mib(baselineKiB)) * 10) / 10,
      });
    }
    const peakMiB = memory.phasePeaks()[proc.name] ?? 0;
    const extraMiB = Math.round((peakMiB - mib(baselineKiB)) * 10) / 10;
    const ratio = Math.round(((extraMiB * 1_048_576) / body.length) * 100) / 100;
    const lines = [
      `payload: ${(body.length / 1_048_576).toFixed(1)} MiB JSON x ${count}, respond ${respond}, ` +
        `${fromDist ? 'dist/' : 'source (swc-node)'}, node ${process.version}`,
      ...deliveries.map(
        (delivery, index) =>
          `  #${index + 1}: ${delivery.status} ${delivery.finalStatus} in ${delivery.ms} ms; ` +
          `peak so far +${delivery.peakExtraMiB} MiB`,
      ),
      `idle baseline ${mib(baselineKiB)} MiB, peak ${peakMiB} MiB: +${extraMiB} MiB = ${ratio}x payload`,
    ];
    if (traceGc) process.stdout.write(`${proc.output()}\n`);
    process.stdout.write(`${lines.join('\n')}\n`);
    memory.untrack(proc.name);
    await proc.stop();
    const failed = deliveries.some(
      (delivery) => !/^(answered|succeeded)$/.test(delivery.finalStatus),
    );
    if (failed) process.exitCode = 1;
    if (write && !failed) {
      const section = renderBigPayloadSection({
        startedAt,
        payloadMiB: body.length / 1_048_576,
        count,
        respond,
        server: fromDist ? '`dist/src/main.js`' : '`src/main.ts` via swc-node',
        baselineMiB: mib(baselineKiB),
        peakMiB,
        extraMiB,
        ratio,
        deliveries,
      });
      process.stdout.write(`wrote ${await writeBigPayloadSection(section)}\n`);
    }
  } finally {
    memory.stop();
    await stopAllChildren();
    rmSync(tmp, { recursive: true, force: true });
  }
}

process.on('SIGINT', () => void stopAllChildren().finally(() => process.exit(130)));
process.on('SIGTERM', () => void stopAllChildren().finally(() => process.exit(130)));
main().catch((error: unknown) => {
  process.stderr.write(`big-payload failed: ${error instanceof Error ? error.message : error}\n`);
  killAllChildrenNow();
  process.exit(1);
});
