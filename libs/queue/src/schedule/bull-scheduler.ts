import { createHash, randomUUID } from 'node:crypto';
import Bull from 'bull';
import type { Logger } from 'pino';
import { nextTick, type ScheduleSpec } from '@hookflow/nodes';
import type { ScheduledFlow } from './schedule-ticks';
import { tickAfter, type TickSource } from './tick-plan';

export interface BullSchedulerOptions {
  redisUrl: string;
  prefix: string;
  syncMs: number;
  /** Take due ticks off the queue in this process (workers); the API only syncs. */
  consume: boolean;
}

/** One planned tick of one flow: a delayed job due at `at`. */
export interface TickJob {
  flowId: string;
  /** The schedule the tick was planned for (scheduleKey); a tick of an edited schedule is skipped. */
  key: string;
  spec: ScheduleSpec;
  /** The tick's instant, epoch milliseconds. */
  at: number;
}

const TICK_CONCURRENCY = 4;
/** Unlock only if the lock is still ours (it may have expired and been taken). */
const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

/**
 * The job id of a tick: one per flow, schedule and instant. Bull adds no second job with an id
 * it holds, so every process may plan the same tick and one job exists.
 */
export function tickJobId(flowId: string, key: string, at: Date): string {
  const schedule = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return `tick:${flowId}:${schedule}:${at.getTime()}`;
}

function isCurrent(job: Bull.Job<Partial<TickJob>>, wanted: Map<string, ScheduledFlow>): boolean {
  const { flowId, key, at } = job.data;
  return typeof at === 'number' && flowId !== undefined && wanted.get(flowId)?.key === key;
}

/**
 * Queue mode: the tick instants come from the same function as in the embedded mode
 * (`nextTick`: croner for cron patterns, so `15W` and time zone changes agree), never from
 * Bull's cron parser. Each flow has one delayed job on the `schedule` queue for its next tick,
 * its id made from the tick (tickJobId), so however many processes plan it, one job fires; the
 * worker that takes it accepts the tick and plans the next one. Every process reconciles the
 * planned ticks with the enabled flows, under a Redis lock so two syncs never interleave; the
 * sync also plans the next tick of a flow whose chain was broken (a job that failed for good).
 */
export class BullScheduler {
  readonly queue: Bull.Queue<TickJob>;
  private syncTimer?: NodeJS.Timeout;
  private syncing?: Promise<void>;
  private readonly lockKey: string;

  constructor(
    private readonly ticks: TickSource,
    private readonly options: BullSchedulerOptions,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.queue = new Bull<TickJob>('schedule', options.redisUrl, {
      prefix: options.prefix,
      defaultJobOptions: {
        removeOnComplete: true,
        removeOnFail: 100,
        attempts: 5,
        backoff: { type: 'exponential', delay: 500 },
      },
    });
    this.queue.on('error', (error) => this.logger.warn({ err: error }, 'schedule queue error'));
    this.lockKey = `${options.prefix}:schedule:sync-lock`;
  }

  async start(): Promise<void> {
    if (this.options.consume) {
      void this.queue.process(TICK_CONCURRENCY, (job) => this.handle(job));
    }
    await this.sync();
    this.syncTimer = setInterval(() => void this.sync(), this.options.syncMs);
    this.syncTimer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.syncTimer);
    await this.syncing;
    await this.queue.close();
  }

  /** Plans missing ticks and removes stale ones; a sync already running elsewhere wins. */
  sync(): Promise<void> {
    this.syncing ??= this.syncUnderLock()
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, 'schedule sync failed; will try again');
      })
      .finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  private async syncUnderLock(): Promise<void> {
    const token = randomUUID();
    const ttlMs = Math.max(this.options.syncMs * 4, 10_000);
    const locked = await this.queue.client.set(this.lockKey, token, 'PX', ttlMs, 'NX');
    if (locked !== 'OK') return;
    try {
      await this.reconcile();
    } finally {
      await this.queue.client.eval(RELEASE_LOCK, 1, this.lockKey, token);
    }
  }

  private async reconcile(): Promise<void> {
    const flows = await this.ticks.scheduledFlows();
    const wanted = new Map(flows.map((flow) => [flow.flowId, flow]));
    // Repeatable jobs of earlier versions (Bull's own cron parser) are retired.
    for (const repeatable of await this.queue.getRepeatableJobs()) {
      await this.queue.removeRepeatableByKey(repeatable.key);
    }
    const planned = (await this.queue.getDelayed()) as Array<Bull.Job<Partial<TickJob>>>;
    for (const job of planned) {
      if (!isCurrent(job, wanted)) await job.remove();
    }
    const now = this.now();
    for (const flow of flows) {
      await this.plan(flow, nextTick(flow.spec, now), now).catch((error: unknown) => {
        this.logger.error(
          { err: error, flowId: flow.flowId, schedule: flow.key },
          'could not plan the next tick of a scheduled flow',
        );
      });
    }
  }

  /** Adds the delayed job of the tick `at` (a no-op when that tick is planned already). */
  private async plan(
    flow: Pick<TickJob, 'flowId' | 'key' | 'spec'>,
    at: Date | undefined,
    now: Date,
  ): Promise<void> {
    if (!at) return;
    const data: TickJob = { flowId: flow.flowId, key: flow.key, spec: flow.spec, at: at.getTime() };
    await this.queue.add(data, {
      jobId: tickJobId(flow.flowId, flow.key, at),
      delay: Math.max(at.getTime() - now.getTime(), 0),
    });
  }

  private async handle(job: Bull.Job<Partial<TickJob>>): Promise<void> {
    const { flowId, key, spec, at } = job.data;
    // A job of an earlier version (no tick instant): the sync plans its replacement.
    if (flowId === undefined || key === undefined || spec === undefined || at === undefined) return;
    const scheduledAt = new Date(at);
    const outcome = await this.ticks.fire(flowId, key, scheduledAt);
    this.logger.debug({ flowId, at: scheduledAt, outcome }, 'schedule tick');
    // A disabled or edited flow's tick is skipped and ends its chain; the sync plans the new one.
    if (outcome === 'skipped') return;
    const now = this.now();
    await this.plan({ flowId, key, spec }, tickAfter(spec, scheduledAt, now), now);
  }
}
