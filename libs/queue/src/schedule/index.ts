export * from './schedule-ticks';
export * from './timer-scheduler';
export * from './bull-scheduler';
export * from './scheduler';
export * from './schedule.module';
export * from './tick-plan';
