export interface EnqueueOptions {
  /** Run no earlier than this many milliseconds from now (delays, retry backoff). */
  delayMs?: number;
  /** Queue job id; defaults to the execution id. A live job with the same id is not added twice. */
  jobId?: string;
  /**
   * Nobody waits for this run (a trigger that answered 202 at once): the embedded queue runs it
   * behind the intake while deliveries keep arriving (see InlineExecutionQueue). Bull ignores it.
   */
  background?: boolean;
  /**
   * The run's row is committed with this process's lease and nothing of it is held in memory
   * (embedded intake): the runner reads the row without a claim, and behind a long backlog the
   * embedded queue may leave the id itself on disk (see InlineExecutionQueue). Bull ignores it.
   */
  leased?: boolean;
}

/** What the handler learns about an id it is given. */
export interface TakenRun {
  /** Committed with this process's lease (see EnqueueOptions.leased): read it, do not claim it. */
  leased: boolean;
}

/**
 * Ids of runs committed with this process's lease and not started, from `fromId` (inclusive) in
 * id order (the order they were accepted in), at most `limit`: where an embedded queue finds the
 * ids it left on disk.
 */
export type LeasedBacklogReader = (fromId: string, limit: number) => Promise<string[]>;

export interface QueueDepth {
  waiting: number;
  active: number;
  delayed: number;
  /** Jobs that failed and are kept for inspection (Bull); the inline queue keeps none. */
  failed: number;
}

/**
 * The port between intake and execution. Intake enqueues execution ids (never payloads); a
 * consumer registers the handler that runs them. Adapters: inline (embedded) and Bull (Redis).
 * The database is the source of truth: losing a queued id delays a run, it never loses it.
 */
export interface ExecutionQueue {
  readonly kind: 'inline' | 'bull';
  enqueue(executionId: string, options?: EnqueueOptions): Promise<void>;
  /** Starts consuming with at most `concurrency` runs at once. */
  work(handler: (executionId: string, taken: TakenRun) => Promise<void>, concurrency: number): void;
  /**
   * Embedded only: where ids left on disk are read back. Without it every id stays in memory.
   */
  keepBacklogOnDisk?(reader: LeasedBacklogReader): void;
  /** Stops taking new ids and waits for the running ones. */
  close(): Promise<void>;
  depth(): Promise<QueueDepth>;
  /** Whether the job is still waiting, delayed or running (the reconciler asks). */
  hasLiveJob(jobId: string): Promise<boolean>;
  isHealthy(): Promise<boolean>;
}

export const EXECUTION_QUEUE = Symbol('EXECUTION_QUEUE');

export type QueueKind = ExecutionQueue['kind'];

/** What an adapter's kind means for the code around the queue; decided here, nowhere else. */
export interface QueueTraits {
  /**
   * Ids run in this process (embedded): the intake may hand a run to the runner in memory, and
   * a start recovers every unfinished run (no other runner exists).
   */
  inProcess: boolean;
  /**
   * Jobs outlive this process (Redis): an interrupted run is handed back at once, a reconciler
   * re-enqueues runs whose job was lost, and readiness includes Redis.
   */
  durable: boolean;
}

export function queueTraits(kind: QueueKind): QueueTraits {
  switch (kind) {
    case 'inline':
      return { inProcess: true, durable: false };
    case 'bull':
      return { inProcess: false, durable: true };
  }
}
