export * from './config';
export * from './errors';
export * from './logger';
export * from './ids';
export * from './common.module';
export * from './crypto';
export * from './credentials';
