import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppError, LOGGER, notFound } from '@hookflow/common';
import type { CompiledFlow, JsonValue } from '@hookflow/engine';
import { CompiledFlows } from '@hookflow/runner';
import {
  DeliveriesRepository,
  ExecutionsRepository,
  FlowsRepository,
  type DeliveryEntity,
  type HookTarget,
} from '@hookflow/store';
import { HookIntakeService, type IncomingDelivery } from '../hooks/hook-intake.service';
import { IntakeGate } from '../hooks/intake-gate';
import { readStoredBody } from './stored-body';
import { triggerBodyOptions } from '../hooks/trigger-settings';
import type { ParseBodyOptions } from '@hookflow/webhooks';
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
 * Replays a logged delivery through the intake's own accept path (HookIntakeService.accept): a
 * new delivery row (a copy, linked by `replayOf`; a JSON body stored once) and a new pending
 * execution in one write, counted by the intake gate and the metrics, then run. It passes the
 * intake gate first (503 when overloaded). Never deduplicated: a replay is a deliberate request
 * for another run.
 */
@Injectable()
export class DeliveryReplayService {
  constructor(
    @Inject(DeliveriesRepository) private readonly deliveries: DeliveriesRepository,
    @Inject(FlowsRepository) private readonly flows: FlowsRepository,
    @Inject(ExecutionsRepository) private readonly executions: ExecutionsRepository,
    @Inject(CompiledFlows) private readonly compiled: CompiledFlows,
    @Inject(HookIntakeService) private readonly intake: HookIntakeService,
    @Inject(IntakeGate) private readonly gate: IntakeGate,
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
    const parsed = parseStoredBody(original, triggerBodyOptions(flow));
    // The same gate as a webhook: a replay is a run the backlog has to hold.
    const verdict = await this.gate.enter();
    if (!verdict.ok) throw new AppError(503, 'overloaded', verdict.message);
    try {
      const receivedAt = new Date();
      // The stored headers were redacted at intake: the run sees the same headers the log shows.
      const delivery: IncomingDelivery = {
        hookId: original.hookId,
        method: original.method,
        path: `/hooks/${original.hookId}`,
        headers: original.headers,
        query: original.query,
        sizeBytes: original.sizeBytes,
        receivedAt,
      };
      // The bytes readStoredBody made of the stored text, when they are the JSON as sent: one copy.
      if (original.body !== null) {
        delivery.rawBody = parsed.source ?? Buffer.from(original.body, 'utf8');
      }
      const accepted = await this.intake.accept({
        delivery,
        flowId: target.flow.id,
        versionId,
        flow,
        trigger: {
          method: original.method,
          path: delivery.path,
          headers: original.headers,
          query: original.query,
          body: parsed.body,
          receivedAt: receivedAt.toISOString(),
        },
        bodySource: parsed.source,
        awaitOutcome: false,
        replayOf: original.id,
      });
      this.logger.info(
        {
          deliveryId: accepted.deliveryId,
          replayOf: original.id,
          executionId: accepted.executionId,
          version,
        },
        'delivery replayed',
      );
      return { executionId: accepted.executionId, deliveryId: accepted.deliveryId };
    } finally {
      verdict.leave();
    }
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

/** The stored body as the intake read it, or a 409 saying why it cannot be read again. */
function parseStoredBody(
  delivery: DeliveryEntity,
  options: ParseBodyOptions,
): { body: JsonValue; source?: Buffer } {
  const stored = readStoredBody(delivery, options);
  if (!stored.ok) throw cannotReplay(stored.code, stored.reason, '/body');
  return stored;
}
