import { Inject, Injectable } from '@nestjs/common';
import { AppError, notFound } from '@hookflow/common';
import {
  ExecutionsRepository,
  FlowsRepository,
  type ExecutionEntity,
  type ExecutionStepEntity,
} from '@hookflow/store';
import type { ExecutionListQueryDto } from '../common/list-query.dto';

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

function presentSummary(execution: ExecutionEntity, versions: Map<string, number>) {
  return {
    id: execution.id,
    flowId: execution.flowId,
    flowVersionId: execution.flowVersionId,
    /** The number of the flow version it ran (null: that version is gone with its flow). */
    flowVersion: versions.get(execution.flowVersionId) ?? null,
    deliveryId: execution.deliveryId,
    status: execution.status,
    attempt: execution.attempt,
    error: execution.error,
    /** When a waiting run (delay, retry backoff) is due. */
    runAfter: iso(execution.runAfter),
    createdAt: iso(execution.createdAt),
    startedAt: iso(execution.startedAt),
    finishedAt: iso(execution.finishedAt),
  };
}

function presentStep(step: ExecutionStepEntity) {
  return {
    seq: step.seq,
    nodeId: step.nodeId,
    nodeType: step.nodeType,
    status: step.status,
    attempt: step.attempt,
    port: step.port,
    input: step.input,
    output: step.output,
    error: step.error,
    startedAt: iso(step.startedAt),
    finishedAt: iso(step.finishedAt),
    durationMs: step.finishedAt.getTime() - step.startedAt.getTime(),
  };
}

@Injectable()
export class ExecutionsService {
  constructor(
    @Inject(ExecutionsRepository) private readonly executions: ExecutionsRepository,
    @Inject(FlowsRepository) private readonly flows: FlowsRepository,
  ) {}

  async list(query: ExecutionListQueryDto) {
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    const page = await this.executions.list({
      flowId: query.flowId,
      status: query.status,
      limit,
      offset,
    });
    const versions = await this.flows.versionNumbers(page.items.map((e) => e.flowVersionId));
    return {
      items: page.items.map((execution) => presentSummary(execution, versions)),
      total: page.total,
      limit,
      offset,
    };
  }

  /** Cancels a pending, waiting or running execution; a runner stops at its next checkpoint. */
  async cancel(id: string) {
    const outcome = await this.executions.cancel(id);
    if (outcome === 'missing') throw notFound('execution');
    if (outcome === 'finished') {
      const execution = await this.executions.get(id);
      throw new AppError(
        409,
        'execution_finished',
        `execution already ${execution?.status ?? 'finished'}; nothing to cancel`,
        [{ path: '/status', message: `is ${execution?.status ?? 'finished'}` }],
      );
    }
    return this.get(id);
  }

  /** The delivery that started a run: what a retry posts through the flow again. */
  async deliveryOf(id: string): Promise<string> {
    const execution = await this.executions.get(id);
    if (!execution) throw notFound('execution');
    if (!execution.deliveryId) {
      throw new AppError(
        409,
        'no_trigger_input',
        'this execution has no stored delivery to run again',
        [{ path: '/deliveryId', message: 'is null' }],
      );
    }
    return execution.deliveryId;
  }

  async get(id: string) {
    const execution = await this.executions.get(id);
    if (!execution) throw notFound('execution');
    const [steps, versions] = await Promise.all([
      this.executions.steps(id),
      this.flows.versionNumbers([execution.flowVersionId]),
    ]);
    return {
      ...presentSummary(execution, versions),
      trigger: execution.state.trigger,
      response: execution.state.response ?? null,
      steps: steps.map(presentStep),
    };
  }
}
