export * from './execution-queue';
export * from './inline-execution-queue';
export * from './execution-consumer';
export * from './queue.module';
