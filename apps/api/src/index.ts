export * from './create-app';
export * from './app.module';
export * from './metrics/metrics-listener';
export * from './accounts';
export type { DryRunDeliveryView, DryRunView } from './dry-runs/dry-run.presenter';
