export * from './address-check';
export * from './dry-runner';
export * from './held-outbound';
