import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { HOOKFLOW_CONFIG, LOGGER, type HookflowConfig } from '@hookflow/common';
import type { BullScheduler, BullSchedulerOptions } from './bull-scheduler';
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
  private bull?: BullScheduler;
  /** Queue mode: what the Bull scheduler is built from at bootstrap (bull loads only then). */
  private readonly bullOptions?: BullSchedulerOptions;
  private readonly log: Logger;

  constructor(
    @Inject(ScheduleTicks) private readonly ticks: ScheduleTicks,
    @Inject(SCHEDULE_OPTIONS) options: ScheduleModuleOptions,
    @Inject(HOOKFLOW_CONFIG) config: HookflowConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'schedule' });
    if (config.redisUrl) {
      this.bullOptions = {
        redisUrl: config.redisUrl,
        prefix: config.queuePrefix,
        syncMs: config.scheduleSyncMs,
        consume: options.consume,
      };
    } else if (options.consume) {
      this.timers = new TimerScheduler(ticks, { syncMs: config.scheduleSyncMs }, this.log);
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.timers?.start();
    if (this.bullOptions) {
      const { BullScheduler } = await import('./bull-scheduler');
      this.bull = new BullScheduler(this.ticks, this.bullOptions, this.log);
      await this.bull.start();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.timers?.stop();
    await this.bull?.stop();
  }
}
