import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER, newId } from '@hookflow/common';
import { startRun, type JsonObject, type TriggerData } from '@hookflow/engine';
import { scheduleKey, scheduleOf, type ScheduleSpec } from '@hookflow/nodes';
import { CompiledFlows } from '@hookflow/runner';
import {
  DuplicateDelivery,
  ExecutionsRepository,
  SchedulesRepository,
  type ScheduledFlowRow,
} from '@hookflow/store';
import { EXECUTION_QUEUE, type ExecutionQueue } from '../execution-queue';

/** An enabled flow that starts on a schedule, as the schedulers keep it. */
export interface ScheduledFlow {
  flowId: string;
  versionId: string;
  spec: ScheduleSpec;
  /** Equal keys tick at the same instants (see scheduleKey). */
  key: string;
}

/** A tick's dedup key outlives any repeat of it (a stalled job, a second scheduler). */
const TICK_KEY_TTL_MS = 7 * 86_400_000;
/** Logged as the delivery's hook when the trigger has no hook row (should not happen). */
const NO_HOOK = 'schedule';

export type TickOutcome = 'accepted' | 'duplicate' | 'skipped';

/**
 * Turns a schedule tick into a pending execution, through the same write as a webhook delivery
 * (a delivery row with the tick as its body, the execution, and a dedup key), so it shows in the
 * runs and deliveries lists and survives a crash. The dedup key is the tick's instant: however
 * many processes fire one tick, one execution is created.
 */
@Injectable()
export class ScheduleTicks {
  constructor(
    @Inject(SchedulesRepository) private readonly schedules: SchedulesRepository,
    @Inject(CompiledFlows) private readonly compiled: CompiledFlows,
    @Inject(ExecutionsRepository) private readonly executions: ExecutionsRepository,
    @Inject(EXECUTION_QUEUE) private readonly queue: ExecutionQueue,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Every enabled flow whose current version has a valid schedule trigger. */
  async scheduledFlows(): Promise<ScheduledFlow[]> {
    const rows = await this.schedules.scheduledFlows();
    return rows.flatMap((row) => {
      const found = this.scheduleOfRow(row);
      return found ? [found.flow] : [];
    });
  }

  /**
   * Accepts the tick at `scheduledAt` of the flow, if the flow is still enabled and still ticks
   * on the schedule `key` (a disabled or edited flow's stale timer or job does nothing).
   */
  async fire(
    flowId: string,
    key: string,
    scheduledAt: Date,
    firedAt = new Date(),
  ): Promise<TickOutcome> {
    const [row] = await this.schedules.scheduledFlows(flowId);
    const found = row ? this.scheduleOfRow(row) : undefined;
    if (!row || !found || found.flow.key !== key) return 'skipped';
    const executionId = newId();
    const body: JsonObject = {
      scheduledAt: scheduledAt.toISOString(),
      firedAt: firedAt.toISOString(),
      ...found.params,
    };
    const text = JSON.stringify(body);
    const trigger: TriggerData = {
      method: 'SCHEDULE',
      path: `/schedule/${flowId}`,
      headers: {},
      query: {},
      body,
      receivedAt: firedAt.toISOString(),
    };
    const compiled = this.compiled.compile(row.versionId, row.document);
    try {
      await this.executions.acceptDelivery({
        delivery: {
          id: newId(),
          hookId: row.hookId ?? NO_HOOK,
          flowId,
          receivedAt: firedAt,
          method: 'SCHEDULE',
          headers: {},
          query: {},
          contentType: 'application/json',
          sizeBytes: Buffer.byteLength(text),
          body: text,
          status: 202,
          reason: null,
          replayOf: null,
        },
        dedup: {
          key: `schedule:${scheduledAt.toISOString()}`,
          expiresAt: new Date(scheduledAt.getTime() + TICK_KEY_TTL_MS),
        },
        execution: {
          id: executionId,
          flowId,
          flowVersionId: row.versionId,
          status: 'pending',
          state: startRun(compiled, trigger, {
            id: executionId,
            flowId,
            versionId: row.versionId,
            attempt: 0,
          }),
          error: null,
          attempt: 0,
          createdAt: firedAt,
          startedAt: null,
          finishedAt: null,
        },
      });
    } catch (error) {
      if (error instanceof DuplicateDelivery) return 'duplicate';
      throw error;
    }
    // The rows are committed: a lost enqueue delays the run (recovery, reconciler), never loses it.
    await this.queue.enqueue(executionId).catch((error: unknown) => {
      this.logger.warn({ err: error, executionId }, 'enqueue of a schedule tick failed');
    });
    return 'accepted';
  }

  private scheduleOfRow(
    row: ScheduledFlowRow,
  ): { flow: ScheduledFlow; params: JsonObject } | undefined {
    let compiled;
    try {
      compiled = this.compiled.compile(row.versionId, row.document);
    } catch (error) {
      this.logger.warn({ err: error, flowId: row.flowId }, 'scheduled flow does not compile');
      return undefined;
    }
    const trigger = compiled.nodes.get(compiled.triggerId);
    if (!trigger || trigger.nodeType.type !== 'trigger.schedule') return undefined;
    const spec = scheduleOf(trigger.params);
    if (!spec) return undefined;
    return {
      flow: { flowId: row.flowId, versionId: row.versionId, spec, key: scheduleKey(spec) },
      params: trigger.params,
    };
  }
}
