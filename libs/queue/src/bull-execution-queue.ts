import Bull from 'bull';
import type { Logger } from 'pino';
import { PerTurnBatch } from '@hookflow/common';
import type { EnqueueOptions, ExecutionQueue, QueueDepth, TakenRun } from './execution-queue';

export interface BullQueueOptions {
  redisUrl: string;
  prefix: string;
  /** A worker holds a job this long without renewing; a killed worker's job stalls after it. */
  lockDurationMs: number;
}

interface ExecutionJob {
  executionId: string;
}

interface PendingAdd {
  job: { data: ExecutionJob; opts: Bull.JobOptions };
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * The Bull (Redis) adapter. Jobs carry the execution id only; the payload stays in the database.
 * A stalled job (its worker died) goes back to the queue; the execution lease in the database
 * makes sure that two workers never advance one execution at the same time.
 */
export class BullExecutionQueue implements ExecutionQueue {
  readonly kind = 'bull';
  readonly queue: Bull.Queue<ExecutionJob>;

  constructor(
    options: BullQueueOptions,
    private readonly logger: Logger,
  ) {
    this.queue = new Bull<ExecutionJob>('executions', options.redisUrl, {
      prefix: options.prefix,
      // The commands of one turn of the event loop go to Redis in one write: a worker finishes
      // its jobs in bursts (the runs of one checkpoint statement), one Lua call each. The
      // blocking wait for the next job stays a command of its own on its own connection.
      redis: { enableAutoPipelining: true, autoPipeliningIgnoredCommands: ['brpoplpush'] },
      settings: {
        lockDuration: options.lockDurationMs,
        lockRenewTime: Math.floor(options.lockDurationMs / 2),
        stalledInterval: Math.max(Math.floor(options.lockDurationMs / 2), 1000),
        // The lease decides who runs; a job may stall often (crashes, restarts) without failing.
        maxStalledCount: 1000,
      },
      defaultJobOptions: { removeOnComplete: true, removeOnFail: 1000, attempts: 1 },
    });
    this.queue.on('error', (error) => this.logger.warn({ err: error }, 'queue connection error'));
  }

  /** The jobs added during one turn of the event loop go to Redis together (`addBulk`). */
  private readonly adds = new PerTurnBatch<PendingAdd>((pending) => void this.addAll(pending));

  enqueue(executionId: string, options: EnqueueOptions = {}): Promise<void> {
    const opts: Bull.JobOptions = {
      jobId: options.jobId ?? executionId,
      ...(options.delayMs && options.delayMs > 0 ? { delay: Math.ceil(options.delayMs) } : {}),
    };
    return new Promise((resolve, reject) =>
      this.adds.add({ job: { data: { executionId }, opts }, resolve, reject }),
    );
  }

  private async addAll(pending: PendingAdd[]): Promise<void> {
    try {
      await this.queue.addBulk(pending.map((entry) => entry.job));
    } catch (error) {
      for (const entry of pending) entry.reject(error);
      return;
    }
    for (const entry of pending) entry.resolve();
  }

  work(
    handler: (executionId: string, taken: TakenRun) => Promise<void>,
    concurrency: number,
  ): void {
    // A worker claims every run: the lease of an intake in another process is not its own.
    void this.queue.process(concurrency, (job) => handler(job.data.executionId, { leased: false }));
  }

  async depth(): Promise<QueueDepth> {
    const counts = await this.queue.getJobCounts();
    return {
      waiting: counts.waiting,
      active: counts.active,
      delayed: counts.delayed,
      failed: counts.failed,
    };
  }

  /**
   * Live: the job exists and has not finished (waiting, delayed, active or paused). Read from the
   * job's own hash: a completed job is removed, a failed one carries `finishedOn`. Bull's
   * `getState` would copy the whole wait list into a Lua script for a waiting job (LRANGE 0 -1),
   * and the reconciler asks for up to 500 runs a pass: with a backlog of thousands of runs older
   * than the stale time, that is millions of list entries copied inside Redis every pass.
   */
  async hasLiveJob(jobId: string): Promise<boolean> {
    const job = await this.queue.getJob(jobId);
    if (!job) return false;
    return !job.finishedOn;
  }

  async isHealthy(): Promise<boolean> {
    const ping = this.queue.client.ping().then((answer) => answer === 'PONG');
    const timeout = new Promise<boolean>((resolve) =>
      setTimeout(() => resolve(false), 1000).unref(),
    );
    return Promise.race([ping.catch(() => false), timeout]);
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
