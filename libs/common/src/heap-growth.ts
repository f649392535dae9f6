import { setFlagsFromString } from 'node:v8';

const OWN_FLAG = /^--heap[-_]growing[-_]percent(=|$)/;

/**
 * Sets V8's --heap-growing-percent for this process (HOOKFLOW_HEAP_GROWTH_PERCENT). V8 reads it at
 * every full collection, so setting it after start works where heap size flags would not: it
 * applies to `npm start`, `node dist/src/main.js`, the worker and the CLI alike. A
 * `--heap-growing-percent` given to node itself wins; 0 leaves V8's own heuristic. Returns
 * whether the flag was set.
 */
export function applyHeapGrowth(
  percent: number,
  execArgv: readonly string[] = process.execArgv,
): boolean {
  if (percent <= 0 || execArgv.some((arg) => OWN_FLAG.test(arg))) return false;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
  return true;
}
