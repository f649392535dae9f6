import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { HOOKFLOW_CONFIG, HookflowMetrics, LOGGER, type HookflowConfig } from '@hookflow/common';
import { ExecutionConsumer } from './execution-consumer';
import { EXECUTION_QUEUE, type ExecutionQueue } from './execution-queue';
import { InlineExecutionQueue } from './inline-execution-queue';
import { ReadinessChecks } from './health';
import { QueueCloser } from './queue-closer';
import { RedisChangeRelay } from './redis-change-relay';

export interface QueueModuleOptions {
  /** Run executions in this process (the embedded process, or a worker). */
  consume: boolean;
}

/**
 * Picks the adapter from configuration: Bull when REDIS_URL is set, inline otherwise. Bull (and
 * ioredis under it, about 11 MiB of resident code) is loaded only here, so the embedded process
 * never carries it.
 */
export async function createExecutionQueue(
  config: HookflowConfig,
  logger: Logger,
): Promise<ExecutionQueue> {
  if (config.redisUrl) {
    const { BullExecutionQueue } = await import('./bull-execution-queue');
    return new BullExecutionQueue(
      { redisUrl: config.redisUrl, prefix: config.queuePrefix, lockDurationMs: config.leaseMs },
      logger,
    );
  }
  return new InlineExecutionQueue(logger, { backlogInMemory: config.backlogInMemory });
}

@Global()
@Module({})
export class QueueModule {
  static forRoot(options: QueueModuleOptions): DynamicModule {
    return {
      module: QueueModule,
      providers: [
        {
          provide: EXECUTION_QUEUE,
          inject: [HOOKFLOW_CONFIG, LOGGER, HookflowMetrics],
          useFactory: async (
            config: HookflowConfig,
            logger: Logger,
            metrics: HookflowMetrics,
          ): Promise<ExecutionQueue> => {
            const queue = await createExecutionQueue(config, logger);
            metrics.watchQueue(() => queue.depth());
            return queue;
          },
        },
        ...(options.consume ? [ExecutionConsumer] : []),
        ...(options.consume ? [] : [QueueCloser]),
        ReadinessChecks,
        RedisChangeRelay,
      ],
      exports: [EXECUTION_QUEUE, ReadinessChecks],
    };
  }
}
