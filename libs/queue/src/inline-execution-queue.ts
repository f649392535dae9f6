import type { Logger } from 'pino';
import { executionIdOfJob } from '@hookflow/common';
import type { EnqueueOptions, ExecutionQueue, QueueDepth } from './execution-queue';

/**
 * Runs executions in this process with bounded concurrency. Nothing here needs to survive a
 * crash: every id is a row in the database, recovered (with its due time) on the next start.
 */
export class InlineExecutionQueue implements ExecutionQueue {
  readonly kind = 'inline';
  private readonly waiting: string[] = [];
  /** Ids queued or running: a second enqueue of the same id is a no-op. */
  private readonly known = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Ids whose handler is running now. */
  private readonly running = new Set<string>();
  /**
   * Ids asked for again while their handler was still running: a wake-up that came due before
   * the run that scheduled it returned (a short delay, a slow checkpoint). Dropping it as a
   * duplicate would leave the run waiting until the next start; it is queued once the run ends.
   */
  private readonly again = new Set<string>();
  private active = 0;
  private concurrency = 1;
  private handler?: (executionId: string) => Promise<void>;
  private closed = false;
  private idle?: () => void;

  constructor(private readonly logger: Logger) {}

  async enqueue(executionId: string, options: EnqueueOptions = {}): Promise<void> {
    if (this.closed) return;
    const delayMs = options.delayMs ?? 0;
    if (delayMs > 0) {
      clearTimeout(this.timers.get(executionId));
      const timer = setTimeout(() => {
        this.timers.delete(executionId);
        void this.enqueue(executionId);
      }, delayMs);
      timer.unref();
      this.timers.set(executionId, timer);
      return;
    }
    if (this.running.has(executionId)) {
      this.again.add(executionId);
      return;
    }
    if (this.known.has(executionId)) return;
    this.known.add(executionId);
    this.waiting.push(executionId);
    this.pump();
  }

  work(handler: (executionId: string) => Promise<void>, concurrency: number): void {
    this.handler = handler;
    this.concurrency = concurrency;
    this.pump();
  }

  async depth(): Promise<QueueDepth> {
    return {
      waiting: this.waiting.length,
      active: this.active,
      delayed: this.timers.size,
      failed: 0,
    };
  }

  async hasLiveJob(jobId: string): Promise<boolean> {
    const executionId = executionIdOfJob(jobId);
    return this.known.has(executionId) || this.timers.has(executionId);
  }

  async isHealthy(): Promise<boolean> {
    return !this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    this.again.clear();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    if (this.active === 0) return;
    await new Promise<void>((resolve) => (this.idle = resolve));
  }

  private pump(): void {
    const handler = this.handler;
    if (!handler) return;
    while (!this.closed && this.active < this.concurrency && this.waiting.length > 0) {
      const executionId = this.waiting.shift() as string;
      this.active += 1;
      this.running.add(executionId);
      handler(executionId)
        .catch((error: unknown) => {
          // The row stays unfinished and is picked up again on the next start.
          this.logger.error({ err: error, executionId }, 'execution crashed the runner');
        })
        .finally(() => {
          this.active -= 1;
          this.running.delete(executionId);
          this.known.delete(executionId);
          if (this.again.delete(executionId)) void this.enqueue(executionId);
          if (this.active === 0) this.idle?.();
          this.pump();
        });
    }
  }
}
