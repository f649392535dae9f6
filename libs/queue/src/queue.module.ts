import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { HOOKFLOW_CONFIG, LOGGER, type HookflowConfig } from '@hookflow/common';
import { ExecutionConsumer } from './execution-consumer';
import { EXECUTION_QUEUE } from './execution-queue';
import { InlineExecutionQueue } from './inline-execution-queue';

export interface QueueModuleOptions {
  /** Run executions in this process (embedded mode). */
  consume: boolean;
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
          inject: [HOOKFLOW_CONFIG, LOGGER],
          useFactory: (config: HookflowConfig, logger: Logger) =>
            new InlineExecutionQueue(config.concurrency, logger),
        },
        ...(options.consume ? [ExecutionConsumer] : []),
      ],
      exports: [EXECUTION_QUEUE],
    };
  }
}
