import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { HOOKFLOW_CONFIG, type HookflowConfig } from '@hookflow/common';
import { ApiKeysRepository } from './api-keys.repository';
import { Database } from './database';
import { DatabaseOutage } from './database-outage';
import { DeliveriesRepository } from './deliveries.repository';
import { DryRunsRepository } from './dry-runs.repository';
import { ExecutionsRepository } from './executions.repository';
import { FlowsRepository } from './flows.repository';

const REPOSITORIES = [
  FlowsRepository,
  ExecutionsRepository,
  DeliveriesRepository,
  ApiKeysRepository,
  DryRunsRepository,
];

/** Opens the database (running migrations) once and provides the repositories. */
@Global()
@Module({
  providers: [
    {
      provide: Database,
      inject: [HOOKFLOW_CONFIG],
      useFactory: (config: HookflowConfig) => Database.open(config.database),
    },
    DatabaseOutage,
    ...REPOSITORIES,
  ],
  exports: [Database, DatabaseOutage, ...REPOSITORIES],
})
export class StoreModule implements OnApplicationShutdown {
  constructor(@Inject(Database) private readonly database: Database) {}

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}
