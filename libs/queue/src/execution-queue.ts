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
}

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
  work(handler: (executionId: string) => Promise<void>, concurrency: number): void;
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
