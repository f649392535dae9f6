export * from './create-app';
export * from './app.module';
export * from './metrics/metrics-listener';
export * from './accounts';
