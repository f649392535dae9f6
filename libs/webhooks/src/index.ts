export * from './parse-body';
export * from './dedup-key';
export * from './signatures';
export * from './ip-allowlist';
export * from './ip-ranges';
export type { BodyFailure } from './body/body-limits';
export { parseFormPairs } from './body/form-body';
