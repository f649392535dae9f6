import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import {
  advanceRun,
  nextStepHasSideEffects,
  type CompiledFlow,
  type JsonValue,
  type OutboundHttp,
  type OutboundMail,
  type RunState,
} from '@hookflow/engine';
import {
  HOOKFLOW_CONFIG,
  HookflowMetrics,
  LOGGER,
  executionJobId,
  type HookflowConfig,
} from '@hookflow/common';
import {
  CredentialsService,
  ExecutionsRepository,
  UNFINISHED_STATUSES,
  type ExecutionEntity,
  type StepWrite,
} from '@hookflow/store';
import { CompiledFlows, FlowVersionInvalid } from './compiled-flows';
import { ErrorFlows } from './error-flows';
import { ExecutionEvents } from './execution-events';

export const OUTBOUND_HTTP = Symbol('OUTBOUND_HTTP');
export const OUTBOUND_MAIL = Symbol('OUTBOUND_MAIL');

/** What happened to one pick-up of an execution; the queue adapter acts on it. */
export type RunReport =
  /** `spawned`: executions this run started (its error flow's run), to be enqueued. */
  | { kind: 'finished'; spawned?: string[] }
  /** Nothing to do: finished, cancelled, or taken over by another runner. */
  | { kind: 'gone' }
  /** Come back later with a new job: suspended (delay, retry), not due, leased, flow busy. */
  | { kind: 'later'; delayMs: number; jobId: string; reason: string }
  /** Stopped at a checkpoint by shutdown; any runner may resume it. */
  | { kind: 'interrupted'; jobId: string };

/** Only flows whose trigger answers when finished have a caller waiting for the outcome. */
function isAwaited(flow: CompiledFlow): boolean {
  return flow.nodes.get(flow.triggerId)?.params.respond === 'when-finished';
}

const respondNodes = new WeakMap<CompiledFlow, boolean>();

/** Whether a flow version has a respond node (asked once per version, not once per run). */
export function hasRespondNode(flow: CompiledFlow): boolean {
  let has = respondNodes.get(flow);
  if (has === undefined) {
    has = [...flow.nodes.values()].some((node) => node.nodeType.type === 'respond');
    respondNodes.set(flow, has);
  }
  return has;
}

/**
 * Runs handed over in memory and not started yet (a backlog behind the intake), at most (and no
 * more than HOOKFLOW_BACKLOG_IN_MEMORY): beyond it, accepted runs wait on disk only and are read
 * when their turn comes. Small bodies only are handed over, so this bounds the memory a burst can
 * hold (~2 KiB each).
 */
export const ADOPTED_MAX = 5_000;

/** How soon a run whose flow version could not be read (a database error) is tried again. */
export const TRANSIENT_RETRY_MS = 1_000;

/** A flow version as the runner loads it: the flow, gone for good, or not readable right now. */
type LoadedFlow =
  | { kind: 'flow'; flow: CompiledFlow }
  | { kind: 'unavailable'; message: string }
  | { kind: 'transient' };

export function flowConcurrency(flow: CompiledFlow): number | undefined {
  const limit = flow.document.settings?.maxConcurrency;
  return typeof limit === 'number' && Number.isInteger(limit) && limit > 0 ? limit : undefined;
}

/**
 * Takes an execution id, leases the execution, and advances it node by node. Pure nodes run
 * without a write in between; the state is checkpointed before every node with side effects,
 * when the run suspends and when it ends (the steps since the last checkpoint go with it). Any
 * runner in any process can continue any execution; what ran after the last checkpoint when a
 * process died runs again (outbound calls carry the same idempotency key).
 */
@Injectable()
export class ExecutionRunner {
  /** Identifies this process in leases: `host:pid:random`. */
  readonly owner = `${hostname().slice(0, 40)}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private stopping = false;
  private readonly abort = new AbortController();
  /** Executions accepted with this runner's lease, handed over without a read (embedded). */
  private readonly adopted = new Map<string, { flow: CompiledFlow; execution: ExecutionEntity }>();

  constructor(
    @Inject(ExecutionsRepository) private readonly executions: ExecutionsRepository,
    @Inject(CompiledFlows) private readonly flows: CompiledFlows,
    @Inject(OUTBOUND_HTTP) private readonly http: OutboundHttp,
    @Inject(OUTBOUND_MAIL) private readonly mail: OutboundMail,
    @Inject(ExecutionEvents) private readonly events: ExecutionEvents,
    @Inject(CredentialsService) private readonly credentials: CredentialsService,
    @Inject(ErrorFlows) private readonly errorFlows: ErrorFlows,
    @Inject(HOOKFLOW_CONFIG) private readonly config: HookflowConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(HookflowMetrics) private readonly metrics: HookflowMetrics,
  ) {
    // Every run in flight listens on the one shutdown signal: as many as the concurrency allows.
    setMaxListeners(0, this.abort.signal);
  }

  /**
   * Hands over an execution the intake just committed with this runner's lease (`owner`): its
   * next `run` starts at once from this state, without reading it back or claiming it.
   */
  adopt(flow: CompiledFlow, execution: ExecutionEntity): void {
    this.adopted.set(execution.id, { flow, execution });
  }

  /** Whether another run may be handed over in memory (see ADOPTED_MAX). */
  canAdopt(): boolean {
    return this.adopted.size < Math.min(ADOPTED_MAX, this.config.backlogInMemory);
  }

  /**
   * `leased`: the intake committed this run with this runner's lease but did not hand it over in
   * memory (a long backlog, a big body): its row is read, without a claim.
   */
  async run(executionId: string, given: { leased?: boolean } = {}): Promise<RunReport> {
    const adopted = this.adopted.get(executionId);
    this.adopted.delete(executionId);
    if (this.stopping) {
      const ours = adopted !== undefined || given.leased === true;
      if (ours) await this.executions.release(executionId, this.owner);
      return {
        kind: 'interrupted',
        jobId: executionJobId(executionId, { kind: 'interrupted', at: Date.now() }),
      };
    }
    if (adopted) {
      return this.leased(executionId, () => this.advance(adopted.flow, adopted.execution));
    }
    if (given.leased) {
      const report = await this.runLeasedUnread(executionId);
      if (report) return report;
    }
    const now = new Date();
    const lease = { id: executionId, owner: this.owner, leaseMs: this.config.leaseMs, now };
    // One statement takes it in the usual case; the claim below tells why not otherwise.
    const taken = await this.executions.claimAtOnce(lease);
    if (taken) {
      const loaded = await this.flowOf(taken.flowVersionId, executionId);
      if (loaded.kind === 'flow' && flowConcurrency(loaded.flow) === undefined) {
        return this.leased(executionId, () => this.advance(loaded.flow, taken));
      }
      // Its flow limits concurrent runs, is gone or unreadable: give it back, go the careful way.
      await this.executions.unclaim(executionId, this.owner, taken.previous);
      if (loaded.kind === 'transient') return this.retryLater(executionId);
    }
    const versionId = taken?.flowVersionId ?? (await this.executions.versionOf(executionId));
    if (!versionId) return { kind: 'gone' };
    const loaded = await this.flowOf(versionId, executionId);
    if (loaded.kind === 'transient') return this.retryLater(executionId);
    if (loaded.kind === 'unavailable') {
      const failed = await this.executions.fail(
        executionId,
        { owner: this.owner, now: new Date() },
        { code: 'flow_version_unavailable', message: loaded.message },
      );
      // Not failed: it had finished, or another runner holds it and decides.
      return failed ? { kind: 'finished' } : { kind: 'gone' };
    }
    const flow = loaded.flow;
    const claim = await this.executions.claim({ ...lease, flowConcurrency: flowConcurrency(flow) });
    if (claim.kind === 'gone') return claim;
    if (claim.kind === 'later') {
      const jobId = executionJobId(executionId, {
        kind: 'later',
        reason: claim.reason,
        at: Date.now(),
      });
      if (!(await this.executions.setJob(executionId, jobId))) return { kind: 'gone' };
      return { kind: 'later', delayMs: claim.delayMs, jobId, reason: claim.reason };
    }
    return this.leased(executionId, () => this.advance(flow, claim.execution));
  }

  /**
   * A run this runner holds the lease of, read from its row. Undefined when it cannot be run this
   * way (gone, finished, its flow unreadable or limited): the lease is given back and `run`
   * takes the careful way, which knows what to do in each case.
   */
  private async runLeasedUnread(executionId: string): Promise<RunReport | undefined> {
    const execution = await this.executions.getForRun(executionId);
    if (!execution) return { kind: 'gone' };
    const ours =
      execution.leaseOwner === this.owner && UNFINISHED_STATUSES.includes(execution.status);
    if (ours && execution.status !== 'waiting') {
      const loaded = await this.flowOf(execution.flowVersionId, executionId);
      if (loaded.kind === 'flow' && flowConcurrency(loaded.flow) === undefined) {
        return this.leased(executionId, () => this.advance(loaded.flow, execution));
      }
    }
    if (execution.leaseOwner === this.owner) await this.executions.release(executionId, this.owner);
    return undefined;
  }

  /**
   * Loads the flow version. A version that is missing or does not compile is gone for good; any
   * other error (the database unreachable, a timeout) says nothing about the run: retry it.
   */
  private async flowOf(versionId: string, executionId: string): Promise<LoadedFlow> {
    try {
      const flow = await this.flows.load(versionId);
      return flow
        ? { kind: 'flow', flow }
        : { kind: 'unavailable', message: `flow version ${versionId} is missing` };
    } catch (error) {
      if (error instanceof FlowVersionInvalid) {
        this.logger.error({ err: error, executionId }, 'flow version does not compile');
        return { kind: 'unavailable', message: error.message };
      }
      this.logger.warn({ err: error, executionId }, 'could not load the flow version; will retry');
      return { kind: 'transient' };
    }
  }

  /** A transient failure before the run started: the run is untouched, a later job tries again. */
  private async retryLater(executionId: string): Promise<RunReport> {
    const jobId = executionJobId(executionId, {
      kind: 'later',
      reason: 'transient',
      at: Date.now(),
    });
    // Best effort: if the database is still down the reconciler finds the run all the same.
    const recorded = await this.executions.setJob(executionId, jobId).catch(() => true);
    if (!recorded) return { kind: 'gone' };
    return { kind: 'later', delayMs: TRANSIENT_RETRY_MS, jobId, reason: 'transient' };
  }

  /** Runs `work` while renewing the lease on the execution. */
  private async leased(executionId: string, work: () => Promise<RunReport>): Promise<RunReport> {
    const renewal = setInterval(
      () => {
        const until = new Date(Date.now() + this.config.leaseMs);
        this.executions.renewLease(executionId, this.owner, until).catch((error: unknown) => {
          this.logger.warn({ err: error, executionId }, 'could not renew the lease');
        });
      },
      Math.max(Math.floor(this.config.leaseMs / 3), 50),
    );
    try {
      return await work();
    } finally {
      clearInterval(renewal);
    }
  }

  private async advance(flow: CompiledFlow, execution: ExecutionEntity): Promise<RunReport> {
    const executionId = execution.id;
    let state: RunState = execution.state;
    let lastOutput: JsonValue | undefined;
    const services = {
      http: this.http,
      mail: this.mail,
      credentials: this.credentials,
      now: () => new Date(),
      signal: this.abort.signal,
    };
    /** Steps run since the last write, and which step produced each output (by identity). */
    let steps: StepWrite[] = [];
    /** Node durations of those steps: counted once the steps are written (a duplicate is not). */
    let timings: number[] = [];
    const recorded = () => {
      steps.forEach((step, index) =>
        this.metrics.nodeRan(step.record.nodeType, step.record.status, timings[index]),
      );
      steps = [];
      timings = [];
    };
    /** The checkpoint: the state and the steps since the last one; false if the run was lost. */
    const save = async (): Promise<boolean> => {
      const kept = await this.executions.checkpoint({
        executionId,
        owner: this.owner,
        steps,
        state,
        leaseUntil: new Date(Date.now() + this.config.leaseMs),
      });
      if (kept) recorded();
      return kept;
    };
    const producedBy = new Map<JsonValue, number>();
    let unsaved = false;
    while (!state.outcome) {
      // Stop between nodes on shutdown: the last checkpoint is where the next runner resumes.
      if (this.stopping) return this.interrupt(executionId);
      if (unsaved && nextStepHasSideEffects(flow, state, new Date())) {
        if (!(await save())) return this.lost(executionId);
        unsaved = false;
      }
      const startedAt = performance.now();
      const result = await advanceRun(flow, state, services);
      // A call cut short by shutdown is not the node's failure: keep the last checkpoint.
      if (this.abort.signal.aborted) return this.interrupt(executionId);
      const step = result.step;
      if (step) {
        timings.push((performance.now() - startedAt) / 1000);
        const written: StepWrite = { record: step, inputFrom: producedBy.get(step.input) };
        if (step.status === 'succeeded') {
          lastOutput = step.output;
          if (typeof step.output === 'object' && step.output !== null) {
            written.outputFrom = producedBy.get(step.output);
            if (written.outputFrom === undefined) producedBy.set(step.output, step.seq);
          }
        }
        steps.push(written);
      }
      unsaved = true;
      if (result.suspendedUntil !== undefined) {
        const until = new Date(result.suspendedUntil);
        const jobId = executionJobId(executionId, {
          kind: 'wake',
          seq: result.state.nextSeq,
          until: until.getTime(),
        });
        const parked = await this.executions.suspend({
          executionId,
          owner: this.owner,
          steps,
          state: result.state,
          until,
          jobId,
        });
        if (!parked) return { kind: 'gone' };
        recorded();
        return {
          kind: 'later',
          delayMs: Math.max(until.getTime() - Date.now(), 0),
          jobId,
          reason: 'suspended',
        };
      }
      state = result.state;
    }
    if (!(await save())) return this.lost(executionId);
    this.logger.info(
      { executionId, flowId: execution.flowId, status: state.outcome.status, steps: state.nextSeq },
      'execution finished',
    );
    this.metrics.executionFinished(execution.flowId, state.outcome.status);
    if (isAwaited(flow)) {
      await this.events.publish({
        executionId,
        status: state.outcome.status,
        hasRespondNode: hasRespondNode(flow),
        ...(state.response ? { response: state.response } : {}),
        ...(lastOutput !== undefined ? { lastOutput } : {}),
        ...(state.outcome.status === 'failed' ? { error: state.outcome.error } : {}),
      });
    }
    if (state.outcome.status === 'failed') {
      const spawned = await this.errorFlows
        .start(flow, execution, state.outcome.error)
        .catch((error: unknown) => {
          this.logger.error({ err: error, executionId }, 'could not start the error flow');
          return undefined;
        });
      if (spawned) return { kind: 'finished', spawned: [spawned] };
    }
    return { kind: 'finished' };
  }

  private lost(executionId: string): RunReport {
    this.logger.info({ executionId }, 'execution was cancelled or taken over; stopping');
    return { kind: 'gone' };
  }

  private async interrupt(executionId: string): Promise<RunReport> {
    const jobId = executionJobId(executionId, { kind: 'interrupted', at: Date.now() });
    await this.executions.release(executionId, this.owner, jobId);
    return { kind: 'interrupted', jobId };
  }

  /** Makes every run stop at its next checkpoint; in-flight nodes may still finish. */
  stop(): void {
    this.stopping = true;
  }

  /** Cuts in-flight outbound calls short (after the shutdown grace); those nodes run again later. */
  abortInFlight(): void {
    this.stopping = true;
    this.abort.abort();
  }
}
