import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { HOOKFLOW_CONFIG, LOGGER, executionJobId, type HookflowConfig } from '@hookflow/common';
import { ExecutionRunner, TRANSIENT_RETRY_MS, type RunReport } from '@hookflow/runner';
import { ExecutionsRepository } from '@hookflow/store';
import { EXECUTION_QUEUE, queueTraits, type ExecutionQueue } from './execution-queue';
import { Reconciler } from './reconciler';

/** How long shutdown waits for in-flight nodes before cutting their calls short. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Feeds the queue to the runner in this process (the embedded process, or a worker). Embedded:
 * on start it re-enqueues every execution a previous process left unfinished. Queue mode: a
 * reconciler re-enqueues executions whose job Redis lost. Either way a 202 is a promise kept.
 */
@Injectable()
export class ExecutionConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly reconciler: Reconciler;

  constructor(
    @Inject(EXECUTION_QUEUE) private readonly queue: ExecutionQueue,
    @Inject(ExecutionRunner) private readonly runner: ExecutionRunner,
    @Inject(ExecutionsRepository) private readonly executions: ExecutionsRepository,
    @Inject(HOOKFLOW_CONFIG) private readonly config: HookflowConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.reconciler = new Reconciler(
      executions,
      queue,
      { intervalMs: config.reconcileIntervalMs, staleMs: config.reconcileStaleMs },
      logger,
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    const { inProcess } = queueTraits(this.queue.kind);
    const concurrency = inProcess ? this.config.concurrency : this.config.workerConcurrency;
    this.queue.work((executionId, taken) => this.handle(executionId, taken.leased), concurrency);
    if (!inProcess) {
      this.reconciler.start();
      return;
    }
    // A long backlog waits on disk, not in memory: the runs this runner's lease was written for.
    const owner = this.runner.owner;
    this.queue.keepBacklogOnDisk?.((fromId, limit) =>
      this.executions.leasedPending(owner, fromId, limit),
    );
    // The only runner there is: leases left by a killed predecessor mean nothing.
    await this.executions.releaseAllLeases();
    const unfinished = await this.executions.unfinished();
    if (unfinished.length > 0) {
      this.logger.info({ count: unfinished.length }, 'resuming unfinished executions');
    }
    const now = Date.now();
    for (const execution of unfinished) {
      const delayMs = execution.runAfter ? execution.runAfter.getTime() - now : 0;
      await this.queue.enqueue(execution.id, { delayMs: Math.max(delayMs, 0) });
    }
  }

  private async handle(executionId: string, leased: boolean): Promise<void> {
    let report: RunReport;
    try {
      report = await this.runner.run(executionId, { leased });
    } catch (error) {
      // A run that threw (the database away mid-run) is tried again, not left until a restart;
      // its lease and attempt count decide what the retry may do.
      this.logger.warn({ err: error, executionId }, 'run failed with an error; will retry');
      const jobId = executionJobId(executionId, {
        kind: 'later',
        reason: 'transient',
        at: Date.now(),
      });
      await this.queue
        .enqueue(executionId, { delayMs: TRANSIENT_RETRY_MS, jobId })
        .catch(() => undefined);
      return;
    }
    if (report.kind === 'finished') {
      for (const spawned of report.spawned ?? []) await this.queue.enqueue(spawned);
    } else if (report.kind === 'later') {
      await this.queue.enqueue(executionId, { delayMs: report.delayMs, jobId: report.jobId });
    } else if (report.kind === 'interrupted' && queueTraits(this.queue.kind).durable) {
      // Hand it back now; if the queue is already closing, the reconciler picks it up.
      await this.queue.enqueue(executionId, { jobId: report.jobId }).catch(() => undefined);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.reconciler.stop();
    this.runner.stop();
    const grace = setTimeout(() => this.runner.abortInFlight(), SHUTDOWN_GRACE_MS);
    await this.queue.close();
    clearTimeout(grace);
  }
}
