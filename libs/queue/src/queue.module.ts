import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { HOOKFLOW_CONFIG, HookflowMetrics, LOGGER, type HookflowConfig } from '@hookflow/common';
import { BullExecutionQueue } from './bull-execution-queue';
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

/** Picks the adapter from configuration: Bull when REDIS_URL is set, inline otherwise. */
export function createExecutionQueue(config: HookflowConfig, logger: Logger): ExecutionQueue {
  if (config.redisUrl) {
    return new BullExecutionQueue(
      { redisUrl: config.redisUrl, prefix: config.queuePrefix, lockDurationMs: config.leaseMs },
      logger,
    );
  }
  return new InlineExecutionQueue(logger);
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
          useFactory: (config: HookflowConfig, logger: Logger, metrics: HookflowMetrics) => {
            const queue = createExecutionQueue(config, logger);
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
