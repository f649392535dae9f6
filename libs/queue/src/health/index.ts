export * from './readiness-checks';
