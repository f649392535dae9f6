import { Inject, Injectable } from '@nestjs/common';
import { In, type FindOptionsWhere } from 'typeorm';
import { newId } from '@hookflow/common';
import type { RunState, StepRecord } from '@hookflow/engine';
import { Database } from './database';
import { insertRows, updateRows } from './rows';
import { DeliveryEntity } from './entities/delivery.entity';
import { ExecutionEntity, type ExecutionStatus } from './entities/execution.entity';
import { ExecutionStepEntity } from './entities/execution-step.entity';

/** Pick-ups of one execution (first run plus resumes) before it is failed for good. */
export const MAX_ATTEMPTS = 10;

export interface ExecutionFilter {
  flowId?: string;
  status?: ExecutionStatus;
  limit: number;
  offset: number;
}

@Injectable()
export class ExecutionsRepository {
  constructor(@Inject(Database) private readonly database: Database) {}

  /**
   * The intake's one write: the delivery and its pending execution commit together, so an
   * answered delivery always has a run to do.
   */
  async acceptDelivery(input: {
    delivery: Omit<DeliveryEntity, 'executionId'>;
    execution: Omit<ExecutionEntity, 'deliveryId'>;
  }): Promise<void> {
    await this.database.transaction(async (manager) => {
      await insertRows(manager, DeliveryEntity, {
        ...input.delivery,
        executionId: input.execution.id,
      });
      await insertRows(manager, ExecutionEntity, {
        ...input.execution,
        deliveryId: input.delivery.id,
      });
    });
  }

  get(id: string): Promise<ExecutionEntity | null> {
    return this.database.manager.findOneBy(ExecutionEntity, { id });
  }

  steps(executionId: string): Promise<ExecutionStepEntity[]> {
    return this.database.manager.find(ExecutionStepEntity, {
      where: { executionId },
      order: { seq: 'ASC' },
    });
  }

  async list(filter: ExecutionFilter): Promise<{ items: ExecutionEntity[]; total: number }> {
    const where: FindOptionsWhere<ExecutionEntity> = {};
    if (filter.flowId) where.flowId = filter.flowId;
    if (filter.status) where.status = filter.status;
    const [items, total] = await this.database.manager.findAndCount(ExecutionEntity, {
      where,
      // The run state can be large; lists never need it.
      select: {
        id: true,
        flowId: true,
        flowVersionId: true,
        deliveryId: true,
        status: true,
        error: true,
        attempt: true,
        createdAt: true,
        startedAt: true,
        finishedAt: true,
      },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: filter.limit,
      skip: filter.offset,
    });
    return { items, total };
  }

  /** Ids of runs a crash left behind, oldest first. */
  async unfinishedIds(): Promise<string[]> {
    const rows = await this.database.manager.find(ExecutionEntity, {
      select: { id: true },
      where: { status: In(['pending', 'running']) },
      order: { createdAt: 'ASC' },
    });
    return rows.map((row) => row.id);
  }

  /** Marks a run as picked up; returns it, or undefined when it is already finished. */
  async claim(id: string): Promise<ExecutionEntity | undefined> {
    return this.database.transaction(async (manager) => {
      const execution = await manager.findOneBy(ExecutionEntity, { id });
      if (!execution || (execution.status !== 'pending' && execution.status !== 'running')) {
        return undefined;
      }
      if (execution.attempt >= MAX_ATTEMPTS) {
        // A run that took its process down this often would do it again: stop here, visibly.
        const error = {
          code: 'too_many_attempts',
          message: `the run was interrupted ${execution.attempt} times; giving up`,
        };
        await updateRows(
          manager,
          ExecutionEntity,
          { id },
          {
            status: 'failed',
            error,
            finishedAt: new Date(),
          },
        );
        return undefined;
      }
      execution.attempt += 1;
      execution.status = 'running';
      execution.startedAt ??= new Date();
      execution.state = {
        ...execution.state,
        execution: { ...execution.state.execution, attempt: execution.attempt },
      };
      await updateRows(
        manager,
        ExecutionEntity,
        { id },
        {
          attempt: execution.attempt,
          status: 'running',
          startedAt: execution.startedAt,
          state: execution.state,
        },
      );
      return execution;
    });
  }

  /** Records one node run and the state after it, atomically: the checkpoint a resume starts from. */
  async checkpoint(input: {
    executionId: string;
    step: StepRecord;
    state: RunState;
  }): Promise<void> {
    const { executionId, step, state } = input;
    const outcome = state.outcome;
    await this.database.transaction(async (manager) => {
      await insertRows(manager, ExecutionStepEntity, {
        id: newId(),
        executionId,
        seq: step.seq,
        nodeId: step.nodeId,
        nodeType: step.nodeType,
        status: step.status,
        port: step.status === 'succeeded' ? step.port : null,
        input: step.input,
        output: step.status === 'succeeded' ? step.output : null,
        error: step.status === 'failed' ? step.error : null,
        startedAt: new Date(step.startedAt),
        finishedAt: new Date(step.finishedAt),
      });
      await updateRows(
        manager,
        ExecutionEntity,
        { id: executionId },
        {
          state,
          ...(outcome
            ? {
                status: outcome.status,
                error: outcome.status === 'failed' ? outcome.error : null,
                finishedAt: new Date(),
              }
            : {}),
        },
      );
    });
  }

  /** Ends a run that cannot go on (its flow version vanished, its state is unreadable). */
  async fail(id: string, error: { code: string; message: string }): Promise<void> {
    await this.database.transaction((manager) =>
      updateRows(
        manager,
        ExecutionEntity,
        { id },
        { status: 'failed', error, finishedAt: new Date() },
      ),
    );
  }
}
