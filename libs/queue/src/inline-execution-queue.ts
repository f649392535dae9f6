import type { Logger } from 'pino';
import { executionIdOfJob } from '@hookflow/common';
import type { EnqueueOptions, ExecutionQueue, QueueDepth } from './execution-queue';
import { Fifo } from './fifo';

/** Background ids queued within this window mean deliveries are still arriving. */
const ARRIVING_WINDOW_MS = 50;

/**
 * Runs executions in this process with bounded concurrency. Nothing here needs to survive a
 * crash: every id is a row in the database, recovered (with its due time) on the next start.
 *
 * Two lanes. Foreground: runs someone waits for (a `when-finished` caller, a wake-up, a resume);
 * they start first. Background: runs of triggers that answered 202 at once. While deliveries keep
 * arriving, only `backgroundShare` background runs are in flight, so the intake has the CPU and
 * a burst is acknowledged at the intake's pace (its runs wait on disk, counted in the backlog
 * and bounded by HOOKFLOW_QUEUE_CEILING); once the burst stops, the backlog drains at full
 * concurrency. Each background run that ends starts the next, so the lane never stalls.
 */
export class InlineExecutionQueue implements ExecutionQueue {
  readonly kind = 'inline';
  private readonly waiting = new Fifo<string>();
  private readonly background = new Fifo<string>();
  private backgroundActive = 0;
  /** When the last background id was queued: deliveries are arriving while this is recent. */
  private lastBackgroundAt = Number.NEGATIVE_INFINITY;
  /** Ids started from the background lane, to count them down when they end. */
  private readonly fromBackground = new Set<string>();
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

  constructor(
    private readonly logger: Logger,
    private readonly options: { backgroundShare?: number; now?: () => number } = {},
  ) {}

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
    if (options.background) {
      this.lastBackgroundAt = this.now();
      this.background.push(executionId);
    } else {
      this.waiting.push(executionId);
    }
    this.pump();
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Background runs allowed in flight now: a share while deliveries arrive, else all. */
  private backgroundLimit(): number {
    if (this.now() - this.lastBackgroundAt >= ARRIVING_WINDOW_MS) return this.concurrency;
    return this.options.backgroundShare ?? Math.max(1, Math.floor(this.concurrency / 16));
  }

  work(handler: (executionId: string) => Promise<void>, concurrency: number): void {
    this.handler = handler;
    this.concurrency = concurrency;
    this.pump();
  }

  async depth(): Promise<QueueDepth> {
    return {
      waiting: this.waiting.length + this.background.length,
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
    this.waiting.clear();
    this.background.clear();
    this.again.clear();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    if (this.active === 0) return;
    await new Promise<void>((resolve) => (this.idle = resolve));
  }

  private pump(): void {
    const handler = this.handler;
    if (!handler) return;
    while (!this.closed && this.active < this.concurrency) {
      let executionId = this.waiting.shift();
      if (executionId === undefined) {
        if (this.background.length === 0 || this.backgroundActive >= this.backgroundLimit()) break;
        executionId = this.background.shift() as string;
        this.backgroundActive += 1;
        this.fromBackground.add(executionId);
      }
      this.start(handler, executionId);
    }
  }

  private start(handler: (executionId: string) => Promise<void>, executionId: string): void {
    this.active += 1;
    this.running.add(executionId);
    handler(executionId)
      .catch((error: unknown) => {
        // The row stays unfinished and is picked up again on the next start.
        this.logger.error({ err: error, executionId }, 'execution crashed the runner');
      })
      .finally(() => {
        this.active -= 1;
        if (this.fromBackground.delete(executionId)) this.backgroundActive -= 1;
        this.running.delete(executionId);
        this.known.delete(executionId);
        if (this.again.delete(executionId)) void this.enqueue(executionId);
        if (this.active === 0) this.idle?.();
        this.pump();
      });
  }
}
