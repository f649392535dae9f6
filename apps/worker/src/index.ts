export * from './create-worker';
export * from './worker.module';
export { runWorker } from './main';
