import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { advanceRun, type OutboundHttp } from '@hookflow/engine';
import { LOGGER } from '@hookflow/common';
import { ExecutionsRepository } from '@hookflow/store';
import { CompiledFlows } from './compiled-flows';

export const OUTBOUND_HTTP = Symbol('OUTBOUND_HTTP');

export type RunReport = 'finished' | 'skipped' | 'interrupted';

/**
 * Takes an execution id, loads its checkpointed state and advances it node by node,
 * checkpointing after each. Any runner can continue any execution; a node that was in flight
 * when a process died runs again (its outbound calls carry an idempotency key).
 */
@Injectable()
export class ExecutionRunner {
  private stopping = false;
  private readonly abort = new AbortController();

  constructor(
    @Inject(ExecutionsRepository) private readonly executions: ExecutionsRepository,
    @Inject(CompiledFlows) private readonly flows: CompiledFlows,
    @Inject(OUTBOUND_HTTP) private readonly http: OutboundHttp,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async run(executionId: string): Promise<RunReport> {
    const execution = await this.executions.claim(executionId);
    if (!execution) return 'skipped';
    const flow = await this.flows.load(execution.flowVersionId).catch((error: unknown) => {
      this.logger.error({ err: error, executionId }, 'flow version does not compile');
      return undefined;
    });
    if (!flow) {
      await this.executions.fail(executionId, {
        code: 'flow_version_unavailable',
        message: `flow version ${execution.flowVersionId} is missing or invalid`,
      });
      return 'finished';
    }

    let state = execution.state;
    const services = { http: this.http, now: () => new Date(), signal: this.abort.signal };
    while (!state.outcome) {
      // Stop between nodes on shutdown: the checkpoint is where the next start resumes.
      if (this.stopping) return 'interrupted';
      const { state: next, step } = await advanceRun(flow, state, services);
      // A call cut short by shutdown is not the node's failure: leave the checkpoint as it was.
      if (this.abort.signal.aborted) return 'interrupted';
      await this.executions.checkpoint({ executionId, step, state: next });
      state = next;
    }
    this.logger.info(
      { executionId, flowId: execution.flowId, status: state.outcome.status, steps: state.nextSeq },
      'execution finished',
    );
    return 'finished';
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
