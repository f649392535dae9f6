import { EventEmitter } from 'node:events';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { HookResponse, JsonValue, RunError } from '@hookflow/engine';
import { HOOKFLOW_CONFIG, LOGGER, createRedisClient, type HookflowConfig } from '@hookflow/common';

/** What a caller waiting on a run (the `when-finished` response mode) needs to answer. */
export interface ExecutionFinished {
  executionId: string;
  status: 'succeeded' | 'failed';
  response?: HookResponse;
  /** Output of the last node that ran, for flows without a respond node. */
  lastOutput?: JsonValue;
  /** Whether the flow has a respond node at all (none ran on this path: 204). */
  hasRespondNode: boolean;
  error?: RunError;
}

/**
 * Tells waiting webhook callers that their run finished. In one process (embedded) an event
 * emitter; across processes (queue mode) Redis pub/sub from the worker to the API that waits.
 * A lost message costs only the fallback: the caller gets 202 and a status URL at the timeout.
 */
@Injectable()
export class ExecutionEvents implements OnModuleDestroy {
  private readonly local = new EventEmitter();
  private publisher?: Redis;
  private subscriber?: Redis;
  private readonly channel: string;

  constructor(
    @Inject(HOOKFLOW_CONFIG) private readonly config: HookflowConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.local.setMaxListeners(0);
    this.channel = `${config.queuePrefix}:executions:finished`;
  }

  async publish(event: ExecutionFinished): Promise<void> {
    if (!this.config.redisUrl) {
      this.local.emit(event.executionId, event);
      return;
    }
    this.publisher ??= createRedisClient(this.config.redisUrl, { maxRetriesPerRequest: 1 });
    await this.publisher.publish(this.channel, JSON.stringify(event)).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'could not publish a finished execution');
    });
  }

  /** Resolves with the finish event, or undefined after `timeoutMs`. Call before enqueueing. */
  waitFor(executionId: string, timeoutMs: number): Promise<ExecutionFinished | undefined> {
    this.subscribe();
    return new Promise((resolve) => {
      const onFinished = (event: ExecutionFinished | undefined) => {
        clearTimeout(timer);
        resolve(event);
      };
      const timer = setTimeout(() => {
        this.local.off(executionId, onFinished);
        resolve(undefined);
      }, timeoutMs);
      this.local.once(executionId, onFinished);
    });
  }

  /** Stops waiting for a run that will not happen (its accept failed): waitFor gives undefined. */
  abandon(executionId: string): void {
    this.local.emit(executionId, undefined);
  }

  private subscribe(): void {
    if (!this.config.redisUrl || this.subscriber) return;
    this.subscriber = createRedisClient(this.config.redisUrl, { maxRetriesPerRequest: null });
    void this.subscriber.subscribe(this.channel).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'could not subscribe to finished executions');
    });
    this.subscriber.on('message', (_channel: string, message: string) => {
      try {
        const event = JSON.parse(message) as ExecutionFinished;
        this.local.emit(event.executionId, event);
      } catch {
        // not ours
      }
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.subscriber?.disconnect();
    this.publisher?.disconnect();
  }
}
