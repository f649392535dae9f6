import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { CommonModule, type HookflowConfig } from '@hookflow/common';
import { QueueModule, ScheduleModule } from '@hookflow/queue';
import { RunnerModule } from '@hookflow/runner';
import { RetentionModule, StoreModule } from '@hookflow/store';
import { AuthModule } from './auth/auth.module';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { DryRunsModule } from './dry-runs/dry-runs.module';
import { CredentialsApiModule } from './credentials/credentials.module';
import { ExecutionsModule } from './executions/executions.module';
import { FlowsModule } from './flows/flows.module';
import { HealthModule } from './health/health.module';
import { HooksModule } from './hooks/hooks.module';
import { ImportsModule } from './imports/imports.module';
import { LiveModule } from './live/live.module';
import { MetricsModule } from './metrics/metrics.module';
import { NodeTypesModule } from './node-types/node-types.module';
import { SchemaModule } from './schema/schema.module';

export interface AppModuleOptions {
  config: HookflowConfig;
  logger: Logger;
  /** Embedded mode: run executions in this process. */
  runExecutions: boolean;
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CommonModule.forRoot(options.config, options.logger),
        StoreModule,
        RetentionModule,
        RunnerModule,
        QueueModule.forRoot({ consume: options.runExecutions }),
        ScheduleModule.forRoot({ consume: options.runExecutions }),
        AuthModule,
        FlowsModule,
        ImportsModule,
        CredentialsApiModule,
        ExecutionsModule,
        DeliveriesModule,
        DryRunsModule,
        HooksModule,
        HealthModule,
        NodeTypesModule,
        SchemaModule,
        LiveModule,
        MetricsModule,
      ],
    };
  }
}
