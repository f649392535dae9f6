import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { CommonModule, type HookflowConfig } from '@hookflow/common';
import { QueueModule } from '@hookflow/queue';
import { RunnerModule } from '@hookflow/runner';
import { CredentialsModule, StoreModule } from '@hookflow/store';

/** A worker: no HTTP, just the queue consumer, the runner and the database. */
@Module({})
export class WorkerModule {
  static forRoot(config: HookflowConfig, logger: Logger): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CommonModule.forRoot(config, logger),
        StoreModule,
        CredentialsModule,
        RunnerModule,
        QueueModule.forRoot({ consume: true }),
      ],
    };
  }
}
