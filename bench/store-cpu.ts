/**
 * `npm run bench:store-cpu -- [--executions 4000] [--batch 8] [--lanes 2]`: the PostgreSQL writes
 * of W3's executions without HTTP, Redis or a worker around them, to compare store changes by CPU
 * time per execution (this process and the database's backends) with little noise. Each lane does,
 * `batch` runs at a time, in one turn each: the intake's accept (delivery + pending execution), the
 * worker's claim, the checkpoint before the HTTP node (trigger and transform steps), the final
 * record (HTTP step). The engine runs the real W3 flow; the HTTP node gets a canned answer.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import {
  advanceRun,
  compileFlow,
  nextStepHasSideEffects,
  startRun,
  type CompiledFlow,
  type JsonValue,
  type RunState,
} from '@hookflow/engine';
import { nodeRegistry } from '@hookflow/nodes';
import { Database, ExecutionsRepository, type StepWrite } from '@hookflow/store';
import { actionFlow, PAYMENT_BODY } from './lib/flows';
import { createDatabase, dropDatabase } from './lib/queue-mode';

const CLOCK_TICKS = 100;

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

function backendsCpu(database: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (!cmdline.startsWith('postgres: ') || !cmdline.includes(` ${database} `)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(rest[11]) + Number(rest[12])) / CLOCK_TICKS;
    } catch {
      // gone
    }
  }
  return total;
}

const http = {
  request: async () => ({
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: '{"ok":true}',
  }),
};

/** Runs the engine until the next step has side effects (or the end); returns the steps. */
async function advanceUntilSideEffect(
  flow: CompiledFlow,
  start: RunState,
  stopBeforeSideEffect: boolean,
): Promise<{ state: RunState; steps: StepWrite[] }> {
  let state = start;
  const steps: StepWrite[] = [];
  const producedBy = new Map<JsonValue, number>();
  const services = { http, now: () => new Date() };
  let ran = false;
  while (!state.outcome) {
    if (ran && stopBeforeSideEffect && nextStepHasSideEffects(flow, state, new Date())) break;
    const result = await advanceRun(flow, state, services);
    ran = true;
    if (result.step) {
      const written: StepWrite = {
        record: result.step,
        inputFrom: producedBy.get(result.step.input),
      };
      const output = result.step.status === 'succeeded' ? result.step.output : undefined;
      if (typeof output === 'object' && output !== null) {
        written.outputFrom = producedBy.get(output);
        if (written.outputFrom === undefined) producedBy.set(output, result.step.seq);
      }
      steps.push(written);
    }
    state = result.state;
  }
  return { state, steps };
}

async function oneExecution(
  executions: ExecutionsRepository,
  flow: CompiledFlow,
  ids: { flowId: string; versionId: string; owner: string },
): Promise<void> {
  const id = randomUUID();
  const now = new Date();
  const body = JSON.parse(PAYMENT_BODY) as JsonValue;
  const headers = {
    host: '127.0.0.1:3000',
    'content-type': 'application/json',
    'content-length': '80',
  };
  const trigger = {
    method: 'POST',
    path: '/hooks/x',
    headers,
    query: {},
    body,
    receivedAt: now.toISOString(),
  };
  const state = startRun(flow, trigger, {
    id,
    flowId: ids.flowId,
    versionId: ids.versionId,
    attempt: 0,
  });
  await executions.beginAccept({
    delivery: {
      id: randomUUID(),
      hookId: 'hook',
      flowId: ids.flowId,
      receivedAt: now,
      method: 'POST',
      headers,
      query: {},
      contentType: 'application/json',
      sizeBytes: PAYMENT_BODY.length,
      body: PAYMENT_BODY,
      status: 202,
      reason: null,
      replayOf: null,
    },
    bodyJson: PAYMENT_BODY,
    execution: {
      id,
      flowId: ids.flowId,
      flowVersionId: ids.versionId,
      status: 'pending',
      state,
      error: null,
      attempt: 0,
      createdAt: now,
      startedAt: null,
      finishedAt: null,
    },
  }).committed;
  const claimed = await executions.claimAtOnce({
    id,
    owner: ids.owner,
    leaseMs: 30_000,
    now: new Date(),
  });
  if (!claimed) throw new Error(`claim of ${id} failed`);
  const first = await advanceUntilSideEffect(flow, claimed.state, true);
  const leaseUntil = new Date(Date.now() + 30_000);
  const kept = await executions.checkpoint({
    executionId: id,
    owner: ids.owner,
    ...first,
    leaseUntil,
  });
  if (!kept) throw new Error(`checkpoint of ${id} refused`);
  const last = await advanceUntilSideEffect(flow, first.state, false);
  const done = await executions.checkpoint({
    executionId: id,
    owner: ids.owner,
    ...last,
    leaseUntil,
  });
  if (!done) throw new Error(`final record of ${id} refused`);
}

async function main(): Promise<void> {
  const total = Number(option('--executions', '4000'));
  const batch = Number(option('--batch', '8'));
  const lanes = Number(option('--lanes', '2'));
  const name = `hookflow_store_${Date.now().toString(36)}`;
  const url = await createDatabase(name);
  const database = await Database.open({ kind: 'postgres', url });
  try {
    const executions = new ExecutionsRepository(database);
    const document = actionFlow('http://127.0.0.1:9/sink');
    const compiled = compileFlow(document, nodeRegistry, { checkRegexes: false });
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    const ids = { flowId: randomUUID(), versionId: randomUUID(), owner: 'bench:1:abc' };
    const lane = async (count: number): Promise<void> => {
      for (let done = 0; done < count; done += batch) {
        await Promise.all(
          Array.from({ length: batch }, () => oneExecution(executions, compiled.flow, ids)),
        );
      }
    };
    await Promise.all(Array.from({ length: lanes }, () => lane(400)));
    const node0 = process.cpuUsage();
    const pg0 = backendsCpu(name);
    const started = Date.now();
    await Promise.all(Array.from({ length: lanes }, () => lane(Math.ceil(total / lanes))));
    const seconds = (Date.now() - started) / 1000;
    const node = process.cpuUsage(node0);
    const pg = backendsCpu(name) - pg0;
    const perExec = (value: number): string => value.toFixed(0).padStart(5);
    process.stdout.write(
      `${total} executions (${lanes} lanes × ${batch} a turn) in ${seconds.toFixed(1)} s: ` +
        `node ${perExec((node.user + node.system) / total)} µs/exec, ` +
        `postgres ${perExec((pg / total) * 1e6)} µs/exec\n`,
    );
  } finally {
    await database.close();
    await dropDatabase(name);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`store-cpu: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
