import { Inject, Injectable } from '@nestjs/common';
import { PerTurnBatch } from '@hookflow/common';
import {
  In,
  IsNull,
  LessThan,
  LessThanOrEqual,
  MoreThan,
  Not,
  Or,
  Raw,
  type FindOperator,
  type FindOptionsWhere,
} from 'typeorm';
import {
  attachBody,
  changeState,
  detachBody,
  type RunState,
  type StepRecord,
} from '@hookflow/engine';
import { Database } from './database';
import { deliveryWrites, type DeliveryRow } from './delivery-rows';
import { DeliveryKeyEntity } from './entities/delivery-key.entity';
import {
  ExecutionEntity,
  UNFINISHED_STATUSES,
  type ExecutionStatus,
} from './entities/execution.entity';
import { ExecutionStepEntity } from './entities/execution-step.entity';
import {
  ExecutionPayloads,
  missingBody,
  PAYLOAD_IN_DELIVERY,
  PAYLOAD_INLINE_MAX_CHARS,
  PAYLOAD_SHARED_MIN_CHARS,
  stepPayloadRefs,
} from './execution-payloads';
import { dbJson, dbTime, insertSql, prepared, select, type SqlValue } from './raw-sql';
import { applyPlan, RowsInsert, type Statement, type Write, type WritePlan } from './write-plan';
import { insertRows, updateRows } from './rows';

/** Pick-ups of one execution after interruptions before it is failed for good. */
export const MAX_ATTEMPTS = 10;

/**
 * `status IN ('pending', 'running', 'waiting')` with the statuses written out, so the database
 * can use the partial index over unfinished runs (ix_executions_unfinished).
 */
function unfinishedStatus(): FindOperator<ExecutionStatus> {
  const list = UNFINISHED_STATUSES.map((status) => `'${status}'`).join(', ');
  return Raw((column) => `${column} IN (${list})`);
}

interface PendingClaim {
  id: string;
  owner: string;
  leaseMs: number;
  now: Date;
  resolve(row: ClaimedRow | undefined): void;
  reject(error: unknown): void;
}

/** A checkpoint or final record waiting for the turn's statement (PostgreSQL). */
interface PendingCheckpoint {
  id: string;
  owner: string;
  /** The state as stored (JSON text). */
  state: SqlValue;
  /** `running`, or the outcome for a final record. */
  status: string;
  error: SqlValue;
  final: boolean;
  leaseUntil: Date | null;
  now: Date;
  steps: SqlValue[][];
  /** The same write as a plan: how it goes when the batched statement fails. */
  plan: WritePlan;
  resolve(written: boolean): void;
  reject(error: unknown): void;
}

const MAX_CHECKPOINTS_PER_STATEMENT = 256;

/**
 * The checkpoints of one turn (see checkpointAll): the same guard and columns as a checkpoint
 * plan, a final record (`final`) also sets the outcome and gives the lease up. Only a final
 * record moves `updated_at` (see `checkpoint`).
 */
const CHECKPOINTS_SQL =
  'WITH v AS (SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::text[], ?::varchar[], ' +
  '?::text[], ?::boolean[], ?::timestamptz[], ?::timestamptz[]) ' +
  'AS v(id, owner, state, status, error, final, lease_until, now)), ' +
  'u AS (UPDATE executions e SET state = v.state, status = v.status, ' +
  'updated_at = CASE WHEN v.final THEN v.now ELSE e.updated_at END, ' +
  'started_at = COALESCE(e.started_at, v.now), ' +
  'error = CASE WHEN v.final THEN v.error ELSE e.error END, ' +
  'finished_at = CASE WHEN v.final THEN v.now ELSE e.finished_at END, ' +
  'lease_owner = CASE WHEN v.final THEN NULL ELSE e.lease_owner END, ' +
  'lease_until = CASE WHEN v.final THEN NULL ELSE v.lease_until END ' +
  'FROM v WHERE e.id = v.id AND e.lease_owner = v.owner ' +
  "AND e.status IN ('pending', 'running') RETURNING e.id), " +
  's AS (INSERT INTO execution_steps (execution_id, seq, node_id, node_type, status, port, ' +
  'input, output, payload_refs, error, attempt, started_at, finished_at) ' +
  'SELECT * FROM unnest(?::varchar[], ?::int[], ?::varchar[], ?::varchar[], ?::varchar[], ' +
  '?::varchar[], ?::text[], ?::text[], ?::varchar[], ?::text[], ?::int[], ?::timestamptz[], ' +
  '?::timestamptz[]) AS s(execution_id, seq, node_id, node_type, status, port, input, output, ' +
  'payload_refs, error, attempt, started_at, finished_at) ' +
  'WHERE s.execution_id IN (SELECT id FROM u)) ' +
  'SELECT id FROM u';

/** An executions row as PostgreSQL returns it (timestamps as Dates, JSON as text). */
interface ClaimedRow {
  id: string;
  flow_id: string;
  flow_version_id: string;
  delivery_id: string | null;
  state: string;
  error: string | null;
  attempt: number;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  lease_owner: string | null;
  lease_until: Date | null;
  run_after: Date | null;
  job_id: string | null;
  updated_at: Date | null;
  previous_status: ExecutionStatus;
  previous_attempt: number;
  /** The stored trigger body's JSON the state refers to; null if there is none, or in parts. */
  stored_body: string | null;
}

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

export interface AcceptInput {
  delivery: DeliveryRow;
  execution: Omit<
    ExecutionEntity,
    'deliveryId' | 'leaseOwner' | 'leaseUntil' | 'runAfter' | 'jobId' | 'updatedAt'
  >;
  dedup?: DedupKey;
  /**
   * JSON text that parses to exactly the trigger body (its text as sent, or those bytes checked as
   * UTF-8), if the caller has it: the same value as `delivery.body` stores the body once.
   */
  bodyJson?: string | Buffer;
  /** Taken for this runner in the same write (embedded: no claim follows). */
  lease?: { owner: string; until: Date };
  /**
   * The status a `when-finished` caller is answered for the run in `state` once it is over
   * (undefined while it is not). A run that finishes before its accept is written (SQLite: its pure
   * nodes run in the same turn) has its delivery row written with that status, instead of the row
   * being rewritten afterwards: an UPDATE rewrites the whole row, a big body included.
   */
  answeredStatus?: (state: RunState) => number | undefined;
}

/** Thrown by acceptDelivery when the dedup key was already seen within its window. */
export class DuplicateDelivery extends Error {
  constructor(readonly executionId: string) {
    super('duplicate delivery');
  }
}

/**
 * An accepted execution whose write is submitted but not yet committed (SQLite group commit). A
 * run that reaches a checkpoint before that commit writes into it: one row, not a row and an
 * update, and its steps in the same transaction.
 */
interface AcceptDraft {
  owner: string | null;
  state: RunState;
  /** The executions row without its state (serialized when the batch commits). */
  execution: Record<string, SqlValue>;
  steps: Write[];
  committed: Promise<void>;
}

interface PendingRead {
  id: string;
  resolve(execution: ExecutionEntity | null): void;
  reject(error: unknown): void;
}

@Injectable()
export class ExecutionsRepository {
  private readonly payloads: ExecutionPayloads;
  private readonly drafts = new Map<string, AcceptDraft>();

  constructor(@Inject(Database) private readonly database: Database) {
    this.payloads = new ExecutionPayloads(database);
  }

  /**
   * The intake's one write: the dedup key (if any), the delivery and its pending execution commit
   * together, so an answered delivery always has a run, and a repeated key never gets a second.
   * With `lease`, the execution is taken for that runner in the same write (the embedded runner
   * runs what it just accepted, without a claim).
   */
  async acceptDelivery(input: AcceptInput): Promise<{ state: RunState }> {
    const accepting = this.beginAccept(input);
    await accepting.committed;
    return { state: accepting.state };
  }

  /**
   * acceptDelivery in two halves: the write is submitted before this returns (so writes submitted
   * after it, in the same turn of the event loop, commit in the same batch or after it), and
   * `committed` settles when it is durable (DuplicateDelivery: the dedup key was taken). `state`
   * is the run state as a runner holds it (a big body marked as stored beside it).
   */
  beginAccept(input: AcceptInput): {
    state: RunState;
    committed: Promise<void>;
    /** The status the delivery row was written with (see `answeredStatus`), once committed. */
    deliveryStatus: () => number;
  } {
    const { delivery, execution, dedup, lease } = input;
    const kind = this.database.kind;
    // A big body is written once, here, beside a state that refers to it (see detachBody); when
    // the delivery's text (or its checked UTF-8 bytes: length in bytes then) is the body's JSON,
    // the delivery row is that one copy, from PAYLOAD_SHARED_MIN_CHARS on: the run's rows then
    // never repeat the body (its JSON is built and written once per accept, not twice), and a
    // runner reading runs back gets their bodies in the same query (a worker's claim) or in one
    // query per turn (the embedded runner's backlog).
    const body = execution.state.trigger.body;
    const size = delivery.body?.length ?? 0;
    const big = size >= PAYLOAD_INLINE_MAX_CHARS;
    const inDelivery = input.bodyJson !== undefined && input.bodyJson === delivery.body;
    const payload =
      inDelivery && size >= PAYLOAD_SHARED_MIN_CHARS
        ? PAYLOAD_IN_DELIVERY
        : big
          ? JSON.stringify(body)
          : null;
    const held: RunState =
      payload === null ? execution.state : { ...execution.state, bodyStored: true };
    const t = (date: Date | null) => (date ? dbTime(kind, date) : null);
    const draft: AcceptDraft = {
      owner: lease?.owner ?? null,
      state: held,
      execution: {
        id: execution.id,
        flow_id: execution.flowId,
        flow_version_id: execution.flowVersionId,
        delivery_id: delivery.id,
        status: execution.status,
        payload,
        error: dbJson(execution.error),
        attempt: execution.attempt,
        created_at: t(execution.createdAt),
        started_at: t(execution.startedAt),
        finished_at: t(execution.finishedAt),
        job_id: execution.id,
        updated_at: t(execution.createdAt),
        lease_owner: lease?.owner ?? null,
        lease_until: t(lease?.until ?? null),
      },
      steps: [],
      committed: Promise.resolve(),
    };
    let deliveryStatus = delivery.status;
    // A key seen before guards the write, unless its window has closed: then it is taken over.
    const guard: Statement | undefined = dedup && [
      'INSERT INTO delivery_keys (flow_id, key, execution_id, delivery_id, created_at, expires_at) ' +
        'VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (flow_id, key) DO UPDATE SET ' +
        'execution_id = excluded.execution_id, delivery_id = excluded.delivery_id, ' +
        'created_at = excluded.created_at, expires_at = excluded.expires_at ' +
        'WHERE delivery_keys.expires_at <= excluded.created_at',
      [
        execution.flowId,
        dedup.key,
        execution.id,
        delivery.id,
        t(delivery.receivedAt),
        t(dedup.expiresAt),
      ],
    ];
    // Built when the batch commits, so that a run that finished in the meantime (same turn of
    // the event loop) is written as one row: see `checkpoint`.
    const plan = (): WritePlan => {
      this.drafts.delete(execution.id);
      const answered = draft.state.outcome ? input.answeredStatus?.(draft.state) : undefined;
      deliveryStatus = answered ?? delivery.status;
      const stored = draft.state.bodyStored ? detachBody(draft.state) : draft.state;
      const rows = [
        ...deliveryWrites(kind, { ...delivery, status: deliveryStatus }, execution.id),
        insertSql('executions', Object.assign(draft.execution, { state: dbJson(stored) })),
        ...draft.steps,
      ];
      return guard ? { guard, then: rows } : { then: rows };
    };
    if (lease && this.database.groupCommit) this.drafts.set(execution.id, draft);
    const written = applyPlan(this.database, plan);
    draft.committed = (async () => {
      if (await written) return;
      const where = { flowId: execution.flowId, key: dedup?.key ?? '' };
      const seen = await this.database.manager.findOneBy(DeliveryKeyEntity, where);
      throw new DuplicateDelivery(seen?.executionId ?? '');
    })();
    // A small body is held by the runner's state; only a big one is worth a second look-up.
    if (big) this.payloads.remember(execution.id, body);
    return { state: held, committed: draft.committed, deliveryStatus: () => deliveryStatus };
  }

  /**
   * True when writes submitted one after the other commit in that order (SQLite's group commit):
   * a run may then start before its accept is durable (see HookIntakeService). PostgreSQL runs
   * each write in a transaction of its own, on any connection of the pool.
   */
  get writesInOrder(): boolean {
    return this.database.groupCommit !== undefined;
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

  /**
   * `get` for the runner's drain: the reads of one turn of the event loop go as one query (a
   * backlog past what the runner holds in memory is read run by run, and one TypeORM read per
   * run cost more than the run's own writes).
   */
  getForRun(id: string): Promise<ExecutionEntity | null> {
    return new Promise((resolve, reject) => this.runReads.add({ id, resolve, reject }));
  }

  private readonly runReads = new PerTurnBatch<PendingRead>((pending) => {
    void this.readAll(pending);
  });

  private async readAll(pending: PendingRead[]): Promise<void> {
    try {
      const ids = [...new Set(pending.map((read) => read.id))];
      const rows = await this.database.manager.findBy(ExecutionEntity, { id: In(ids) });
      const byId = new Map(rows.map((row) => [row.id, row]));
      const stored = rows.filter((row) => row.state.bodyRefs).map((row) => row.id);
      const bodies = stored.length > 0 ? await this.payloads.loadMany(stored) : undefined;
      for (const read of pending) {
        const row = byId.get(read.id);
        // A copy per read (of the row, with its body put back), as `get` gives each caller.
        const body = bodies?.get(read.id);
        if (!row) read.resolve(null);
        else if (!row.state.bodyRefs) read.resolve({ ...row });
        else if (body === undefined) read.reject(missingBody(row.id));
        else read.resolve({ ...row, state: attachBody(row.state, body) });
      }
    } catch (error) {
      for (const read of pending) read.reject(error);
    }
  }

  /** The steps of an execution in order, every stored reference (body, earlier output) resolved. */
  async steps(executionId: string): Promise<ExecutionStepEntity[]> {
    const steps = await this.database.manager.find(ExecutionStepEntity, {
      where: { executionId },
      order: { seq: 'ASC' },
    });
    if (!steps.some((step) => step.payloadRefs)) return steps;
    const needsBody = steps.some((step) =>
      (step.payloadRefs ?? '').split(',').some((ref) => ref === 'input' || ref === 'output'),
    );
    const body = needsBody ? await this.payloads.load(executionId) : null;
    const outputs = new Map<number, ExecutionStepEntity['output']>();
    return steps.map((stored) => {
      const step = { ...stored };
      for (const ref of (step.payloadRefs ?? '').split(',')) {
        if (ref === 'input') step.input = body;
        else if (ref === 'output') step.output = body;
        else if (ref.startsWith('i@')) step.input = outputs.get(Number(ref.slice(2))) ?? null;
        else if (ref.startsWith('o@')) step.output = outputs.get(Number(ref.slice(2))) ?? null;
      }
      outputs.set(step.seq, step.output);
      return step;
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
      where: { status: unfinishedStatus() },
      order: { createdAt: 'ASC' },
    });
  }

  /**
   * Pending runs leased to `owner` from `fromId` on (inclusive), in id order: the backlog an
   * embedded queue left on disk (its ids are accepted in order). A range of the primary key.
   */
  async leasedPending(owner: string, fromId: string, limit: number): Promise<string[]> {
    const rows = await select<{ id: string }>(
      this.database.dataSource,
      this.database.kind,
      "SELECT id FROM executions WHERE id >= ? AND lease_owner = ? AND status = 'pending' " +
        'ORDER BY id LIMIT ?',
      [fromId, owner, limit],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Unfinished runs nobody holds and nothing touched for `staleMs` (accepted, claimed, released,
   * given a job; checkpoints do not count, they happen under a lease): candidates for the reconciler,
   * which re-enqueues those whose queue job is gone (a Redis restart, a lost add).
   */
  stale(now: Date, staleMs: number, limit: number): Promise<ExecutionEntity[]> {
    const before = new Date(now.getTime() - staleMs);
    return this.database.manager.find(ExecutionEntity, {
      select: { id: true, jobId: true, runAfter: true, status: true },
      where: {
        status: unfinishedStatus(),
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
   * PostgreSQL: `claim` in one statement (the worker's hot path): takes the lease when the run is
   * unfinished, unleased, due and under its attempt limit, and returns the row. Undefined when
   * any of that does not hold (or on SQLite): `claim` then tells which, the slow way. Flow
   * concurrency limits are not checked here: a runner that finds one gives the lease back.
   */
  async claimAtOnce(input: {
    id: string;
    owner: string;
    leaseMs: number;
    now: Date;
  }): Promise<
    (ExecutionEntity & { previous: Pick<ExecutionEntity, 'status' | 'attempt'> }) | undefined
  > {
    if (this.database.kind !== 'postgres') return undefined;
    const row = await new Promise<ClaimedRow | undefined>((resolve, reject) =>
      this.claims.add({ ...input, resolve, reject }),
    );
    if (!row) return undefined;
    const state = JSON.parse(row.state) as RunState;
    const execution: ExecutionEntity = {
      id: row.id,
      flowId: row.flow_id,
      flowVersionId: row.flow_version_id,
      deliveryId: row.delivery_id,
      status: 'running',
      state: { ...state, execution: { ...state.execution, attempt: row.attempt } },
      error: row.error === null ? null : (JSON.parse(row.error) as ExecutionEntity['error']),
      attempt: row.attempt,
      createdAt: row.created_at,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      leaseOwner: row.lease_owner,
      leaseUntil: row.lease_until,
      runAfter: row.run_after,
      jobId: row.job_id,
      updatedAt: row.updated_at,
    };
    const previous = { status: row.previous_status, attempt: row.previous_attempt };
    if (state.bodyRefs && row.stored_body !== null) {
      const body = this.payloads.parse(row.id, row.stored_body);
      return { ...execution, state: attachBody(execution.state, body), previous };
    }
    return { ...(await this.withBody(execution)), previous };
  }

  /** The claims of one turn of the event loop, taken in one statement (see claimAtOnce). */
  private readonly claims = new PerTurnBatch<PendingClaim>((pending) => {
    void this.claimAll(pending);
  });

  private async claimAll(pending: PendingClaim[]): Promise<void> {
    const { owner, leaseMs, now } = pending[0];
    const ids = [...new Set(pending.map((claim) => claim.id))];
    let rows: ClaimedRow[];
    try {
      rows = await prepared<ClaimedRow>(
        this.database.dataSource,
        // `previous` is the row as it was: how a runner gives the claim back (see unclaim).
        'WITH previous AS (SELECT id, status, attempt FROM executions ' +
          'WHERE id = ANY(?::varchar[]) FOR UPDATE) ' +
          "UPDATE executions e SET status = 'running', " +
          "attempt = CASE WHEN e.status = 'waiting' THEN e.attempt ELSE e.attempt + 1 END, " +
          'lease_owner = ?, lease_until = ?, run_after = NULL, ' +
          'started_at = COALESCE(e.started_at, ?), updated_at = ? FROM previous ' +
          "WHERE e.id = previous.id AND e.status IN ('pending', 'running', 'waiting') " +
          'AND (e.lease_until IS NULL OR e.lease_until <= ?) ' +
          'AND (e.run_after IS NULL OR e.run_after <= ?) ' +
          "AND (e.status = 'waiting' OR e.attempt < ?) " +
          'RETURNING e.id, e.flow_id, e.flow_version_id, e.delivery_id, e.state, e.error, ' +
          'e.attempt, e.created_at, e.started_at, e.finished_at, e.lease_owner, e.lease_until, ' +
          'e.run_after, e.job_id, e.updated_at, previous.status AS previous_status, ' +
          'previous.attempt AS previous_attempt, ' +
          // The body the state refers to, read in the same statement instead of once more.
          'CASE WHEN e.payload = ? THEN (SELECT d.body FROM deliveries d ' +
          'WHERE d.id = e.delivery_id AND d.body_parts IS NULL) ELSE e.payload END AS stored_body',
        [
          ids as unknown as SqlValue,
          owner,
          new Date(now.getTime() + leaseMs),
          now,
          now,
          now,
          now,
          MAX_ATTEMPTS,
          PAYLOAD_IN_DELIVERY,
        ],
      );
    } catch (error) {
      for (const claim of pending) claim.reject(error);
      return;
    }
    const byId = new Map(rows.map((row) => [row.id, row]));
    // An id asked twice in one turn is taken once: the first asker gets it.
    for (const claim of pending) {
      claim.resolve(byId.get(claim.id));
      byId.delete(claim.id);
    }
  }

  /** Gives back a claimAtOnce as if it had not happened (status, attempt and lease as before). */
  async unclaim(
    id: string,
    owner: string,
    previous: Pick<ExecutionEntity, 'status' | 'attempt'>,
  ): Promise<void> {
    await select(
      this.database.dataSource,
      this.database.kind,
      'UPDATE executions SET status = ?, attempt = ?, lease_owner = NULL, lease_until = NULL ' +
        'WHERE id = ? AND lease_owner = ?',
      [previous.status, previous.attempt, id, owner],
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
   * The checkpoint a resume starts from: the state, and the steps run since the last one, in one
   * atomic write. With an outcome it is the run's final record (its state kept small: the outputs
   * live in the step rows). Only the lease holder may write; false means the run was cancelled or
   * taken over.
   */
  async checkpoint(input: {
    executionId: string;
    owner: string;
    steps: readonly StepWrite[];
    state: RunState;
    leaseUntil: Date;
  }): Promise<boolean> {
    const { executionId, owner } = input;
    const outcome = input.state.outcome;
    const kind = this.database.kind;
    const now = dbTime(kind, new Date());
    const draft = this.drafts.get(executionId);
    if (draft && draft.owner === owner) {
      // The accept is not written yet: this checkpoint becomes part of its row.
      const row = draft.execution;
      draft.state = outcome ? finishedState(input.state) : input.state;
      draft.steps.push(...stepStatements(kind, executionId, input.state, input.steps));
      row.updated_at = now;
      row.started_at ??= now;
      if (outcome) {
        row.status = outcome.status;
        row.error = dbJson(outcome.status === 'failed' ? outcome.error : null);
        row.finished_at = now;
        row.lease_owner = null;
        row.lease_until = null;
      } else {
        row.status = 'running';
        row.lease_until = dbTime(kind, input.leaseUntil);
      }
      return draft.committed.then(
        () => true,
        () => false,
      );
    }
    const kept = outcome ? finishedState(input.state) : input.state;
    // A checkpoint leaves `updated_at` alone: with it, it changes no indexed column, so on
    // PostgreSQL the new row version stays on its page without new index entries (a HOT update,
    // see the fillfactor migration). The reconciler needs no touch from it: a checkpoint is
    // written under a lease, and it only considers unleased runs.
    // Unchanged big bodies are not written again: the stored state and steps refer to them.
    const state = dbJson(kept.bodyStored ? detachBody(kept) : kept);
    const rows = stepRows(kind, executionId, input.state, input.steps);
    const guard: Statement = outcome
      ? [
          'UPDATE executions SET state = ?, updated_at = ?, status = ?, error = ?, finished_at = ?, ' +
            'started_at = COALESCE(started_at, ?), lease_owner = NULL, lease_until = NULL ' +
            `WHERE id = ? AND lease_owner = ? AND status IN ('pending', 'running')`,
          [
            state,
            now,
            outcome.status,
            dbJson(outcome.status === 'failed' ? outcome.error : null),
            now,
            now,
            executionId,
            owner,
          ],
        ]
      : [
          "UPDATE executions SET state = ?, status = 'running', lease_until = ?, " +
            'started_at = COALESCE(started_at, ?) ' +
            `WHERE id = ? AND lease_owner = ? AND status IN ('pending', 'running')`,
          [state, dbTime(kind, input.leaseUntil), now, executionId, owner],
        ];
    const plan: WritePlan = { guard, then: rows.length > 0 ? [STEP_ROWS.of(rows)] : [] };
    if (kind !== 'postgres' || !this.database.postgresBatch) return applyPlan(this.database, plan);
    return new Promise<boolean>((resolve, reject) =>
      this.checkpoints.add({
        id: executionId,
        owner,
        state,
        status: outcome ? outcome.status : 'running',
        error: outcome ? dbJson(outcome.status === 'failed' ? outcome.error : null) : null,
        final: outcome !== undefined,
        leaseUntil: outcome ? null : input.leaseUntil,
        now: new Date(),
        steps: rows,
        plan,
        resolve,
        reject,
      }),
    );
  }

  /** The checkpoints and final records of one turn of the event loop (PostgreSQL). */
  private readonly checkpoints = new PerTurnBatch<PendingCheckpoint>((pending) => {
    // One execution is checkpointed by one runner at a time, but an id twice in one statement
    // would make its UPDATE ambiguous: a repeat waits for the next statement.
    let rest = pending;
    while (rest.length > 0) {
      const seen = new Set<string>();
      const batch: PendingCheckpoint[] = [];
      const later: PendingCheckpoint[] = [];
      for (const entry of rest) {
        if (seen.has(entry.id) || batch.length >= MAX_CHECKPOINTS_PER_STATEMENT) later.push(entry);
        else {
          seen.add(entry.id);
          batch.push(entry);
        }
      }
      void this.checkpointAll(batch);
      rest = later;
    }
  });

  /**
   * Writes checkpoints (and final records) with their step rows in ONE prepared statement of
   * fixed text: the values go as arrays (`unnest`), so PostgreSQL parses and plans it once per
   * connection, where the generic group commit builds a new statement text for every batch
   * (measured: about a third of the server CPU per checkpoint at 8 per batch). Each row keeps
   * its own guard (the lease holder, an unfinished run); a run's steps are written only if its
   * row was. If the statement fails, each checkpoint goes again through the generic path and
   * gets its own answer.
   */
  private async checkpointAll(batch: PendingCheckpoint[]): Promise<void> {
    const steps = batch.flatMap((entry) => entry.steps);
    const column = (index: number): SqlValue =>
      steps.map((row) => row[index]) as unknown as SqlValue;
    const of = <T>(pick: (entry: PendingCheckpoint) => T): SqlValue =>
      batch.map(pick) as unknown as SqlValue;
    let rows: Array<{ id: string }>;
    try {
      rows = await prepared<{ id: string }>(this.database.dataSource, CHECKPOINTS_SQL, [
        of((entry) => entry.id),
        of((entry) => entry.owner),
        of((entry) => entry.state),
        of((entry) => entry.status),
        of((entry) => entry.error),
        of((entry) => entry.final),
        of((entry) => entry.leaseUntil),
        of((entry) => entry.now),
        ...STEP_ROWS.columns.map((_, index) => column(index)),
      ]);
    } catch {
      for (const entry of batch) {
        applyPlan(this.database, entry.plan).then(entry.resolve, entry.reject);
      }
      return;
    }
    const written = new Set(rows.map((row) => row.id));
    for (const entry of batch) entry.resolve(written.has(entry.id));
  }

  /** Parks a run until `until` (delay, retry backoff), with the steps run since the last checkpoint. */
  async suspend(input: {
    executionId: string;
    owner: string;
    steps: readonly StepWrite[];
    state: RunState;
    until: Date;
    jobId: string;
  }): Promise<boolean> {
    const kind = this.database.kind;
    const state = input.state.bodyStored ? detachBody(input.state) : input.state;
    return applyPlan(this.database, {
      guard: [
        "UPDATE executions SET state = ?, status = 'waiting', run_after = ?, job_id = ?, " +
          'lease_owner = NULL, lease_until = NULL, updated_at = ?, started_at = COALESCE(started_at, ?) ' +
          `WHERE id = ? AND lease_owner = ? AND status IN ('pending', 'running')`,
        [
          dbJson(state),
          dbTime(kind, input.until),
          input.jobId,
          dbTime(kind, new Date()),
          dbTime(kind, new Date()),
          input.executionId,
          input.owner,
        ],
      ],
      then: stepStatements(kind, input.executionId, input.state, input.steps),
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
        { id: executionId, leaseOwner: owner, status: In(['pending', 'running']) },
        {
          leaseUntil,
        },
      ),
    );
    return updated > 0;
  }

  /**
   * Records which queue job now carries the execution, while it is unfinished: a finished run's
   * row is never touched again. False when it had finished (or is gone).
   */
  async setJob(executionId: string, jobId: string): Promise<boolean> {
    const updated = await this.database.transaction((manager) =>
      updateRows(
        manager,
        ExecutionEntity,
        { id: executionId, status: In([...UNFINISHED_STATUSES]) },
        { jobId, updatedAt: new Date() },
      ),
    );
    return updated > 0;
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

  /**
   * Ends a run that cannot go on (its flow version vanished or does not compile), through the
   * same guard as every other state change: only an unfinished run, and only when `owner` holds
   * its lease or nobody holds a live one. False when the run had finished or another runner
   * holds it (that runner decides).
   */
  async fail(
    id: string,
    by: { owner: string; now: Date },
    error: { code: string; message: string },
  ): Promise<boolean> {
    const { owner, now } = by;
    const unfinished = In([...UNFINISHED_STATUSES]);
    const result = await this.database.transaction((manager) =>
      manager
        .createQueryBuilder()
        .update(ExecutionEntity)
        .set({
          status: 'failed',
          error,
          finishedAt: now,
          updatedAt: now,
          leaseOwner: null,
          leaseUntil: null,
        })
        .where([
          { id, status: unfinished, leaseOwner: owner },
          { id, status: unfinished, leaseUntil: IsNull() },
          { id, status: unfinished, leaseUntil: LessThanOrEqual(now) },
        ])
        .execute(),
    );
    const updated = result.affected ?? 0;
    return updated > 0;
  }
}

/** A step to record; `inputFrom`: the seq of the step whose output is this step's input. */
export interface StepWrite {
  record: StepRecord;
  inputFrom?: number;
  /** The seq of the earlier step whose output this step's output is (a filter passes it on). */
  outputFrom?: number;
}

/** What a finished run keeps in its state: outputs are in the step rows, nothing is queued. */
function finishedState(state: RunState): RunState {
  const finished = changeState(state, { queue: [], outputs: {} });
  if (finished.joins !== undefined) delete finished.joins;
  return finished;
}

const STEP_ROWS = new RowsInsert('execution_steps', [
  'execution_id',
  'seq',
  'node_id',
  'node_type',
  'status',
  'port',
  'input',
  'output',
  'payload_refs',
  'error',
  'attempt',
  'started_at',
  'finished_at',
]);

/** An engine timestamp (ISO 8601, UTC) as the column holds it, without a Date in between. */
function isoTime(kind: Database['kind'], iso: string): SqlValue {
  if (kind === 'postgres') return new Date(iso);
  return iso.length === 24
    ? `${iso.slice(0, 10)} ${iso.slice(11, 23)}`
    : dbTime(kind, new Date(iso));
}

/**
 * The step rows. Each value is written once: an input or output that is an earlier step's output
 * is stored as a reference to it (`i@<seq>`, `o@<seq>` in payload_refs), a big trigger
 * body as a reference to the stored body (`input`, `output`).
 */
function stepStatements(
  kind: Database['kind'],
  executionId: string,
  state: RunState,
  steps: readonly StepWrite[],
): Write[] {
  if (steps.length === 0) return [];
  return [STEP_ROWS.of(stepRows(kind, executionId, state, steps))];
}

/** The step rows' values, in the column order of STEP_ROWS (see stepStatements). */
function stepRows(
  kind: Database['kind'],
  executionId: string,
  state: RunState,
  steps: readonly StepWrite[],
): SqlValue[][] {
  return steps.map(({ record: step, inputFrom, outputFrom }): SqlValue[] => {
    const body = stepPayloadRefs(state, step);
    const refs = body === null ? [] : body.split(',');
    const inputOf = refs.includes('input') ? 'body' : inputFrom;
    const succeeded = step.status === 'succeeded';
    const outputOf = !succeeded ? undefined : refs.includes('output') ? 'body' : outputFrom;
    if (inputOf !== undefined && inputOf !== 'body') refs.push(`i@${inputOf}`);
    if (outputOf !== undefined && outputOf !== 'body') refs.push(`o@${outputOf}`);
    return [
      executionId,
      step.seq,
      step.nodeId,
      step.nodeType,
      step.status,
      succeeded ? step.port : null,
      inputOf === undefined ? (dbJson(step.input) ?? 'null') : 'null',
      !succeeded ? null : outputOf === undefined ? (dbJson(step.output) ?? 'null') : 'null',
      refs.length > 0 ? refs.join(',') : null,
      succeeded ? null : dbJson(step.error),
      step.attempt,
      isoTime(kind, step.startedAt),
      isoTime(kind, step.finishedAt),
    ];
  });
}
