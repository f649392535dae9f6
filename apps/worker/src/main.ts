import 'reflect-metadata';
import { applyHeapGrowth, ConfigError, createLogger, loadConfig } from '@hookflow/common';
import { createWorker } from './create-worker';
import { WorkerOpsListener } from './worker-ops-listener';

/** `npm run start:worker` / `hookflow worker`: one worker process of the scale-out mode. */
export async function runWorker(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`hookflow worker: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  if (!config.redisUrl) {
    process.stderr.write(
      'hookflow worker: REDIS_URL is not set. Workers consume the Redis queue of the scale-out ' +
        'mode (REDIS_URL + DATABASE_URL=postgres://...); the embedded mode needs no worker.\n',
    );
    process.exit(1);
  }
  applyHeapGrowth(config.heapGrowthPercent);
  const logger = createLogger(config.logLevel);
  const worker = await createWorker(config, logger);
  logger.info({ concurrency: config.workerConcurrency }, 'hookflow worker started');
  const opsPort = worker.get(WorkerOpsListener).port;
  const ops = config.workerListener
    ? `, health and metrics on http://${config.workerListener.host}:${opsPort}`
    : '';
  process.stdout.write(
    `hookflow worker: started, ${config.workerConcurrency} runs at once, queue ${config.queuePrefix}${ops}\n`,
  );
}

if (require.main === module) {
  runWorker().catch((error: unknown) => {
    process.stderr.write(
      `hookflow worker: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
