import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { HOOKFLOW_CONFIG, LOGGER, type HookflowConfig } from '@hookflow/common';
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
      inject: [HOOKFLOW_CONFIG, LOGGER],
      useFactory: (config: HookflowConfig, logger: Logger) =>
        Database.open(config.database, {
          checkpointThread: { warn: (message) => logger.warn(`SQLite checkpoint: ${message}`) },
        }),
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
