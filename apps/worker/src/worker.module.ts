import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { Logger } from 'pino';
import { CommonModule, type HookflowConfig } from '@hookflow/common';
import { QueueModule, ScheduleModule } from '@hookflow/queue';
import { RunnerModule } from '@hookflow/runner';
import { CredentialsModule, RetentionModule, StoreModule } from '@hookflow/store';
import { WorkerOpsListener } from './worker-ops-listener';

/** A worker: the queue consumer, the runner and the database; HTTP only for health and metrics. */
@Module({})
export class WorkerModule {
  static forRoot(config: HookflowConfig, logger: Logger): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CommonModule.forRoot(config, logger),
        StoreModule,
        RetentionModule,
        CredentialsModule,
        RunnerModule,
        QueueModule.forRoot({ consume: true }),
        ScheduleModule.forRoot({ consume: true }),
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
      ],
      providers: [WorkerOpsListener],
    };
  }
}
