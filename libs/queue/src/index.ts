export * from './execution-queue';
export * from './inline-execution-queue';
// Types only: the Bull adapter (and bull, ioredis with it) loads when queue mode starts it.
export type { BullExecutionQueue, BullQueueOptions } from './bull-execution-queue';
export * from './reconciler';
export * from './execution-consumer';
export * from './queue-closer';
export * from './queue.module';
export * from './schedule';
export * from './health';
export * from './redis-change-relay';
