import { nextTick, type ScheduleSpec } from '@hookflow/nodes';
import type { ScheduleTicks } from './schedule-ticks';

/**
 * What the schedulers need of ScheduleTicks: the scheduled flows and the accept of one tick.
 * Both modes compute tick instants with the same function (`nextTick`, croner for cron
 * patterns), so a pattern ticks at the same instants embedded and in queue mode.
 */
export type TickSource = Pick<ScheduleTicks, 'scheduledFlows' | 'fire'>;

/** Ticks missed by less than this (a busy event loop, a worker restart) still chain on. */
export const CATCH_UP_MS = 60_000;

/**
 * The tick to plan once the tick `at` is due at `now`: the next one after the tick (not after
 * now, so a late wake-up does not skip one), or, after a long stall (a suspended host, workers
 * down), the next one after now, so missed ticks are skipped instead of fired in a burst.
 */
export function tickAfter(spec: ScheduleSpec, at: Date, now: Date): Date | undefined {
  return nextTick(spec, now.getTime() - at.getTime() > CATCH_UP_MS ? now : at);
}
