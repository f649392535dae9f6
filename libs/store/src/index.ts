export * from './entities';
export * from './migrations';
export * from './database';
export * from './flows.repository';
export * from './executions.repository';
export * from './deliveries.repository';
export * from './api-keys.repository';
export * from './store.module';
