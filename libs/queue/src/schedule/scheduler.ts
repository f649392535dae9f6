import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { HOOKFLOW_CONFIG, LOGGER, type HookflowConfig } from '@hookflow/common';
import { BullScheduler } from './bull-scheduler';
import { ScheduleTicks } from './schedule-ticks';
import { TimerScheduler } from './timer-scheduler';

export const SCHEDULE_OPTIONS = Symbol('SCHEDULE_OPTIONS');

export interface ScheduleModuleOptions {
  /** This process runs executions (the embedded process, or a worker). */
  consume: boolean;
}

/**
 * Starts the schedule triggers of this process. Embedded: timers here. Queue mode: one delayed
 * Bull job per next tick, planned by every process and fired by the workers. An API process in
 * queue mode only syncs, so a flow enabled through it is scheduled at once.
 */
@Injectable()
export class Scheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly timers?: TimerScheduler;
  readonly bull?: BullScheduler;

  constructor(
    @Inject(ScheduleTicks) ticks: ScheduleTicks,
    @Inject(SCHEDULE_OPTIONS) options: ScheduleModuleOptions,
    @Inject(HOOKFLOW_CONFIG) config: HookflowConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    const log = logger.child({ component: 'schedule' });
    if (config.redisUrl) {
      this.bull = new BullScheduler(
        ticks,
        {
          redisUrl: config.redisUrl,
          prefix: config.queuePrefix,
          syncMs: config.scheduleSyncMs,
          consume: options.consume,
        },
        log,
      );
    } else if (options.consume) {
      this.timers = new TimerScheduler(ticks, { syncMs: config.scheduleSyncMs }, log);
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.timers?.start();
    await this.bull?.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.timers?.stop();
    await this.bull?.stop();
  }
}
