import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '@hookflow/common';
import { ExecutionRunner } from '@hookflow/runner';
import { ExecutionsRepository } from '@hookflow/store';
import { EXECUTION_QUEUE, type ExecutionQueue } from './execution-queue';

/** How long shutdown waits for in-flight nodes before cutting their calls short. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Feeds the queue to the runner in this process. On start it re-enqueues every execution a
 * previous process left pending or running: a 202 is a promise, kept across crashes.
 */
@Injectable()
export class ExecutionConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(EXECUTION_QUEUE) private readonly queue: ExecutionQueue,
    @Inject(ExecutionRunner) private readonly runner: ExecutionRunner,
    @Inject(ExecutionsRepository) private readonly executions: ExecutionsRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.queue.work((executionId) => this.runner.run(executionId));
    const unfinished = await this.executions.unfinishedIds();
    if (unfinished.length > 0) {
      this.logger.info({ count: unfinished.length }, 'resuming unfinished executions');
    }
    for (const executionId of unfinished) await this.queue.enqueue(executionId);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.runner.stop();
    const grace = setTimeout(() => this.runner.abortInFlight(), SHUTDOWN_GRACE_MS);
    await this.queue.close();
    clearTimeout(grace);
  }
}
