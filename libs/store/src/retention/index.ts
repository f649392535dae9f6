export * from './retention-rules';
export * from './retention.repository';
export * from './retention.service';
export * from './retention.module';
