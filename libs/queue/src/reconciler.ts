import type { Logger } from 'pino';
import { executionJobId } from '@hookflow/common';
import type { ExecutionsRepository } from '@hookflow/store';
import type { ExecutionQueue } from './execution-queue';

const BATCH = 500;

/**
 * Queue mode's safety net. The database is the source of truth; Redis may lose jobs (a restart
 * without persistence, an add that failed while it was down). Periodically, every unfinished
 * execution that nobody holds and nothing touched for a while gets a new job unless its job is
 * still alive. A duplicate job is harmless: the execution lease lets only one runner in.
 */
export class Reconciler {
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly executions: ExecutionsRepository,
    private readonly queue: ExecutionQueue,
    private readonly options: { intervalMs: number; staleMs: number },
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.reconcileOnce();
    } catch (error) {
      this.logger.warn({ err: error }, 'reconciliation failed; will try again');
    } finally {
      this.running = false;
    }
  }

  /** One pass; returns how many executions got a new job. */
  async reconcileOnce(now = new Date()): Promise<number> {
    const candidates = await this.executions.stale(now, this.options.staleMs, BATCH);
    let requeued = 0;
    for (const execution of candidates) {
      if (execution.jobId && (await this.queue.hasLiveJob(execution.jobId))) continue;
      const jobId = executionJobId(execution.id, { kind: 'requeued', at: now.getTime() });
      await this.executions.setJob(execution.id, jobId);
      const delayMs = execution.runAfter ? execution.runAfter.getTime() - now.getTime() : 0;
      await this.queue.enqueue(execution.id, { jobId, delayMs: Math.max(delayMs, 0) });
      requeued += 1;
    }
    if (requeued > 0)
      this.logger.info({ requeued }, 're-enqueued executions that had lost their job');
    return requeued;
  }
}
