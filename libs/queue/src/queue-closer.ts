import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { EXECUTION_QUEUE, type ExecutionQueue } from './execution-queue';

/** In a process that only produces (the API in queue mode), closes the queue connection. */
@Injectable()
export class QueueCloser implements OnApplicationShutdown {
  constructor(@Inject(EXECUTION_QUEUE) private readonly queue: ExecutionQueue) {}

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}
