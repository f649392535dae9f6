import type { RetentionConfig } from '@hookflow/common';
import type { ExecutionStatus } from '../entities/execution.entity';

/**
 * Finished runs fall in two classes with their own age limit and their own per-flow count, so a
 * busy flow's successes never push its failures out: failures are what someone comes back for.
 * Unfinished runs (pending, running, waiting) are in no class: nothing ever prunes them.
 */
export interface PruneClass {
  name: 'finished' | 'failed';
  statuses: readonly ExecutionStatus[];
  /** Runs that finished before this go. */
  finishedBefore: Date;
  /**
   * A cap, not a guarantee: at most this many of one flow's newest runs of this class are kept;
   * older ones go even while within the age limit (which applies to the kept ones too). 0: no cap.
   */
  keepPerFlow: number;
}

export function pruneClasses(config: RetentionConfig, now: Date): PruneClass[] {
  return [
    {
      name: 'finished',
      statuses: ['succeeded', 'cancelled'],
      finishedBefore: new Date(now.getTime() - config.maxAgeMs),
      keepPerFlow: config.maxPerFlow,
    },
    {
      name: 'failed',
      statuses: ['failed'],
      finishedBefore: new Date(now.getTime() - Math.max(config.failedMaxAgeMs, config.maxAgeMs)),
      keepPerFlow: config.maxPerFlow,
    },
  ];
}

/**
 * Deliveries that started no kept run (refused ones, duplicates) go after the ordinary age limit.
 * A delivery that started a run goes with that run, never before it.
 */
export function deliveriesReceivedBefore(config: RetentionConfig, now: Date): Date {
  return new Date(now.getTime() - config.maxAgeMs);
}

/** What one pruning pass removed. */
export interface PruneReport {
  executions: number;
  steps: number;
  deliveries: number;
  deliveryKeys: number;
  /** SQLite pages given back to the file system by incremental vacuum. */
  reclaimedPages: number;
  /** False when another process held the pruning lock (PostgreSQL): this pass did nothing. */
  ran: boolean;
}

export function emptyReport(): PruneReport {
  return { executions: 0, steps: 0, deliveries: 0, deliveryKeys: 0, reclaimedPages: 0, ran: true };
}
