import type { Logger } from 'pino';
import type { ExecutionQueue } from './execution-queue';

/**
 * Runs executions in this process with bounded concurrency. Nothing here needs to survive a
 * crash: every id is already a pending row in the database, recovered on the next start.
 */
export class InlineExecutionQueue implements ExecutionQueue {
  private readonly waiting: string[] = [];
  /** Ids queued or running: a second enqueue of the same id is a no-op. */
  private readonly known = new Set<string>();
  private active = 0;
  private handler?: (executionId: string) => Promise<unknown>;
  private closed = false;
  private idle?: () => void;

  constructor(
    private readonly concurrency: number,
    private readonly logger: Logger,
  ) {}

  async enqueue(executionId: string): Promise<void> {
    if (this.closed || this.known.has(executionId)) return;
    this.known.add(executionId);
    this.waiting.push(executionId);
    this.pump();
  }

  work(handler: (executionId: string) => Promise<unknown>): void {
    this.handler = handler;
    this.pump();
  }

  depth(): { waiting: number; active: number } {
    return { waiting: this.waiting.length, active: this.active };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    if (this.active === 0) return;
    await new Promise<void>((resolve) => (this.idle = resolve));
  }

  private pump(): void {
    const handler = this.handler;
    if (!handler) return;
    while (!this.closed && this.active < this.concurrency && this.waiting.length > 0) {
      const executionId = this.waiting.shift() as string;
      this.active += 1;
      handler(executionId)
        .catch((error: unknown) => {
          // The row stays pending/running and is picked up again on the next start.
          this.logger.error({ err: error, executionId }, 'execution crashed the runner');
        })
        .finally(() => {
          this.active -= 1;
          this.known.delete(executionId);
          if (this.active === 0) this.idle?.();
          this.pump();
        });
    }
  }
}
