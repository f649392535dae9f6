export * from './users.repository';
export * from './sessions.repository';
export * from './audit-log.repository';
