import { Inject, Injectable } from '@nestjs/common';
import { Database } from '../database';
import type { ExecutionStatus } from '../entities/execution.entity';
import { dbTime, execute, select, type SqlValue } from '../raw-sql';

const FINISHED: readonly ExecutionStatus[] = ['succeeded', 'failed', 'cancelled'];

/** How often, and how far apart, `checkpoint` tries while the checkpointer thread is busy: 1 s. */
const CHECKPOINT_ATTEMPTS = 100;
const CHECKPOINT_RETRY_MS = 10;

const marks = (count: number): string => new Array<string>(count).fill('?').join(', ');

/** One page of deliveries below an age limit, oldest first: those free to delete and where to go on. */
export interface DeliveryPage {
  deletable: string[];
  /** `received_at` of the last row read; undefined when the page was the last. */
  next?: SqlValue;
}

/**
 * The pruner's statements. Every write deletes at most one batch of rows in one short transaction
 * and re-checks its conditions, so two processes pruning at once delete each row only once.
 */
@Injectable()
export class RetentionRepository {
  constructor(@Inject(Database) private readonly database: Database) {}

  private get kind() {
    return this.database.kind;
  }

  private read<Row>(sql: string, parameters: SqlValue[]): Promise<Row[]> {
    return select<Row>(this.database.dataSource, this.kind, sql, parameters);
  }

  /** Finished runs of the given statuses that finished before `before`. */
  async expiredExecutions(
    statuses: readonly ExecutionStatus[],
    before: Date,
    limit: number,
  ): Promise<string[]> {
    const rows = await this.read<{ id: string }>(
      `SELECT id FROM executions WHERE status IN (${marks(statuses.length)}) AND finished_at < ? LIMIT ?`,
      [...statuses, dbTime(this.kind, before), limit],
    );
    return rows.map((row) => row.id);
  }

  async flowIds(): Promise<string[]> {
    const rows = await this.read<{ id: string }>('SELECT id FROM flows', []);
    return rows.map((row) => row.id);
  }

  async hookIds(): Promise<string[]> {
    const rows = await this.read<{ id: string }>('SELECT id FROM hooks', []);
    return rows.map((row) => row.id);
  }

  /** `created_at` of a flow's `keep`-th newest run of these statuses; undefined with fewer. */
  async keptBoundary(
    flowId: string,
    statuses: readonly ExecutionStatus[],
    keep: number,
  ): Promise<SqlValue | undefined> {
    const rows = await this.read<{ created_at: SqlValue }>(
      `SELECT created_at FROM executions WHERE flow_id = ? AND status IN (${marks(statuses.length)}) ` +
        'ORDER BY created_at DESC LIMIT 1 OFFSET ?',
      [flowId, ...statuses, keep - 1],
    );
    return rows[0]?.created_at;
  }

  /** A flow's runs of these statuses created before `boundary` (beyond its count limit). */
  async excessExecutions(
    flowId: string,
    statuses: readonly ExecutionStatus[],
    boundary: SqlValue,
    limit: number,
  ): Promise<string[]> {
    const rows = await this.read<{ id: string }>(
      `SELECT id FROM executions WHERE flow_id = ? AND status IN (${marks(statuses.length)}) ` +
        'AND created_at < ? LIMIT ?',
      [flowId, ...statuses, boundary, limit],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Deletes finished runs with everything that belongs to them: their steps, the delivery that
   * started each and any duplicate deliveries answered with it. Unfinished runs are left alone.
   */
  deleteExecutions(
    ids: string[],
  ): Promise<{ executions: number; steps: number; deliveries: number }> {
    const kind = this.kind;
    return this.database.transaction(async (manager) => {
      const finished = (await manager.query(
        this.placeholders(
          `SELECT id FROM executions WHERE id IN (${marks(ids.length)}) ` +
            `AND status IN (${marks(FINISHED.length)})`,
        ),
        [...ids, ...FINISHED],
      )) as Array<{ id: string }>;
      const gone = finished.map((row) => row.id);
      if (gone.length === 0) return { executions: 0, steps: 0, deliveries: 0 };
      const list = marks(gone.length);
      const steps = await execute(
        manager,
        kind,
        `DELETE FROM execution_steps WHERE execution_id IN (${list})`,
        gone,
      );
      await execute(
        manager,
        kind,
        'DELETE FROM delivery_body_parts WHERE delivery_id IN ' +
          `(SELECT id FROM deliveries WHERE execution_id IN (${list}))`,
        gone,
      );
      const deliveries = await execute(
        manager,
        kind,
        `DELETE FROM deliveries WHERE execution_id IN (${list})`,
        gone,
      );
      const executions = await execute(
        manager,
        kind,
        `DELETE FROM executions WHERE id IN (${list})`,
        gone,
      );
      return { executions, steps, deliveries };
    });
  }

  /**
   * Deliveries received before `before` (and after `after`, the previous page's end), oldest
   * first, marking those no execution refers to. A delivery that started a kept run stays.
   */
  async deliveryPage(input: {
    before: Date;
    /** A stored `received_at` (a hook's count limit): only deliveries older than it. */
    boundary?: SqlValue;
    after?: SqlValue;
    hookId?: string;
    limit: number;
  }): Promise<DeliveryPage> {
    const conditions = ['d.received_at < ?'];
    const parameters: SqlValue[] = [dbTime(this.kind, input.before)];
    if (input.boundary !== undefined) {
      conditions.push('d.received_at < ?');
      parameters.push(input.boundary);
    }
    if (input.after !== undefined) {
      conditions.push('d.received_at > ?');
      parameters.push(input.after);
    }
    if (input.hookId !== undefined) {
      conditions.push('d.hook_id = ?');
      parameters.push(input.hookId);
    }
    const rows = await this.read<{ id: string; received_at: SqlValue; referenced: unknown }>(
      'SELECT d.id, d.received_at, ' +
        'CASE WHEN EXISTS (SELECT 1 FROM executions e WHERE e.delivery_id = d.id) THEN 1 ELSE 0 END AS referenced ' +
        `FROM deliveries d WHERE ${conditions.join(' AND ')} ORDER BY d.received_at LIMIT ?`,
      [...parameters, input.limit],
    );
    return {
      deletable: rows.filter((row) => Number(row.referenced) === 0).map((row) => row.id),
      next: rows.length === input.limit ? rows[rows.length - 1].received_at : undefined,
    };
  }

  /** `received_at` of a hook's `keep`-th newest delivery; undefined with fewer. */
  async deliveryBoundary(hookId: string, keep: number): Promise<SqlValue | undefined> {
    const rows = await this.read<{ received_at: SqlValue }>(
      'SELECT received_at FROM deliveries WHERE hook_id = ? ORDER BY received_at DESC LIMIT 1 OFFSET ?',
      [hookId, keep - 1],
    );
    return rows[0]?.received_at;
  }

  /** Deletes deliveries that no execution refers to (checked again inside the transaction). */
  deleteDeliveries(ids: string[]): Promise<number> {
    const kind = this.kind;
    const unreferenced =
      `id IN (${marks(ids.length)}) ` +
      'AND NOT EXISTS (SELECT 1 FROM executions e WHERE e.delivery_id = deliveries.id)';
    return this.database.transaction(async (manager) => {
      await execute(
        manager,
        kind,
        `DELETE FROM delivery_body_parts WHERE delivery_id IN (SELECT id FROM deliveries WHERE ${unreferenced})`,
        ids,
      );
      return execute(manager, kind, `DELETE FROM deliveries WHERE ${unreferenced}`, ids);
    });
  }

  /** Deletes up to about `limit` dedup keys whose window closed before `now`. */
  deleteExpiredKeys(now: Date, limit: number): Promise<number> {
    const kind = this.kind;
    const at = dbTime(kind, now);
    return this.database.transaction((manager) =>
      execute(
        manager,
        kind,
        'DELETE FROM delivery_keys WHERE expires_at < ? AND key IN ' +
          '(SELECT key FROM delivery_keys WHERE expires_at < ? LIMIT ?)',
        [at, at, limit],
      ),
    );
  }

  /** SQLite: pages on the free list (what incremental vacuum can give back) and in the file. */
  async sqlitePages(): Promise<{ pageCount: number; freelistCount: number; pageSize: number }> {
    const number = async (pragma: string): Promise<number> => {
      const rows = (await this.database.dataSource.query(`PRAGMA ${pragma}`)) as Array<
        Record<string, number>
      >;
      return Number(Object.values(rows[0] ?? {})[0] ?? 0);
    };
    return {
      pageCount: await number('page_count'),
      freelistCount: await number('freelist_count'),
      pageSize: await number('page_size'),
    };
  }

  /** SQLite: gives up to `pages` free pages back; the file shrinks at the next checkpoint. */
  async incrementalVacuum(pages: number): Promise<void> {
    await this.database.outsideTransactions(async () => {
      await this.database.dataSource.query(`PRAGMA incremental_vacuum(${Math.floor(pages)})`);
    });
  }

  /**
   * SQLite: copies the WAL into the database file, which then takes its shrunken size. The
   * checkpointer thread may be checkpointing at that moment (this one then answers busy and
   * copies nothing), so it tries again, briefly, until the whole WAL is in the file.
   */
  async checkpoint(): Promise<void> {
    for (let attempt = 0; attempt < CHECKPOINT_ATTEMPTS; attempt += 1) {
      const [result] = await this.database.outsideTransactions(
        async () =>
          (await this.database.dataSource.query('PRAGMA wal_checkpoint(PASSIVE)')) as Array<{
            busy: number;
            log: number;
            checkpointed: number;
          }>,
      );
      if (!result || (result.busy === 0 && result.checkpointed >= result.log)) return;
      await new Promise((resolve) => setTimeout(resolve, CHECKPOINT_RETRY_MS));
    }
  }

  private placeholders(sql: string): string {
    if (this.kind === 'sqlite') return sql;
    let index = 0;
    return sql.replace(/\?/g, () => `$${++index}`);
  }
}
