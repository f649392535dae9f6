export * from './parse-body';
export * from './dedup-key';
