export * from './schedule-ticks';
export * from './timer-scheduler';
// Types only: bull loads when queue mode starts the scheduler (see Scheduler).
export type { BullScheduler, BullSchedulerOptions, TickJob } from './bull-scheduler';
export * from './scheduler';
export * from './schedule.module';
export * from './tick-plan';
