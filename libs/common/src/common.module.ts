import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import type { Logger } from 'pino';
import { ChangeFeed } from './change-feed';
import { HOOKFLOW_CONFIG, type HookflowConfig } from './config';
import { LOGGER } from './logger';
import { HookflowMetrics } from './metrics';

/** Provides the validated configuration and the logger to every module. */
@Global()
@Module({})
export class CommonModule {
  static forRoot(config: HookflowConfig, logger: Logger): DynamicModule {
    return {
      module: CommonModule,
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ hookflow: config })] }),
      ],
      providers: [
        { provide: HOOKFLOW_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        // One registry per application instance (tests boot several apps in one process).
        { provide: HookflowMetrics, useFactory: () => new HookflowMetrics() },
        { provide: ChangeFeed, useFactory: () => new ChangeFeed() },
      ],
      exports: [HOOKFLOW_CONFIG, LOGGER, HookflowMetrics, ChangeFeed],
    };
  }
}
