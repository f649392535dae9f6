import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { AppError } from '@hookflow/common';
import { ExecutionsRepository } from '@hookflow/store';
import { executionChanges, presentExecutionEvent, sseFrame } from './execution-changes';

/** Bounds: open streams per process, how often and how far back each one looks, its lifetime. */
export const LIVE_LIMITS = {
  maxStreams: 100,
  pollMs: 500,
  window: 20,
  heartbeatMs: 15_000,
  /** A stream ends after this; EventSource-style clients reconnect. */
  maxLifetimeMs: 15 * 60_000,
};

export interface LiveSink {
  write(chunk: string): void;
  end(): void;
}

/** Polls the executions of one flow per open stream and writes the changes as events. */
@Injectable()
export class LiveExecutionsService implements OnModuleDestroy {
  private readonly open = new Set<() => void>();

  constructor(@Inject(ExecutionsRepository) private readonly executions: ExecutionsRepository) {}

  /** Throws 503 when the process already serves its maximum of streams. */
  assertCapacity(): void {
    if (this.open.size >= LIVE_LIMITS.maxStreams) {
      throw new AppError(503, 'unavailable', 'too many live streams; try again later');
    }
  }

  /** Starts a stream; returns the function that stops it (call it when the client goes away). */
  watch(flowId: string, sink: LiveSink): () => void {
    this.assertCapacity();
    const seen = new Map<string, string>();
    let polling = false;
    let stopped = false;
    const poll = async (): Promise<void> => {
      if (polling || stopped) return;
      polling = true;
      try {
        const page = await this.executions.list({ flowId, limit: LIVE_LIMITS.window, offset: 0 });
        const changes = executionChanges(seen, page.items.map(presentExecutionEvent));
        // Oldest first, so a client appending events keeps the order they happened in.
        for (const change of changes.reverse()) {
          if (!stopped) sink.write(sseFrame('execution', change));
        }
      } catch {
        // A failed look (database busy) is retried on the next tick.
      } finally {
        polling = false;
      }
    };
    const ticker = setInterval(() => void poll(), LIVE_LIMITS.pollMs);
    const heartbeat = setInterval(() => sink.write(': keep-alive\n\n'), LIVE_LIMITS.heartbeatMs);
    const lifetime = setTimeout(() => stop(), LIVE_LIMITS.maxLifetimeMs);
    const stop = (): void => {
      if (stopped) return;
      stopped = true;
      clearInterval(ticker);
      clearInterval(heartbeat);
      clearTimeout(lifetime);
      this.open.delete(stop);
      sink.end();
    };
    this.open.add(stop);
    sink.write(sseFrame('ready', { flowId }));
    void poll();
    return stop;
  }

  /** Ends every stream before the HTTP server closes (it would wait for them). */
  onModuleDestroy(): void {
    for (const stop of [...this.open]) stop();
  }
}
