import { Inject, Injectable } from '@nestjs/common';
import {
  In,
  IsNull,
  LessThan,
  LessThanOrEqual,
  MoreThan,
  Not,
  Or,
  type FindOptionsWhere,
} from 'typeorm';
import { newId } from '@hookflow/common';
import { attachBody, detachBody, type RunState, type StepRecord } from '@hookflow/engine';
import { Database } from './database';
import { DeliveryEntity } from './entities/delivery.entity';
import { DeliveryKeyEntity } from './entities/delivery-key.entity';
import {
  ExecutionEntity,
  UNFINISHED_STATUSES,
  type ExecutionStatus,
} from './entities/execution.entity';
import { ExecutionStepEntity } from './entities/execution-step.entity';
import {
  ExecutionPayloads,
  PAYLOAD_IN_DELIVERY,
  PAYLOAD_INLINE_MAX_CHARS,
  stepPayloadRefs,
} from './execution-payloads';
import { dbJson, dbTime, execute, insertSql, select } from './raw-sql';
import { insertRows, updateRows } from './rows';
import { isUniqueViolation } from './unique-violation';

/** Pick-ups of one execution after interruptions before it is failed for good. */
export const MAX_ATTEMPTS = 10;

export interface ExecutionFilter {
  flowId?: string;
  status?: ExecutionStatus;
  limit: number;
  offset: number;
}

export type ClaimResult =
  | { kind: 'claimed'; execution: ExecutionEntity }
  /** Finished, cancelled or unknown: nothing to do. */
  | { kind: 'gone' }
  /** Another runner holds it, or it is not due yet, or its flow is at its concurrency limit. */
  | { kind: 'later'; delayMs: number; reason: 'leased' | 'not_due' | 'flow_busy' };

export interface DedupKey {
  key: string;
  expiresAt: Date;
}

/** Thrown by acceptDelivery when the dedup key was already seen within its window. */
export class DuplicateDelivery extends Error {
  constructor(readonly executionId: string) {
    super('duplicate delivery');
  }
}

@Injectable()
export class ExecutionsRepository {
  private readonly payloads: ExecutionPayloads;

  constructor(@Inject(Database) private readonly database: Database) {
    this.payloads = new ExecutionPayloads(database);
  }

  /**
   * The intake's one write: the dedup key (if any), the delivery and its pending execution commit
   * together, so an answered delivery always has a run, and a repeated key never gets a second.
   */
  async acceptDelivery(input: {
    delivery: Omit<DeliveryEntity, 'executionId'>;
    execution: Omit<
      ExecutionEntity,
      'deliveryId' | 'leaseOwner' | 'leaseUntil' | 'runAfter' | 'jobId' | 'updatedAt'
    >;
    dedup?: DedupKey;
    /** JSON text that parses to exactly the trigger body (its text as sent), if the caller has it. */
    bodyJson?: string;
  }): Promise<void> {
    const { delivery, execution, dedup } = input;
    const kind = this.database.kind;
    // A big body is written once, here, beside a state that refers to it (see detachBody); when
    // the delivery's text is the body's JSON, the delivery row is that one copy.
    const body = execution.state.trigger.body;
    const big = delivery.body !== null && delivery.body.length >= PAYLOAD_INLINE_MAX_CHARS;
    const inDelivery = input.bodyJson !== undefined && input.bodyJson === delivery.body;
    const payload = big ? (inDelivery ? PAYLOAD_IN_DELIVERY : JSON.stringify(body)) : null;
    const state = payload === null ? execution.state : detachBody(execution.state);
    const t = (date: Date | null) => (date ? dbTime(kind, date) : null);
    const write = () =>
      this.database.transaction(async (manager) => {
        if (dedup) {
          await execute(
            manager,
            kind,
            ...insertSql('delivery_keys', {
              flow_id: execution.flowId,
              key: dedup.key,
              execution_id: execution.id,
              delivery_id: delivery.id,
              created_at: t(delivery.receivedAt),
              expires_at: t(dedup.expiresAt),
            }),
          );
        }
        await execute(
          manager,
          kind,
          ...insertSql('deliveries', {
            id: delivery.id,
            hook_id: delivery.hookId,
            flow_id: delivery.flowId,
            received_at: t(delivery.receivedAt),
            method: delivery.method,
            headers: dbJson(delivery.headers),
            query: dbJson(delivery.query),
            content_type: delivery.contentType,
            size_bytes: delivery.sizeBytes,
            body: delivery.body,
            status: delivery.status,
            reason: delivery.reason,
            execution_id: execution.id,
            replay_of: delivery.replayOf ?? null,
          }),
        );
        await execute(
          manager,
          kind,
          ...insertSql('executions', {
            id: execution.id,
            flow_id: execution.flowId,
            flow_version_id: execution.flowVersionId,
            delivery_id: delivery.id,
            status: execution.status,
            state: dbJson(state),
            payload,
            error: dbJson(execution.error),
            attempt: execution.attempt,
            created_at: t(execution.createdAt),
            started_at: t(execution.startedAt),
            finished_at: t(execution.finishedAt),
            job_id: execution.id,
            updated_at: t(execution.createdAt),
          }),
        );
      });
    try {
      await write();
      if (payload !== null) this.payloads.remember(execution.id, body);
    } catch (error) {
      if (!dedup || !isUniqueViolation(error)) throw error;
      const seen = await this.database.manager.findOneBy(DeliveryKeyEntity, {
        flowId: execution.flowId,
        key: dedup.key,
      });
      if (seen && seen.expiresAt.getTime() > delivery.receivedAt.getTime()) {
        throw new DuplicateDelivery(seen.executionId);
      }
      // The earlier key has expired: forget it and accept this delivery as new.
      await this.database.transaction((manager) =>
        manager.delete(DeliveryKeyEntity, { flowId: execution.flowId, key: dedup.key }),
      );
      await write();
      if (payload !== null) this.payloads.remember(execution.id, body);
    }
  }

  /** A pending execution that no delivery started (an error flow's run). */
  async createExecution(
    execution: Omit<
      ExecutionEntity,
      'deliveryId' | 'leaseOwner' | 'leaseUntil' | 'runAfter' | 'jobId' | 'updatedAt'
    >,
  ): Promise<void> {
    await this.database.transaction((manager) =>
      insertRows(manager, ExecutionEntity, {
        ...execution,
        deliveryId: null,
        leaseOwner: null,
        leaseUntil: null,
        runAfter: null,
        jobId: execution.id,
        updatedAt: execution.createdAt,
      }),
    );
  }

  /** Which flow version an execution runs, without loading its state. */
  async versionOf(id: string): Promise<string | undefined> {
    const rows = await select<{ flow_version_id: string }>(
      this.database.dataSource,
      this.database.kind,
      'SELECT flow_version_id FROM executions WHERE id = ?',
      [id],
    );
    return rows[0]?.flow_version_id;
  }

  /** The execution with its whole run state (a separately stored trigger body put back). */
  async get(id: string): Promise<ExecutionEntity | null> {
    const execution = await this.database.manager.findOneBy(ExecutionEntity, { id });
    return execution ? this.withBody(execution) : null;
  }

  async steps(executionId: string): Promise<ExecutionStepEntity[]> {
    const steps = await this.database.manager.find(ExecutionStepEntity, {
      where: { executionId },
      order: { seq: 'ASC' },
    });
    // A step that refers to the stored body has null in its place: only then look further.
    if (!steps.some((step) => step.input === null || step.output === null)) return steps;
    const refs = await this.payloads.stepRefs(executionId);
    if (refs.size === 0) return steps;
    const body = await this.payloads.load(executionId);
    return steps.map((step) => {
      const fields = refs.get(step.id)?.split(',') ?? [];
      if (fields.length === 0) return step;
      return {
        ...step,
        input: fields.includes('input') ? body : step.input,
        output: fields.includes('output') ? body : step.output,
      };
    });
  }

  private async withBody(execution: ExecutionEntity): Promise<ExecutionEntity> {
    if (!execution.state.bodyRefs) return execution;
    const body = await this.payloads.load(execution.id);
    return { ...execution, state: attachBody(execution.state, body) };
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
        runAfter: true,
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

  /** Unfinished runs with their due time, oldest first (embedded recovery on start). */
  unfinished(): Promise<Array<Pick<ExecutionEntity, 'id' | 'runAfter'>>> {
    return this.database.manager.find(ExecutionEntity, {
      select: { id: true, runAfter: true },
      where: { status: In([...UNFINISHED_STATUSES]) },
      order: { createdAt: 'ASC' },
    });
  }

  /**
   * Unfinished runs nobody holds and nothing touched for `staleMs`: candidates for the reconciler,
   * which re-enqueues those whose queue job is gone (a Redis restart, a lost add).
   */
  stale(now: Date, staleMs: number, limit: number): Promise<ExecutionEntity[]> {
    const before = new Date(now.getTime() - staleMs);
    return this.database.manager.find(ExecutionEntity, {
      select: { id: true, jobId: true, runAfter: true, status: true },
      where: {
        status: In([...UNFINISHED_STATUSES]),
        updatedAt: LessThan(before),
        leaseUntil: Or(IsNull(), LessThan(now)),
      },
      order: { updatedAt: 'ASC' },
      take: limit,
    });
  }

  /** Embedded mode has exactly one runner: leases of a previous (killed) process mean nothing. */
  async releaseAllLeases(): Promise<void> {
    await this.database.transaction((manager) =>
      updateRows(
        manager,
        ExecutionEntity,
        { leaseOwner: Not(IsNull()) },
        {
          leaseOwner: null,
          leaseUntil: null,
        },
      ),
    );
  }

  /**
   * Takes the execution for `owner` until `leaseMs` from now, atomically: one conditional
   * UPDATE, so two runners can never both hold it. Resuming a `waiting` run is not a new attempt.
   */
  async claim(input: {
    id: string;
    owner: string;
    leaseMs: number;
    now: Date;
    flowConcurrency?: number;
  }): Promise<ClaimResult> {
    const { id, owner, leaseMs, now } = input;
    const result = await this.database.transaction(async (manager): Promise<ClaimResult> => {
      const execution = await manager.findOneBy(ExecutionEntity, { id });
      if (!execution || !UNFINISHED_STATUSES.includes(execution.status)) return { kind: 'gone' };
      if (execution.leaseUntil && execution.leaseUntil.getTime() > now.getTime()) {
        return {
          kind: 'later',
          reason: 'leased',
          delayMs: execution.leaseUntil.getTime() - now.getTime(),
        };
      }
      if (execution.runAfter && execution.runAfter.getTime() > now.getTime()) {
        return {
          kind: 'later',
          reason: 'not_due',
          delayMs: execution.runAfter.getTime() - now.getTime(),
        };
      }
      const isResume = execution.status === 'waiting';
      if (!isResume && execution.attempt >= MAX_ATTEMPTS) {
        // A run that took its process down this often would do it again: stop here, visibly.
        await updateRows(
          manager,
          ExecutionEntity,
          { id },
          {
            status: 'failed',
            error: {
              code: 'too_many_attempts',
              message: `the run was interrupted ${execution.attempt} times; giving up`,
            },
            finishedAt: now,
            updatedAt: now,
            leaseOwner: null,
            leaseUntil: null,
          },
        );
        return { kind: 'gone' };
      }
      if (input.flowConcurrency !== undefined) {
        if (this.database.kind === 'postgres') {
          // Serialises claims of one flow, so the count below cannot race.
          await manager.query('SELECT id FROM flows WHERE id = $1 FOR UPDATE', [execution.flowId]);
        }
        const running = await manager.count(ExecutionEntity, {
          where: { flowId: execution.flowId, status: 'running', leaseUntil: MoreThan(now) },
        });
        if (running >= input.flowConcurrency) {
          return { kind: 'later', reason: 'flow_busy', delayMs: 250 };
        }
      }
      const attempt = isResume ? execution.attempt : execution.attempt + 1;
      const leaseUntil = new Date(now.getTime() + leaseMs);
      const state: RunState = {
        ...execution.state,
        execution: { ...execution.state.execution, attempt },
      };
      const claimed = await updateRows(
        manager,
        ExecutionEntity,
        { id, status: execution.status, leaseUntil: Or(IsNull(), LessThanOrEqual(now)) },
        {
          status: 'running',
          attempt,
          state,
          leaseOwner: owner,
          leaseUntil,
          runAfter: null,
          startedAt: execution.startedAt ?? now,
          updatedAt: now,
        },
      );
      if (claimed === 0) return { kind: 'later', reason: 'leased', delayMs: leaseMs };
      // The stored body is read after the commit: it never changes, and the lease is ours.
      return {
        kind: 'claimed',
        execution: {
          ...execution,
          status: 'running',
          attempt,
          state,
          leaseOwner: owner,
          leaseUntil,
        },
      };
    });
    if (result.kind !== 'claimed') return result;
    return { kind: 'claimed', execution: await this.withBody(result.execution) };
  }

  /**
   * Records one node run and the state after it, atomically: the checkpoint a resume starts from.
   * Only the lease holder may write; false means the run was cancelled or taken over.
   */
  async checkpoint(input: {
    executionId: string;
    owner: string;
    step?: StepRecord;
    state: RunState;
    leaseUntil: Date;
  }): Promise<boolean> {
    const { executionId, step, owner } = input;
    const outcome = input.state.outcome;
    const now = new Date();
    const kind = this.database.kind;
    // Unchanged big bodies are not written again: the stored state and step refer to them.
    const state = input.state.bodyStored ? detachBody(input.state) : input.state;
    const payloadRefs = step ? stepPayloadRefs(input.state, step) : null;
    return this.database.transaction(async (manager) => {
      // Only the lease holder may write: a run taken over or cancelled is not advanced twice.
      const updated = outcome
        ? await execute(
            manager,
            kind,
            'UPDATE executions SET state = ?, updated_at = ?, status = ?, error = ?, finished_at = ?, ' +
              "lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ? AND status = 'running'",
            [
              dbJson(state),
              dbTime(kind, now),
              outcome.status,
              dbJson(outcome.status === 'failed' ? outcome.error : null),
              dbTime(kind, now),
              executionId,
              owner,
            ],
          )
        : await execute(
            manager,
            kind,
            'UPDATE executions SET state = ?, updated_at = ?, lease_until = ? ' +
              "WHERE id = ? AND lease_owner = ? AND status = 'running'",
            [dbJson(state), dbTime(kind, now), dbTime(kind, input.leaseUntil), executionId, owner],
          );
      if (updated === 0) return false;
      if (step) {
        const row = toStepRow(executionId, step);
        await execute(
          manager,
          kind,
          ...insertSql('execution_steps', {
            id: row.id,
            execution_id: row.executionId,
            seq: row.seq,
            node_id: row.nodeId,
            node_type: row.nodeType,
            status: row.status,
            port: row.port,
            input: payloadRefs?.includes('input') ? 'null' : dbJson(row.input),
            output: payloadRefs?.includes('output') ? 'null' : dbJson(row.output),
            payload_refs: payloadRefs,
            error: dbJson(row.error),
            attempt: row.attempt,
            started_at: dbTime(kind, row.startedAt),
            finished_at: dbTime(kind, row.finishedAt),
          }),
        );
      }
      return true;
    });
  }

  /** Parks a run until `until` (delay, retry backoff) and lets go of it. */
  async suspend(input: {
    executionId: string;
    owner: string;
    state: RunState;
    until: Date;
    jobId: string;
  }): Promise<boolean> {
    const now = new Date();
    return this.database.transaction(async (manager) => {
      const updated = await updateRows(
        manager,
        ExecutionEntity,
        { id: input.executionId, leaseOwner: input.owner, status: 'running' },
        {
          state: input.state.bodyStored ? detachBody(input.state) : input.state,
          status: 'waiting',
          runAfter: input.until,
          jobId: input.jobId,
          leaseOwner: null,
          leaseUntil: null,
          updatedAt: now,
        },
      );
      return updated > 0;
    });
  }

  /** Gives an interrupted run back (shutdown): the next runner resumes from its checkpoint. */
  async release(executionId: string, owner: string, jobId?: string): Promise<void> {
    await this.database.transaction((manager) =>
      updateRows(
        manager,
        ExecutionEntity,
        { id: executionId, leaseOwner: owner },
        {
          leaseOwner: null,
          leaseUntil: null,
          updatedAt: new Date(),
          ...(jobId ? { jobId } : {}),
        },
      ),
    );
  }

  async renewLease(executionId: string, owner: string, leaseUntil: Date): Promise<boolean> {
    const updated = await this.database.transaction((manager) =>
      updateRows(
        manager,
        ExecutionEntity,
        { id: executionId, leaseOwner: owner, status: 'running' },
        {
          leaseUntil,
        },
      ),
    );
    return updated > 0;
  }

  /** Records which queue job now carries the execution. */
  async setJob(executionId: string, jobId: string): Promise<void> {
    await this.database.transaction((manager) =>
      updateRows(manager, ExecutionEntity, { id: executionId }, { jobId, updatedAt: new Date() }),
    );
  }

  /** Cancels an unfinished run; a runner holding it stops at its next checkpoint. */
  async cancel(id: string): Promise<'cancelled' | 'finished' | 'missing'> {
    return this.database.transaction(async (manager) => {
      const now = new Date();
      const updated = await updateRows(
        manager,
        ExecutionEntity,
        { id, status: In([...UNFINISHED_STATUSES]) },
        {
          status: 'cancelled',
          error: { code: 'cancelled', message: 'cancelled by a user' },
          finishedAt: now,
          updatedAt: now,
          leaseOwner: null,
          leaseUntil: null,
        },
      );
      if (updated > 0) return 'cancelled';
      return (await manager.countBy(ExecutionEntity, { id })) > 0 ? 'finished' : 'missing';
    });
  }

  /** Ends a run that cannot go on (its flow version vanished, its state is unreadable). */
  async fail(id: string, error: { code: string; message: string }): Promise<void> {
    await this.database.transaction((manager) =>
      updateRows(
        manager,
        ExecutionEntity,
        { id },
        {
          status: 'failed',
          error,
          finishedAt: new Date(),
          updatedAt: new Date(),
          leaseOwner: null,
          leaseUntil: null,
        },
      ),
    );
  }
}

function toStepRow(executionId: string, step: StepRecord): ExecutionStepEntity {
  return {
    id: newId(),
    executionId,
    seq: step.seq,
    nodeId: step.nodeId,
    nodeType: step.nodeType,
    status: step.status,
    port: step.status === 'succeeded' ? step.port : null,
    input: step.input,
    output: step.status === 'succeeded' ? step.output : null,
    error: step.status === 'succeeded' ? null : step.error,
    attempt: step.attempt,
    startedAt: new Date(step.startedAt),
    finishedAt: new Date(step.finishedAt),
  };
}
