import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import {
  advanceRun,
  type CompiledFlow,
  type JsonValue,
  type OutboundHttp,
  type OutboundMail,
  type RunState,
} from '@hookflow/engine';
import { HOOKFLOW_CONFIG, HookflowMetrics, LOGGER, type HookflowConfig } from '@hookflow/common';
import { CredentialsService, ExecutionsRepository, type ExecutionEntity } from '@hookflow/store';
import { CompiledFlows } from './compiled-flows';
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

function flowConcurrency(flow: CompiledFlow): number | undefined {
  const limit = flow.document.settings?.maxConcurrency;
  return typeof limit === 'number' && Number.isInteger(limit) && limit > 0 ? limit : undefined;
}

/**
 * Takes an execution id, leases the execution, and advances it node by node, checkpointing
 * after each. Any runner in any process can continue any execution; a node that was in flight
 * when a process died runs again (its outbound calls carry an idempotency key).
 */
@Injectable()
export class ExecutionRunner {
  /** Identifies this process in leases: `host:pid:random`. */
  readonly owner = `${hostname().slice(0, 40)}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private stopping = false;
  private readonly abort = new AbortController();

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
  ) {}

  async run(executionId: string): Promise<RunReport> {
    if (this.stopping) return { kind: 'interrupted', jobId: `${executionId}:i${Date.now()}` };
    const versionId = await this.executions.versionOf(executionId);
    if (!versionId) return { kind: 'gone' };
    const flow = await this.flows.load(versionId).catch((error: unknown) => {
      this.logger.error({ err: error, executionId }, 'flow version does not compile');
      return undefined;
    });
    if (!flow) {
      await this.executions.fail(executionId, {
        code: 'flow_version_unavailable',
        message: `flow version ${versionId} is missing or invalid`,
      });
      return { kind: 'finished' };
    }
    const claim = await this.executions.claim({
      id: executionId,
      owner: this.owner,
      leaseMs: this.config.leaseMs,
      now: new Date(),
      flowConcurrency: flowConcurrency(flow),
    });
    if (claim.kind === 'gone') return claim;
    if (claim.kind === 'later') {
      const jobId = `${executionId}:${claim.reason}:${Date.now()}`;
      await this.executions.setJob(executionId, jobId);
      return { kind: 'later', delayMs: claim.delayMs, jobId, reason: claim.reason };
    }
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
      return await this.advance(flow, claim.execution);
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
    while (!state.outcome) {
      // Stop between nodes on shutdown: the checkpoint is where the next runner resumes.
      if (this.stopping) return this.interrupt(executionId);
      const startedAt = performance.now();
      const result = await advanceRun(flow, state, services);
      if (result.step) {
        const seconds = (performance.now() - startedAt) / 1000;
        this.metrics.nodeRan(result.step.nodeType, result.step.status, seconds);
      }
      // A call cut short by shutdown is not the node's failure: keep the last checkpoint.
      if (this.abort.signal.aborted) return this.interrupt(executionId);
      if (result.suspendedUntil !== undefined) {
        const until = new Date(result.suspendedUntil);
        const jobId = `${executionId}:w${result.state.nextSeq}:${until.getTime()}`;
        const parked = await this.executions.suspend({
          executionId,
          owner: this.owner,
          state: result.state,
          until,
          jobId,
        });
        if (!parked) return { kind: 'gone' };
        return {
          kind: 'later',
          delayMs: Math.max(until.getTime() - Date.now(), 0),
          jobId,
          reason: 'suspended',
        };
      }
      const kept = await this.executions.checkpoint({
        executionId,
        owner: this.owner,
        step: result.step,
        state: result.state,
        leaseUntil: new Date(Date.now() + this.config.leaseMs),
      });
      if (!kept) {
        this.logger.info({ executionId }, 'execution was cancelled or taken over; stopping');
        return { kind: 'gone' };
      }
      state = result.state;
      if (result.step?.status === 'succeeded') lastOutput = result.step.output;
    }
    this.logger.info(
      { executionId, flowId: execution.flowId, status: state.outcome.status, steps: state.nextSeq },
      'execution finished',
    );
    this.metrics.executionFinished(execution.flowId, state.outcome.status);
    if (isAwaited(flow)) {
      await this.events.publish({
        executionId,
        status: state.outcome.status,
        hasRespondNode: [...flow.nodes.values()].some((node) => node.nodeType.type === 'respond'),
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

  private async interrupt(executionId: string): Promise<RunReport> {
    const jobId = `${executionId}:i${Date.now()}`;
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
