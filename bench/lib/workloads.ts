import { cpus } from 'node:os';
import {
  actionFlow,
  bigPayload,
  EXPECTED_W1_ANSWER,
  PAYMENT_BODY,
  paymentFlow,
  type Respond,
} from './flows';
import { HookflowApi, sleep } from './hookflow';
import type { PeakMemory } from './memory';
import { mib, readCpuSeconds, readMachineCpu } from './memory';
import type {
  ActionsResult,
  BigPayloadResult,
  DrainResult,
  IntakeResult,
  LoadPoint,
  Outcome,
  SyncResult,
} from './types';
import { runWrk } from './wrk';

export interface LoadSettings {
  connections: number[];
  warmupS: number;
  durationS: number;
  /** The small payment delivery, as a file for wrk's Lua script. */
  bodyFile: string;
  /** Bare baseline req/s by concurrency, for the ratio column. */
  bare: Map<number, number>;
  log: (line: string) => void;
}

const ratio = (value: number, base: number | undefined): number | null =>
  base ? Math.round((value / base) * 1000) / 1000 : null;

export interface LoadOptions {
  url: string;
  label: string;
  connections?: number[];
  /** What the rate column counts: every answer, or only those with status < 400 (acks). */
  rate?: 'requests' | 'ok';
  /** The server under load: its CPU use during each measured run is recorded. */
  serverPid?: number;
}

export async function loadPoints(
  settings: LoadSettings,
  options: LoadOptions,
): Promise<LoadPoint[]> {
  const rate = options.rate ?? 'requests';
  const points: LoadPoint[] = [];
  for (const c of options.connections ?? settings.connections) {
    const wrk = { url: options.url, connections: c, bodyFile: settings.bodyFile };
    await runWrk({ ...wrk, durationS: settings.warmupS });
    const cpuBefore = options.serverPid ? readCpuSeconds(options.serverPid) : undefined;
    const machineBefore = readMachineCpu();
    const run = await runWrk({ ...wrk, durationS: settings.durationS });
    const cpuAfter = options.serverPid ? readCpuSeconds(options.serverPid) : undefined;
    const machineAfter = readMachineCpu();
    const serverCpuPercent =
      cpuBefore !== undefined && cpuAfter !== undefined
        ? Math.round(((cpuAfter - cpuBefore) / run.durationS) * 100)
        : null;
    const machineBusyCores =
      machineBefore && machineAfter && machineAfter.total > machineBefore.total
        ? Math.round(
            ((machineAfter.busy - machineBefore.busy) /
              (machineAfter.total - machineBefore.total)) *
              cpus().length *
              100,
          ) / 100
        : null;
    const value = rate === 'ok' ? run.okPerSec : run.requestsPerSec;
    const ratioToBare = ratio(value, settings.bare.get(c));
    points.push({ ...run, ratioToBare, serverCpuPercent, machineBusyCores });
    settings.log(
      `  ${options.label} c=${c}: ${value.toLocaleString('en-US')} ${rate === 'ok' ? 'acks' : 'req'}/s, ` +
        `p50 ${run.latencyMs.p50} ms, p99 ${run.latencyMs.p99} ms, errors ${run.errors}, ` +
        `non-2xx ${run.non2xx}, server CPU ${serverCpuPercent ?? '?'} %, ` +
        `machine busy ${machineBusyCores ?? '?'} of ${cpus().length} cores`,
    );
  }
  return points;
}

async function post(url: string, body: string): Promise<{ status: number; text: string }> {
  const answer = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return { status: answer.status, text: await answer.text() };
}

export type PreparedFlow =
  | { ok: true; flowId: string; hookUrl: string }
  | { ok: false; status: 'pending' | 'failed'; reason: string };

/**
 * Imports W1 or W2 and checks one delivery by hand before any load. W1 needs `respond:
 * when-finished`: a 400 naming /nodes/0/params/respond means the trigger does not support it yet.
 */
export async function preparePaymentFlow(
  api: HookflowApi,
  respond: Respond,
): Promise<PreparedFlow> {
  const imported = await api.importFlow(paymentFlow(respond));
  if (!imported.ok) {
    if (imported.status === 400 && imported.body.includes('/nodes/0/params/respond')) {
      return { ok: false, status: 'pending', reason: `pending: ${respond} not implemented` };
    }
    const body = imported.body.slice(0, 300);
    return { ok: false, status: 'failed', reason: `import answered ${imported.status}: ${body}` };
  }
  const answer = await post(imported.hookUrl, PAYMENT_BODY);
  if (respond === 'when-finished') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.text);
    } catch {
      parsed = undefined;
    }
    const expected = JSON.stringify(EXPECTED_W1_ANSWER);
    if (answer.status !== 200 || JSON.stringify(parsed) !== expected) {
      const got = `${answer.status} ${answer.text.slice(0, 200)}`;
      return {
        ok: false,
        status: 'failed',
        reason: `W1 answered ${got}, expected 200 ${expected}`,
      };
    }
  } else if (answer.status !== 202 || !answer.text.includes('executionId')) {
    const got = `${answer.status} ${answer.text.slice(0, 200)}`;
    return {
      ok: false,
      status: 'failed',
      reason: `W2 answered ${got}, expected 202 {executionId}`,
    };
  }
  return imported;
}

export async function measureSync(
  api: HookflowApi,
  settings: LoadSettings,
  options: { label: string; connections?: number[]; serverPid?: number },
): Promise<SyncResult> {
  const prepared = await preparePaymentFlow(api, 'when-finished');
  if (!prepared.ok) {
    settings.log(`  ${options.label}: ${prepared.reason}`);
    return { status: prepared.status, reason: prepared.reason };
  }
  const points = await loadPoints(settings, { ...options, url: prepared.hookUrl });
  const failure = await api.firstFailure(prepared.flowId);
  if (failure.count > 0) {
    settings.log(`  ${options.label}: ${failure.count} runs failed, e.g. ${failure.error ?? '?'}`);
  }
  return { status: 'measured', points, failedRuns: failure.count, firstError: failure.error };
}

/** Executions completed per second until the backlog (pending + running) is empty, bounded. */
export async function measureDrain(
  api: HookflowApi,
  flowId: string,
  boundS: number,
): Promise<DrainResult> {
  const started = Date.now();
  const backlogAtStart = await api.backlog(flowId);
  let backlog = backlogAtStart;
  let observedAt = started;
  while (backlog > 0 && Date.now() - started < boundS * 1000) {
    await sleep(250);
    backlog = await api.backlog(flowId);
    observedAt = Date.now();
  }
  const seconds = Math.max((backlog === 0 ? observedAt : Date.now()) - started, 1) / 1000;
  const drained = backlogAtStart - backlog;
  return {
    backlogAtStart,
    drained,
    seconds: Math.round(seconds * 10) / 10,
    perSec: Math.round(drained / seconds),
    emptied: backlog === 0,
    backlogLeft: backlog,
    failed: await api.count('failed', flowId),
  };
}

/** W2: acknowledged deliveries per second at each concurrency, then the drain rate. */
export async function measureIntake(
  api: HookflowApi,
  settings: LoadSettings,
  options: { label: string; connections?: number[]; serverPid?: number; drainBoundS: number },
): Promise<IntakeResult | { status: 'failed'; reason: string }> {
  const { label } = options;
  const prepared = await preparePaymentFlow(api, 'immediately');
  if (!prepared.ok) return { status: 'failed', reason: prepared.reason };
  const points = await loadPoints(settings, { ...options, url: prepared.hookUrl, rate: 'ok' });
  if (options.drainBoundS <= 0) return { points, drain: null };
  const drain = await measureDrain(api, prepared.flowId, options.drainBoundS);
  settings.log(
    `  ${label} drain: ${drain.drained.toLocaleString('en-US')} of ` +
      `${drain.backlogAtStart.toLocaleString('en-US')} in ${drain.seconds} s = ` +
      `${drain.perSec.toLocaleString('en-US')} exec/s` +
      (drain.emptied ? ' (backlog empty)' : ` (bound reached, ${drain.backlogLeft} left)`),
  );
  return { points, drain };
}

async function sinkCount(sinkUrl: string): Promise<number> {
  const answer = await fetch(`${sinkUrl}/count`);
  return ((await answer.json()) as { received: number }).received;
}

/** One delivery by hand: the flow must reach the sink before anything is measured. */
async function firstActionSucceeds(
  api: HookflowApi,
  flowId: string,
  hookUrl: string,
): Promise<string | undefined> {
  const first = await post(hookUrl, PAYMENT_BODY);
  if (first.status !== 202) return `W3 answered ${first.status}: ${first.text.slice(0, 200)}`;
  const deadline = Date.now() + 15_000;
  while ((await api.count('succeeded', flowId)) < 1) {
    const failure = await api.firstFailure(flowId);
    if (failure.count > 0) return `the first W3 execution failed: ${failure.error ?? '?'}`;
    if (Date.now() > deadline) return 'the first W3 execution did not succeed within 15 s';
    await sleep(100);
  }
  return undefined;
}

/** Polls until every run of the flow finished (none pending or running, all counted), bounded. */
async function waitForRuns(
  api: HookflowApi,
  options: { flowId: string; expected: number; alreadySucceeded: number; deadline: number },
): Promise<{ succeeded: number; failed: number; finishedAt: number; complete: boolean }> {
  const { flowId } = options;
  let last = { succeeded: 0, failed: 0, finishedAt: Date.now(), complete: false };
  while (Date.now() < options.deadline) {
    const [ok, bad, backlog] = await Promise.all([
      api.count('succeeded', flowId),
      api.count('failed', flowId),
      api.backlog(flowId),
    ]);
    const succeeded = ok - options.alreadySucceeded;
    const complete = backlog === 0 && succeeded + bad >= options.expected;
    last = { succeeded, failed: bad, finishedAt: Date.now(), complete };
    if (complete) break;
    await sleep(100);
  }
  return last;
}

/**
 * W3: post `deliveries` with wrk (c=16), then wait until every execution of the flow finished.
 * Executions per second end to end: from the first POST to the last execution done.
 */
export async function measureActions(
  api: HookflowApi,
  options: {
    sinkUrl: string;
    bodyFile: string;
    deliveries: number;
    boundS: number;
    log: (line: string) => void;
    label: string;
  },
): Promise<Outcome<ActionsResult>> {
  const imported = await api.importFlow(actionFlow(options.sinkUrl));
  if (!imported.ok) {
    return { status: 'failed', reason: `import answered ${imported.status}: ${imported.body}` };
  }
  const notReady = await firstActionSucceeds(api, imported.flowId, imported.hookUrl);
  if (notReady) return { status: 'failed', reason: notReady };
  const sinkBefore = await sinkCount(options.sinkUrl);
  const started = Date.now();
  const run = await runWrk({
    url: imported.hookUrl,
    connections: 16,
    durationS: Math.max(5, Math.floor(options.boundS / 2)),
    bodyFile: options.bodyFile,
    maxRequests: options.deliveries,
  });
  const postSeconds = (Date.now() - started) / 1000;
  const accepted = run.requests - run.non2xx;
  // Near zero: the runs kept pace with the posting, so the figure is the intake's, not the runner's.
  const backlogAtPostEnd = await api.backlog(imported.flowId);
  const { succeeded, failed, finishedAt, complete } = await waitForRuns(api, {
    flowId: imported.flowId,
    expected: accepted,
    // The by-hand delivery before wrk succeeded too.
    alreadySucceeded: 1,
    deadline: started + options.boundS * 1000,
  });
  const seconds = (finishedAt - started) / 1000;
  const result: ActionsResult = {
    accepted,
    postSeconds: Math.round(postSeconds * 10) / 10,
    backlogAtPostEnd,
    succeeded,
    failed,
    sinkReceived: (await sinkCount(options.sinkUrl)) - sinkBefore,
    seconds: Math.round(seconds * 10) / 10,
    execPerSec: Math.round(succeeded / seconds),
    complete,
  };
  options.log(
    `  ${options.label}: ${succeeded.toLocaleString('en-US')} executions in ${result.seconds} s = ` +
      `${result.execPerSec.toLocaleString('en-US')} exec/s` +
      ` (posted in ${result.postSeconds} s, backlog then ${backlogAtPostEnd}, failed ${failed}, ` +
      `sink got ${result.sinkReceived})` +
      (complete ? '' : ' — bound reached before all finished'),
  );
  return { status: 'measured', value: result };
}

/** One big JSON delivery: time to accept, time to finish, and the process's peak extra RSS. */
export async function measureBigPayload(
  api: HookflowApi,
  options: {
    via: 'W1' | 'W2';
    bytes: number;
    memory: PeakMemory;
    processName: string;
    boundS: number;
  },
): Promise<Outcome<BigPayloadResult>> {
  const prepared = await preparePaymentFlow(
    api,
    options.via === 'W1' ? 'when-finished' : 'immediately',
  );
  if (!prepared.ok) return { status: 'failed', reason: prepared.reason };
  const body = bigPayload(options.bytes);
  await sleep(1000); // let the import settle
  options.memory.beginPhase();
  const rssBeforeKiB = options.memory.currentRssKiB(options.processName);
  const started = Date.now();
  const answer = await post(prepared.hookUrl, body);
  const acceptMs = Date.now() - started;
  let finishMs: number | null = options.via === 'W1' ? acceptMs : null;
  let finalStatus = answer.status === 200 ? 'answered' : `answered ${answer.status}`;
  if (options.via === 'W2' && answer.status === 202) {
    const { executionId } = JSON.parse(answer.text) as { executionId: string };
    finalStatus = 'pending';
    while (Date.now() - started < options.boundS * 1000) {
      finalStatus = (await api.executionStatus(executionId)) ?? 'unknown';
      if (finalStatus === 'succeeded' || finalStatus === 'failed') {
        finishMs = Date.now() - started;
        break;
      }
      await sleep(50);
    }
  }
  await sleep(300);
  const peakRssMiB = options.memory.phasePeaks()[options.processName] ?? 0;
  const rssBeforeMiB = mib(rssBeforeKiB);
  const extraMiB = Math.round((peakRssMiB - rssBeforeMiB) * 10) / 10;
  const value: BigPayloadResult = {
    via: options.via,
    bytes: body.length,
    acceptStatus: answer.status,
    acceptMs,
    finishMs,
    finalStatus,
    rssBeforeMiB,
    peakRssMiB,
    extraMiB,
    extraRatio: Math.round(((extraMiB * 1024 * 1024) / body.length) * 100) / 100,
  };
  return { status: 'measured', value };
}
