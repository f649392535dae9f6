import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { Logger } from 'pino';
import { PinoNestLogger, type HookflowConfig } from '@hookflow/common';
import { WorkerModule } from './worker.module';

/** Starts a worker (queue mode): consumes execution ids from Redis until closed. */
export async function createWorker(
  config: HookflowConfig,
  logger: Logger,
): Promise<INestApplicationContext> {
  if (!config.redisUrl) {
    throw new Error(
      'a worker needs REDIS_URL (queue mode); without it, `npm start` runs everything',
    );
  }
  const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, logger), {
    logger: new PinoNestLogger(logger.child({ component: 'nest' })),
    abortOnError: false,
  });
  worker.enableShutdownHooks();
  await worker.init();
  return worker;
}
