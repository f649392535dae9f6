export * from './keyring';
export * from './secret-box';
export * from './key-file';
export * from './encryption-config';
export * from './load-keyring';
