import type { Logger } from 'pino';
import { nextTick } from '@hookflow/nodes';
import type { ScheduledFlow } from './schedule-ticks';
import { tickAfter, type TickSource } from './tick-plan';

/** setTimeout's limit (about 24.8 days); longer waits are taken in several steps. */
const MAX_TIMEOUT_MS = 2_147_483_647;

interface ArmedFlow {
  flow: ScheduledFlow;
  timer?: NodeJS.Timeout;
}

/**
 * Embedded mode: one timer per scheduled flow in this process. Each timer is set to the next
 * tick computed from the clock (never "previous + period"), so delays do not add up; it re-arms
 * after firing. A sync every few seconds arms new schedules and disarms disabled or edited ones.
 */
export class TimerScheduler {
  private readonly armed = new Map<string, ArmedFlow>();
  private syncTimer?: NodeJS.Timeout;
  private syncing?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly ticks: TickSource,
    private readonly options: { syncMs: number },
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async start(): Promise<void> {
    await this.sync();
    this.syncTimer = setInterval(() => void this.sync(), this.options.syncMs);
    this.syncTimer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.syncTimer);
    for (const entry of this.armed.values()) clearTimeout(entry.timer);
    this.armed.clear();
  }

  /** Makes the armed timers match the scheduled flows; one pass at a time. */
  sync(): Promise<void> {
    this.syncing ??= this.syncOnce().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    let flows: ScheduledFlow[];
    try {
      flows = await this.ticks.scheduledFlows();
    } catch (error) {
      this.logger.warn({ err: error }, 'schedule sync failed; will try again');
      return;
    }
    if (this.stopped) return;
    const wanted = new Map(flows.map((flow) => [flow.flowId, flow]));
    for (const [flowId, entry] of this.armed) {
      if (wanted.get(flowId)?.key !== entry.flow.key) {
        clearTimeout(entry.timer);
        this.armed.delete(flowId);
      }
    }
    for (const flow of flows) {
      const entry = this.armed.get(flow.flowId);
      if (entry) {
        entry.flow = flow;
      } else {
        const created: ArmedFlow = { flow };
        this.armed.set(flow.flowId, created);
        this.arm(created, nextTick(flow.spec, this.now()));
      }
    }
  }

  private arm(entry: ArmedFlow, at: Date | undefined): void {
    if (!at) return;
    const wait = Math.min(Math.max(at.getTime() - this.now().getTime(), 0), MAX_TIMEOUT_MS);
    entry.timer = setTimeout(() => void this.due(entry, at), wait);
    entry.timer.unref();
  }

  private async due(entry: ArmedFlow, at: Date): Promise<void> {
    if (this.armed.get(entry.flow.flowId) !== entry) return;
    const now = this.now();
    // A timer may wake a little early (or in steps, for long waits): wait for the tick itself.
    if (now.getTime() < at.getTime()) {
      const wait = Math.min(at.getTime() - now.getTime(), MAX_TIMEOUT_MS);
      entry.timer = setTimeout(() => void this.due(entry, at), wait);
      entry.timer.unref();
      return;
    }
    // Re-arm first, so a failing accept does not stop the schedule.
    this.arm(entry, tickAfter(entry.flow.spec, at, now));
    try {
      const outcome = await this.ticks.fire(entry.flow.flowId, entry.flow.key, at, now);
      this.logger.debug({ flowId: entry.flow.flowId, at, outcome }, 'schedule tick');
    } catch (error) {
      this.logger.error({ err: error, flowId: entry.flow.flowId, at }, 'schedule tick failed');
    }
  }
}
