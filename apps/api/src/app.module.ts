import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { CommonModule, type HookflowConfig } from '@hookflow/common';
import { QueueModule } from '@hookflow/queue';
import { RunnerModule } from '@hookflow/runner';
import { StoreModule } from '@hookflow/store';
import { AuthModule } from './auth/auth.module';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { CredentialsApiModule } from './credentials/credentials.module';
import { ExecutionsModule } from './executions/executions.module';
import { FlowsModule } from './flows/flows.module';
import { HealthModule } from './health/health.module';
import { HooksModule } from './hooks/hooks.module';
import { LiveModule } from './live/live.module';
import { NodeTypesModule } from './node-types/node-types.module';

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
        RunnerModule,
        QueueModule.forRoot({ consume: options.runExecutions }),
        AuthModule,
        FlowsModule,
        CredentialsApiModule,
        ExecutionsModule,
        DeliveriesModule,
        HooksModule,
        HealthModule,
        NodeTypesModule,
        LiveModule,
      ],
    };
  }
}
