import { execFileSync } from 'node:child_process';
import { applyHeapGrowth } from './heap-growth';

/** Old-space size (MiB) after churning through garbage that survives the young generation. */
const CHURN = `
const v8 = require('node:v8');
if (process.env.PERCENT) v8.setFlagsFromString('--heap-growing-percent=' + process.env.PERCENT);
const live = [];
for (let i = 0; i < 100_000; i += 1) live.push({ i, text: 'live ' + i });
let keep = [];
let max = 0;
for (let round = 0; round < 1000; round += 1) {
  for (let i = 0; i < 2000; i += 1) keep.push({ round, i, text: 'mid-life ' + i });
  if (keep.length > 200_000) keep = [];
  const old = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'old_space');
  max = Math.max(max, old.space_size);
}
process.stdout.write(String(Math.round(max / 1048576)));
`;

function oldSpacePeakMiB(percent?: number): number {
  const env = { ...process.env, PERCENT: percent === undefined ? '' : String(percent) };
  return Number(execFileSync(process.execPath, ['-e', CHURN], { env, encoding: 'utf8' }));
}

describe('applyHeapGrowth', () => {
  it('sets the flag unless it is 0 or node was given its own', () => {
    expect(applyHeapGrowth(0, [])).toBe(false);
    expect(applyHeapGrowth(60, ['--heap-growing-percent=200'])).toBe(false);
    expect(applyHeapGrowth(60, ['--heap_growing_percent', '200'])).toBe(false);
    expect(applyHeapGrowth(60, ['--max-semi-space-size=16'])).toBe(true);
  });

  it('takes effect when set after V8 started (the reason it is set this way)', () => {
    // Promoted garbage fills the old space up to the growth limit; a lower percent collects sooner.
    expect(oldSpacePeakMiB(10)).toBeLessThan(oldSpacePeakMiB());
  });
});
