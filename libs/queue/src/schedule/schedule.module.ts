import { Module, type DynamicModule } from '@nestjs/common';
import { SchedulesRepository } from '@hookflow/store';
import { ScheduleTicks } from './schedule-ticks';
import { SCHEDULE_OPTIONS, Scheduler, type ScheduleModuleOptions } from './scheduler';

/** The schedule trigger (`trigger.schedule`): timers (embedded) or delayed Bull tick jobs (queue). */
@Module({})
export class ScheduleModule {
  static forRoot(options: ScheduleModuleOptions): DynamicModule {
    return {
      module: ScheduleModule,
      providers: [
        SchedulesRepository,
        ScheduleTicks,
        { provide: SCHEDULE_OPTIONS, useValue: options },
        Scheduler,
      ],
      exports: [ScheduleTicks, Scheduler],
    };
  }
}
