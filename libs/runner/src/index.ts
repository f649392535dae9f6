export * from './compiled-flows';
export * from './execution-runner';
export * from './execution-events';
export * from './error-flows';
export * from './guarded-http-client';
export * from './network-guard';
export * from './runner.module';
export * from './smtp-mailer';
