import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER, newId, redactHeaders, sha256Hex } from '@hookflow/common';
import { startRun, type CompiledFlow, type TriggerData } from '@hookflow/engine';
import { EXECUTION_QUEUE, type ExecutionQueue } from '@hookflow/queue';
import { CompiledFlows } from '@hookflow/runner';
import {
  DeliveriesRepository,
  DuplicateDelivery,
  ExecutionsRepository,
  FlowsRepository,
  type DedupKey,
} from '@hookflow/store';
import { autoDedupKey, parseBody } from '@hookflow/webhooks';

interface DedupSettings {
  mode: 'auto' | 'expression' | 'off';
  expression?: string;
  windowHours: number;
}
import { errorBody } from '../errors/error-body';

export interface IncomingDelivery {
  hookId: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  /** Undefined when the request was refused before its body was read (e.g. too large). */
  rawBody?: Buffer;
  sizeBytes: number;
  receivedAt: Date;
}

export interface IntakeAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Unknown and disabled hooks answer alike, so a URL's existence cannot be probed. */
const HOOK_NOT_FOUND = errorBody(404, 'no active hook at this URL', [], 'hook_not_found');

/**
 * The webhook intake: persist the delivery and a pending execution in one transaction, hand the
 * execution id to the queue, answer 202. Every refused delivery is logged with its reason.
 */
@Injectable()
export class HookIntakeService {
  constructor(
    @Inject(FlowsRepository) private readonly flows: FlowsRepository,
    @Inject(ExecutionsRepository) private readonly executions: ExecutionsRepository,
    @Inject(DeliveriesRepository) private readonly deliveries: DeliveriesRepository,
    @Inject(CompiledFlows) private readonly compiled: CompiledFlows,
    @Inject(EXECUTION_QUEUE) private readonly queue: ExecutionQueue,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async receive(delivery: IncomingDelivery): Promise<IntakeAnswer> {
    const target = await this.flows.findHookTarget(delivery.hookId);
    if (!target || !target.flow.enabled) {
      const reason = target ? 'flow is disabled' : 'unknown hook';
      return this.reject(delivery, target?.flow.id ?? null, 404, reason, HOOK_NOT_FOUND);
    }
    const flowId = target.flow.id;
    if (delivery.method !== 'POST') {
      const reason = `method ${delivery.method} is not accepted: use POST`;
      return this.reject(delivery, flowId, 405, reason, errorBody(405, reason), { allow: 'POST' });
    }
    const parsed = parseBody(delivery.headers['content-type'], delivery.rawBody ?? Buffer.alloc(0));
    if (!parsed.ok) {
      const body = errorBody(parsed.status, parsed.reason, [
        { path: '/body', message: parsed.reason },
      ]);
      return this.reject(delivery, flowId, parsed.status, parsed.reason, body);
    }
    const flow = await this.compiled.load(target.flow.currentVersionId);
    if (!flow || flow.triggerId !== target.hook.nodeId) {
      const reason = 'the trigger node of this hook is no longer in the flow';
      return this.reject(delivery, flowId, 404, reason, HOOK_NOT_FOUND);
    }

    const executionId = newId();
    const headers = redactHeaders(delivery.headers);
    const trigger: TriggerData = {
      method: delivery.method,
      path: delivery.path,
      headers,
      query: delivery.query,
      body: parsed.body,
      receivedAt: delivery.receivedAt.toISOString(),
    };
    const state = startRun(flow, trigger, {
      id: executionId,
      flowId,
      versionId: target.flow.currentVersionId,
      attempt: 0,
    });
    const dedup = await this.dedupKey(flow, trigger, delivery.receivedAt);
    if (dedup === 'invalid') {
      const reason = 'the dedup expression of this trigger failed on this request';
      return this.reject(delivery, flowId, 400, reason, errorBody(400, reason));
    }
    const deliveryRow = { ...this.deliveryRow(delivery, flowId, 202, null), headers };
    try {
      await this.executions.acceptDelivery({
        delivery: deliveryRow,
        dedup,
        execution: {
          id: executionId,
          flowId,
          flowVersionId: target.flow.currentVersionId,
          status: 'pending',
          state,
          error: null,
          attempt: 0,
          createdAt: delivery.receivedAt,
          startedAt: null,
          finishedAt: null,
        },
      });
    } catch (error) {
      if (!(error instanceof DuplicateDelivery)) throw error;
      // A retry of a delivery we already have: same answer, no second run.
      await this.deliveries
        .logRejected({
          ...deliveryRow,
          reason: 'duplicate of an earlier delivery',
          executionId: error.executionId,
        })
        .catch((logError: unknown) => this.logger.error({ err: logError }, 'delivery log failed'));
      return { status: 202, body: { executionId: error.executionId, duplicate: true } };
    }
    // Not awaited: the row is committed, so the run happens even if this add is lost (the
    // reconciler re-enqueues it); a slow Redis must not slow down the answer.
    this.queue.enqueue(executionId).catch((error: unknown) => {
      this.logger.warn({ err: error, executionId }, 'enqueue failed; the reconciler will retry');
    });
    return { status: 202, body: { executionId } };
  }

  /** The dedup key of this delivery per the trigger's settings, with its expiry. */
  private async dedupKey(
    flow: CompiledFlow,
    trigger: TriggerData,
    receivedAt: Date,
  ): Promise<DedupKey | undefined | 'invalid'> {
    const settings = flow.nodes.get(flow.triggerId)?.params.dedup as DedupSettings | undefined;
    if (!settings || settings.mode === 'off') return undefined;
    let key: string | undefined;
    if (settings.mode === 'expression' && settings.expression) {
      try {
        const value = await flow.expressions.jsonata(settings.expression).evaluate(
          {
            method: trigger.method,
            headers: trigger.headers,
            query: trigger.query,
            body: trigger.body,
          },
          { trigger, nodes: {}, execution: {} },
        );
        key =
          value === null || value === ''
            ? undefined
            : `expr:${typeof value === 'string' ? value : JSON.stringify(value)}`;
      } catch {
        return 'invalid';
      }
    } else {
      key = autoDedupKey(trigger.headers, trigger.body);
    }
    if (key === undefined) return undefined;
    // Keys are bounded in the table; long ones are hashed (still unique in practice).
    const stored = key.length <= 255 ? key : `sha256:${sha256Hex(key)}`;
    return {
      key: stored,
      expiresAt: new Date(receivedAt.getTime() + settings.windowHours * 3_600_000),
    };
  }

  /** Logs a refused delivery; a failure to log never changes the answer. */
  async reject(
    delivery: IncomingDelivery,
    flowId: string | null,
    status: number,
    reason: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<IntakeAnswer> {
    try {
      await this.deliveries.logRejected({
        ...this.deliveryRow(delivery, flowId, status, reason),
        executionId: null,
      });
    } catch (error) {
      this.logger.error(
        { err: error, hookId: delivery.hookId },
        'could not log a refused delivery',
      );
    }
    this.logger.info({ hookId: delivery.hookId, status, reason }, 'delivery refused');
    return { status, body, headers };
  }

  private deliveryRow(
    delivery: IncomingDelivery,
    flowId: string | null,
    status: number,
    reason: string | null,
  ) {
    return {
      id: newId(),
      hookId: delivery.hookId.slice(0, 64),
      flowId,
      receivedAt: delivery.receivedAt,
      method: delivery.method.slice(0, 10),
      headers: redactHeaders(delivery.headers),
      query: delivery.query,
      contentType: delivery.headers['content-type']?.slice(0, 200) ?? null,
      sizeBytes: delivery.sizeBytes,
      body: delivery.rawBody ? delivery.rawBody.toString('utf8') : null,
      status,
      reason: reason?.slice(0, 500) ?? null,
    };
  }
}
