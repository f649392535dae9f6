import { randomUUID } from 'node:crypto';
import Bull from 'bull';
import type { Logger } from 'pino';
import type { ScheduledFlow, ScheduleTicks } from './schedule-ticks';

export interface BullSchedulerOptions {
  redisUrl: string;
  prefix: string;
  syncMs: number;
  /** Take due ticks off the queue in this process (workers); the API only syncs. */
  consume: boolean;
}

interface TickJob {
  flowId: string;
  /** The schedule the repeatable was made for (scheduleKey). */
  key: string;
}

/** What a repeatable job looks like to Bull (getRepeatableJobs). */
interface Repeatable {
  key: string;
  id: string | null;
  cron: string | null;
  tz: string | null;
  every: number | null;
}

const TICK_CONCURRENCY = 4;
/** Unlock only if the lock is still ours (it may have expired and been taken). */
const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

/** Bull's repeat options of a schedule; `jobId` makes the repeatable one per flow and schedule. */
function repeatOf(flow: ScheduledFlow): Bull.CronRepeatOptions | Bull.EveryRepeatOptions {
  return flow.spec.kind === 'cron'
    ? { cron: flow.spec.cron, tz: flow.spec.timezone }
    : { every: flow.spec.everyMs };
}

function matches(repeatable: Repeatable, flow: ScheduledFlow): boolean {
  if (repeatable.id !== flow.flowId) return false;
  return flow.spec.kind === 'cron'
    ? repeatable.cron === flow.spec.cron && repeatable.tz === flow.spec.timezone
    : repeatable.cron === null && repeatable.every === flow.spec.everyMs;
}

/**
 * Queue mode: one Bull repeatable job per scheduled flow on the `schedule` queue, made from its
 * cron pattern and time zone (`repeat: { cron, tz }`) or interval (`repeat: { every }`). Bull
 * creates one job per tick (its id carries the tick time, so a tick is one job however many
 * processes add the repeatable) and one worker takes it. Every process reconciles the
 * repeatables with the enabled flows, under a Redis lock so two syncs never interleave.
 */
export class BullScheduler {
  readonly queue: Bull.Queue<TickJob>;
  private syncTimer?: NodeJS.Timeout;
  private syncing?: Promise<void>;
  private readonly lockKey: string;

  constructor(
    private readonly ticks: ScheduleTicks,
    private readonly options: BullSchedulerOptions,
    private readonly logger: Logger,
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

  /** Adds missing repeatables and removes stale ones; a sync already running elsewhere wins. */
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
    const existing = (await this.queue.getRepeatableJobs()) as Repeatable[];
    for (const repeatable of existing) {
      if (!flows.some((flow) => matches(repeatable, flow))) {
        await this.queue.removeRepeatableByKey(repeatable.key);
      }
    }
    for (const flow of flows) {
      if (existing.some((repeatable) => matches(repeatable, flow))) continue;
      try {
        await this.queue.add(
          { flowId: flow.flowId, key: flow.key },
          { jobId: flow.flowId, repeat: repeatOf(flow) },
        );
      } catch (error) {
        this.logger.error(
          { err: error, flowId: flow.flowId, schedule: flow.key },
          'could not add the repeatable job of a scheduled flow',
        );
      }
    }
  }

  private async handle(job: Bull.Job<TickJob>): Promise<void> {
    // Bull stamps each repeat job with the instant it was made for.
    const { prevMillis } = job.opts as Bull.JobOptions & { prevMillis?: number };
    const scheduledAt = new Date(prevMillis ?? job.timestamp + (job.opts.delay ?? 0));
    const outcome = await this.ticks.fire(job.data.flowId, job.data.key, scheduledAt);
    this.logger.debug({ flowId: job.data.flowId, at: scheduledAt, outcome }, 'schedule tick');
  }
}
