export * from './execution-queue';
export * from './inline-execution-queue';
export * from './bull-execution-queue';
export * from './reconciler';
export * from './execution-consumer';
export * from './queue-closer';
export * from './queue.module';
