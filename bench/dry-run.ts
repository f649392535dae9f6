/**
 * `node -r @swc-node/register bench/dry-run.ts [--count N]`: how long a dry run (safe publish)
 * of N recorded W1 deliveries takes. Starts the embedded server from source as a child on a temp
 * SQLite file, imports W1 (webhook -> transform -> filter -> respond), posts N varied payments
 * one after the other (each answered when its run has finished), saves a draft with a tighter
 * filter, then times POST /api/flows/:id/dry-runs until the dry run is finished. Prints the
 * figure (`--write`: also into the "Dry run" section of docs/BENCHMARKS.md); asserts nothing
 * about time. Bounded: every wait has a limit, the child is always
 * stopped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { killAllChildrenNow, stopAllChildren } from './lib/children';
import { writeDryRunSection } from './lib/dry-run-report';
import { paymentFlow } from './lib/flows';
import { API_KEY, HookflowApi, sleep, startHookflow } from './lib/hookflow';

const HARD_LIMIT_MS = 5 * 60_000;
const index = process.argv.indexOf('--count');
const write = process.argv.includes('--write');
const count = Math.min(1000, Math.max(1, Number(index >= 0 ? process.argv[index + 1] : 200)));

async function call(url: string, method: string, body?: unknown): Promise<unknown> {
  const answer = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${API_KEY}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await answer.text();
  if (answer.status >= 300) throw new Error(`${method} ${url} answered ${answer.status}: ${text}`);
  return JSON.parse(text) as unknown;
}

interface DryRunView {
  status: string;
  progress: { done: number; total: number };
  summary: { unchanged: number; changed: number; failed: number };
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'hookflow-dry-run-'));
  const watchdog = setTimeout(() => {
    process.stderr.write('dry-run bench: the 5-minute limit is reached, stopping\n');
    killAllChildrenNow();
    process.exit(1);
  }, HARD_LIMIT_MS);
  watchdog.unref();
  try {
    const proc = await startHookflow({
      name: 'embedded dry-run',
      script: 'src/main.ts',
      nodeArgs: ['-r', '@swc-node/register'],
      env: { HOOKFLOW_SQLITE_PATH: join(tmp, 'dry-run.db') },
    });
    const api = new HookflowApi(proc.url);
    const imported = await api.importFlow(paymentFlow('when-finished'));
    if (!imported.ok) throw new Error(`import answered ${imported.status}: ${imported.body}`);
    for (let delivery = 0; delivery < count; delivery += 1) {
      const answer = await fetch(imported.hookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          event: 'payment.succeeded',
          amount: (delivery * 37) % 5000,
          customer_id: `cus_${delivery % 13}`,
        }),
      });
      await answer.text();
    }
    const draft = paymentFlow('when-finished');
    draft.nodes[2].params = { condition: 'cents > 2000' };
    await call(`${proc.url}/api/flows/${imported.flowId}`, 'PUT', { ...draft, draft: true });

    const started = performance.now();
    const { id } = (await call(`${proc.url}/api/flows/${imported.flowId}/dry-runs`, 'POST', {
      last: count,
    })) as { id: string };
    let view: DryRunView;
    for (;;) {
      view = (await call(
        `${proc.url}/api/flows/${imported.flowId}/dry-runs/${id}?limit=1`,
        'GET',
      )) as DryRunView;
      if (view.status !== 'running') break;
      await sleep(20);
    }
    const ms = performance.now() - started;
    process.stdout.write(
      `dry run of ${view.progress.total} W1 deliveries: ${ms.toFixed(0)} ms ` +
        `(${view.status}; ${view.summary.unchanged} unchanged, ${view.summary.changed} changed, ` +
        `${view.summary.failed} failed)\n`,
    );
    if (write) {
      const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
      const path = await writeDryRunSection({
        measuredAt: new Date().toISOString(),
        commit: commit.trim(),
        deliveries: view.progress.total,
        ms: Math.round(ms),
        ...view.summary,
      });
      process.stdout.write(`wrote ${path}\n`);
    }
  } finally {
    await stopAllChildren();
    rmSync(tmp, { recursive: true, force: true });
  }
}

process.on('SIGINT', () => void stopAllChildren().finally(() => process.exit(130)));
process.on('SIGTERM', () => void stopAllChildren().finally(() => process.exit(130)));
main().catch((error: unknown) => {
  process.stderr.write(`dry-run bench failed: ${error instanceof Error ? error.message : error}\n`);
  killAllChildrenNow();
  process.exit(1);
});
