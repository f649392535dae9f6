export * from './create-worker';
export * from './worker.module';
export * from './worker-ops-listener';
export { runWorker } from './main';
