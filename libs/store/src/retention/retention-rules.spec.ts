import type { RetentionConfig } from '@hookflow/common';
import { UNFINISHED_STATUSES } from '../entities/execution.entity';
import { deliveriesReceivedBefore, pruneClasses } from './retention-rules';

const DAY = 86_400_000;
const config: RetentionConfig = {
  maxAgeMs: 14 * DAY,
  failedMaxAgeMs: 30 * DAY,
  maxPerFlow: 10_000,
  intervalMs: 300_000,
  batchSize: 500,
};
const now = new Date('2025-06-30T12:00:00.000Z');

describe('pruneClasses', () => {
  it('prunes succeeded and cancelled runs after the ordinary age', () => {
    const finished = pruneClasses(config, now).find((entry) => entry.name === 'finished');
    expect(finished?.statuses).toEqual(['succeeded', 'cancelled']);
    expect(finished?.finishedBefore.toISOString()).toBe('2025-06-16T12:00:00.000Z');
  });

  it('keeps failed runs longer', () => {
    const failed = pruneClasses(config, now).find((entry) => entry.name === 'failed');
    expect(failed?.statuses).toEqual(['failed']);
    expect(failed?.finishedBefore.toISOString()).toBe('2025-05-31T12:00:00.000Z');
  });

  it('never keeps failed runs shorter than the others', () => {
    const classes = pruneClasses({ ...config, failedMaxAgeMs: DAY }, now);
    const [finished, failed] = classes;
    expect(failed.finishedBefore.getTime()).toBe(finished.finishedBefore.getTime());
  });

  it('caps each class per flow at HOOKFLOW_RETENTION_MAX_PER_FLOW (the pruner reads keepPerFlow)', () => {
    const capped = pruneClasses({ ...config, maxPerFlow: 25 }, now);
    expect(capped.map((entry) => [entry.name, entry.keepPerFlow])).toEqual([
      ['finished', 25],
      ['failed', 25],
    ]);
    const uncapped = pruneClasses({ ...config, maxPerFlow: 0 }, now);
    expect(uncapped.map((entry) => entry.keepPerFlow)).toEqual([0, 0]);
  });

  it('never selects an unfinished run', () => {
    const pruned = pruneClasses(config, now).flatMap((entry) => entry.statuses);
    for (const status of UNFINISHED_STATUSES) expect(pruned).not.toContain(status);
  });
});

describe('deliveriesReceivedBefore', () => {
  it('uses the ordinary age', () => {
    expect(deliveriesReceivedBefore(config, now).toISOString()).toBe('2025-06-16T12:00:00.000Z');
  });
});
