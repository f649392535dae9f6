/**
 * The port between intake and execution. Intake enqueues execution ids (never payloads); a
 * worker registers the handler that runs them. Adapters: inline (embedded) and Bull (Redis).
 */
export interface ExecutionQueue {
  enqueue(executionId: string): Promise<void>;
  /** Starts consuming; the handler resolves when the run is checkpointed or finished. */
  work(handler: (executionId: string) => Promise<unknown>): void;
  /** Stops taking new ids and waits for the running ones. */
  close(): Promise<void>;
  /** Ids waiting or running, for health and metrics. */
  depth(): { waiting: number; active: number };
}

export const EXECUTION_QUEUE = Symbol('EXECUTION_QUEUE');
