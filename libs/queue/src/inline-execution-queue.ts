import type { Logger } from 'pino';
import { executionIdOfJob } from '@hookflow/common';
import type {
  EnqueueOptions,
  ExecutionQueue,
  LeasedBacklogReader,
  QueueDepth,
  TakenRun,
} from './execution-queue';
import { Fifo } from './fifo';

/** Background ids queued within this window mean deliveries are still arriving. */
const ARRIVING_WINDOW_MS = 50;

/**
 * Background ids held in memory at most (HOOKFLOW_BACKLOG_IN_MEMORY) when the backlog can be read
 * back from disk: past it, leased ids stay on disk only (each id in memory costs ~150 B, and a
 * burst acknowledged at the intake's pace can leave 100,000 behind). They are read back a page
 * at a time once fewer than a page remain in memory.
 */
export const BACKLOG_IN_MEMORY_MAX = 10_000;
export const BACKLOG_PAGE = 2_000;

/** How soon a failed read of the backlog on disk is tried again. */
const BACKLOG_RETRY_MS = 1_000;

/** The lower of two ids (ids sort in the order they were made). */
function lowest(current: string | undefined, id: string): string {
  return current === undefined || id < current ? id : current;
}

/** The part of the backlog left on disk (see BACKLOG_IN_MEMORY_MAX). */
interface DiskBacklog {
  read: LeasedBacklogReader;
  /** Ids left on disk and not read back yet, as far as counted (the queue depth includes them). */
  count: number;
  /**
   * The lowest id that may be on disk and not read back yet; undefined when none is. Ids are
   * accepted in order, but two may reach the queue out of it: the lowest one counts.
   */
  from?: string;
  reading: boolean;
}

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
  /** Queued ids the intake committed with this process's lease (see EnqueueOptions.leased). */
  private readonly leased = new Set<string>();
  private disk?: DiskBacklog;
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
  private handler?: (executionId: string, taken: TakenRun) => Promise<void>;
  private closed = false;
  private idle?: () => void;

  constructor(
    private readonly logger: Logger,
    private readonly options: {
      backgroundShare?: number;
      now?: () => number;
      /** Default BACKLOG_IN_MEMORY_MAX. */
      backlogInMemory?: number;
    } = {},
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
    if (options.background && options.leased && this.leaveOnDisk(executionId)) return;
    this.known.add(executionId);
    if (options.leased) this.leased.add(executionId);
    if (options.background) {
      this.lastBackgroundAt = this.now();
      this.background.push(executionId);
    } else {
      this.waiting.push(executionId);
    }
    this.pump();
  }

  /**
   * Leaves a leased background id on disk when the backlog in memory is full, or when ids are on
   * disk already (so that the backlog keeps its order). True when it was left there.
   */
  private leaveOnDisk(executionId: string): boolean {
    const disk = this.disk;
    if (!disk) return false;
    const onDisk = disk.from !== undefined || disk.reading;
    if (!onDisk && this.background.length < this.inMemoryMax) return false;
    disk.count += 1;
    disk.from = lowest(disk.from, executionId);
    this.lastBackgroundAt = this.now();
    return true;
  }

  private get inMemoryMax(): number {
    return this.options.backlogInMemory ?? BACKLOG_IN_MEMORY_MAX;
  }

  /** Ids read back from disk at once: a page, or what memory may hold if that is less. */
  private get page(): number {
    return Math.min(BACKLOG_PAGE, this.inMemoryMax);
  }

  keepBacklogOnDisk(read: LeasedBacklogReader): void {
    this.disk = { read, count: 0, reading: false };
  }

  /**
   * Reads the next page of the backlog left on disk. `from` is inclusive: the last id read comes
   * back and is skipped (still queued, running or finished), so no id between two pages is
   * missed. A read shorter than a page has seen every id left on disk before it started; ids left
   * there while it ran set `from` again, and the next read takes them.
   */
  private async readBack(): Promise<void> {
    const disk = this.disk;
    if (!disk || disk.reading || disk.from === undefined || this.closed) return;
    disk.reading = true;
    const from = disk.from;
    disk.from = undefined;
    let ids: string[];
    try {
      ids = await disk.read(from, this.page);
    } catch (error) {
      disk.from = lowest(disk.from, from);
      disk.reading = false;
      this.logger.warn({ err: error }, 'could not read the backlog on disk; will retry');
      setTimeout(() => this.pump(), BACKLOG_RETRY_MS).unref();
      return;
    }
    disk.reading = false;
    if (this.closed) return;
    const last = ids.at(-1);
    if (ids.length >= this.page && last !== undefined) disk.from = lowest(disk.from, last);
    for (const executionId of ids) {
      if (this.known.has(executionId)) continue;
      this.known.add(executionId);
      this.leased.add(executionId);
      this.background.push(executionId);
      disk.count = Math.max(0, disk.count - 1);
    }
    // Nothing is left on disk: ids go to memory again until it is full.
    if (disk.from === undefined) disk.count = 0;
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

  work(
    handler: (executionId: string, taken: TakenRun) => Promise<void>,
    concurrency: number,
  ): void {
    this.handler = handler;
    this.concurrency = concurrency;
    this.pump();
  }

  async depth(): Promise<QueueDepth> {
    return {
      waiting: this.waiting.length + this.background.length + (this.disk?.count ?? 0),
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
    this.leased.clear();
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
    if (this.disk?.from !== undefined && this.background.length < this.page) {
      void this.readBack();
    }
  }

  private start(
    handler: (executionId: string, taken: TakenRun) => Promise<void>,
    executionId: string,
  ): void {
    this.active += 1;
    this.running.add(executionId);
    const leased = this.leased.delete(executionId);
    handler(executionId, { leased })
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
