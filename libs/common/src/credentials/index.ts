export * from './credential-types';
export * from './credential-data';
