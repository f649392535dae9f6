import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER, newId } from '@hookflow/common';
import { startRun, type CompiledFlow, type JsonObject, type RunError } from '@hookflow/engine';
import { ExecutionsRepository, FlowsRepository, type ExecutionEntity } from '@hookflow/store';
import { CompiledFlows } from './compiled-flows';

/** Runs started by an error flow carry this method, so their own failures start nothing more. */
export const ERROR_TRIGGER_METHOD = 'ERROR';

/**
 * A flow's `settings.errorFlow` names another flow (by id) that receives
 * `{ execution, node, error }` whenever a run of this flow fails: alerting in one place.
 */
@Injectable()
export class ErrorFlows {
  constructor(
    @Inject(FlowsRepository) private readonly flows: FlowsRepository,
    @Inject(ExecutionsRepository) private readonly executions: ExecutionsRepository,
    @Inject(CompiledFlows) private readonly compiled: CompiledFlows,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Creates the error flow's pending execution; returns its id for the caller to enqueue. */
  async start(
    failed: CompiledFlow,
    execution: ExecutionEntity,
    error: RunError,
  ): Promise<string | undefined> {
    const errorFlowId = failed.document.settings?.errorFlow;
    if (typeof errorFlowId !== 'string' || errorFlowId === execution.flowId) return undefined;
    if (execution.state.trigger.method === ERROR_TRIGGER_METHOD) return undefined;
    const target = await this.flows.get(errorFlowId);
    if (!target || !target.flow.enabled) {
      this.logger.warn(
        { errorFlowId, executionId: execution.id },
        'error flow missing or disabled',
      );
      return undefined;
    }
    const flow = this.compiled.compile(target.version.id, target.version.document);
    const node = failed.nodes.get(error.nodeId ?? '');
    const body: JsonObject = {
      execution: {
        id: execution.id,
        flowId: execution.flowId,
        flowName: failed.document.name,
        startedAt: execution.startedAt?.toISOString() ?? null,
      },
      node: node ? { id: node.node.id, type: node.nodeType.type } : null,
      error: { ...error },
    };
    const id = newId();
    const now = new Date();
    await this.executions.createExecution({
      id,
      flowId: target.flow.id,
      flowVersionId: target.version.id,
      status: 'pending',
      state: startRun(
        flow,
        {
          method: ERROR_TRIGGER_METHOD,
          path: '',
          headers: {},
          query: {},
          body,
          receivedAt: now.toISOString(),
        },
        { id, flowId: target.flow.id, versionId: target.version.id, attempt: 0 },
      ),
      error: null,
      attempt: 0,
      createdAt: now,
      startedAt: null,
      finishedAt: null,
    });
    return id;
  }
}
