import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppError, LOGGER, newId, notFound } from '@hookflow/common';
import { startRun, type CompiledFlow, type JsonValue, type TriggerData } from '@hookflow/engine';
import { EXECUTION_QUEUE, type ExecutionQueue } from '@hookflow/queue';
import { CompiledFlows } from '@hookflow/runner';
import {
  DeliveriesRepository,
  ExecutionsRepository,
  FlowsRepository,
  type DeliveryEntity,
  type HookTarget,
} from '@hookflow/store';
import type { ParseBodyOptions } from '@hookflow/webhooks';
import { readRequestBody } from '../hooks/read-body';
import { triggerBodyOptions } from '../hooks/trigger-settings';
import type { ReplayVersion } from './dto/replay-delivery.dto';

export interface ReplayAccepted {
  /** The new pending execution. */
  executionId: string;
  /** The new delivery row, whose `replayOf` is the replayed delivery. */
  deliveryId: string;
}

/** Refusals for the sender's authentication (signature, token, basic auth) or address. */
const SENDER_REFUSALS: ReadonlySet<number> = new Set([401, 403]);

const cannotReplay = (code: string, message: string, path = '/'): AppError =>
  new AppError(409, code, `cannot replay this delivery: ${message}`, [{ path, message }]);

/**
 * Replays a logged delivery: a new delivery row (a copy, linked by `replayOf`) and a new pending
 * execution, written together like the intake's, then queued. Never deduplicated: a replay is a
 * deliberate request for another run.
 */
@Injectable()
export class DeliveryReplayService {
  constructor(
    @Inject(DeliveriesRepository) private readonly deliveries: DeliveriesRepository,
    @Inject(FlowsRepository) private readonly flows: FlowsRepository,
    @Inject(ExecutionsRepository) private readonly executions: ExecutionsRepository,
    @Inject(CompiledFlows) private readonly compiled: CompiledFlows,
    @Inject(EXECUTION_QUEUE) private readonly queue: ExecutionQueue,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async replay(deliveryId: string, version: ReplayVersion): Promise<ReplayAccepted> {
    const original = await this.deliveries.get(deliveryId);
    if (!original) throw notFound('delivery');
    if (SENDER_REFUSALS.has(original.status)) {
      // Its signature, token or address did not check out: the payload may be forged.
      throw cannotReplay(
        'sender_not_verified',
        `it was refused with ${original.status} because its sender was not verified`,
        '/status',
      );
    }
    const target = await this.flowOf(original);
    const versionId =
      version === 'current' ? target.flow.currentVersionId : await this.originalVersionId(original);
    const flow = await this.compile(versionId);
    if (flow.triggerId !== target.hook.nodeId) {
      throw cannotReplay(
        'trigger_removed',
        'the trigger node of its hook is not in this version of the flow',
        '/version',
      );
    }
    const body = parseStoredBody(original, triggerBodyOptions(flow));

    const receivedAt = new Date();
    const executionId = newId();
    const replay: Omit<DeliveryEntity, 'executionId'> = {
      id: newId(),
      hookId: original.hookId,
      flowId: target.flow.id,
      receivedAt,
      method: original.method,
      headers: original.headers,
      query: original.query,
      contentType: original.contentType,
      sizeBytes: original.sizeBytes,
      body: original.body,
      status: 202,
      reason: null,
      replayOf: original.id,
    };
    // The stored headers were redacted at intake: the run sees the same headers the log shows.
    const trigger: TriggerData = {
      method: original.method,
      path: `/hooks/${original.hookId}`,
      headers: original.headers,
      query: original.query,
      body,
      receivedAt: receivedAt.toISOString(),
    };
    const state = startRun(flow, trigger, {
      id: executionId,
      flowId: target.flow.id,
      versionId,
      attempt: 0,
    });
    await this.executions.acceptDelivery({
      delivery: replay,
      execution: {
        id: executionId,
        flowId: target.flow.id,
        flowVersionId: versionId,
        status: 'pending',
        state,
        error: null,
        attempt: 0,
        createdAt: receivedAt,
        startedAt: null,
        finishedAt: null,
      },
    });
    // The rows are committed: a lost enqueue delays the run (recovery, reconciler), never loses it.
    await this.queue.enqueue(executionId).catch((error: unknown) => {
      this.logger.warn(
        { err: error, executionId },
        'enqueue of a replay failed; it will be retried',
      );
    });
    this.logger.info(
      { deliveryId: replay.id, replayOf: original.id, executionId, version },
      'delivery replayed',
    );
    return { executionId, deliveryId: replay.id };
  }

  /** The hook and flow the delivery was for, if the flow still exists. */
  private async flowOf(delivery: DeliveryEntity): Promise<HookTarget> {
    if (delivery.flowId === null) {
      throw cannotReplay('no_flow', 'it was sent to an unknown hook', '/flowId');
    }
    const target = await this.flows.findHookTarget(delivery.hookId);
    if (!target || target.flow.id !== delivery.flowId) {
      throw cannotReplay('flow_deleted', 'its flow has been deleted', '/flowId');
    }
    return target;
  }

  /** The flow version the original delivery's execution ran. */
  private async originalVersionId(delivery: DeliveryEntity): Promise<string> {
    if (delivery.executionId === null) {
      throw cannotReplay(
        'no_original_execution',
        `it was refused (${delivery.status}), so there is no original version; ` +
          'replay it against the current version',
        '/version',
      );
    }
    const versionId = await this.executions.versionOf(delivery.executionId);
    if (versionId === undefined) {
      throw cannotReplay(
        'no_original_execution',
        'its execution no longer exists; replay it against the current version',
        '/version',
      );
    }
    return versionId;
  }

  private async compile(versionId: string): Promise<CompiledFlow> {
    let flow: CompiledFlow | undefined;
    try {
      flow = await this.compiled.load(versionId);
    } catch (error) {
      this.logger.warn({ err: error, versionId }, 'replay: flow version does not compile');
      throw cannotReplay('version_invalid', 'that flow version no longer compiles', '/version');
    }
    if (!flow) {
      throw cannotReplay('version_missing', 'that flow version no longer exists', '/version');
    }
    return flow;
  }
}

/**
 * The stored body read the way the intake reads a request (readRequestBody), or a 409 saying why
 * it cannot be.
 */
function parseStoredBody(delivery: DeliveryEntity, options: ParseBodyOptions): JsonValue {
  const parsed = readRequestBody({
    method: delivery.method,
    contentType: delivery.contentType ?? undefined,
    raw: Buffer.from(delivery.body ?? '', 'utf8'),
    query: delivery.query,
    options,
  });
  // A body refused before it was read (e.g. 413) is gone; only a body-less GET/DELETE reads fine.
  if (delivery.body === null && !(parsed.ok && parsed.body === delivery.query)) {
    throw cannotReplay(
      'body_not_stored',
      `its body was not stored (answered ${delivery.status} before the body was read)`,
      '/body',
    );
  }
  if (!parsed.ok) throw cannotReplay('body_unreadable', parsed.reason, '/body');
  return parsed.body;
}
