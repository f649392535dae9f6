import { Inject, Injectable } from '@nestjs/common';
import { In, LessThan, MoreThan, type FindOptionsWhere } from 'typeorm';
import type { DeliveryVerdict } from '@hookflow/engine';
import { Database } from './database';
import { insertRows, updateRows } from './rows';
import { DryRunDeliveryEntity } from './entities/dry-run-delivery.entity';
import { DryRunEntity, type DryRunStatus } from './entities/dry-run.entity';

export interface DryRunCounts {
  done: number;
  unchanged: number;
  changed: number;
  failed: number;
}

export interface DryRunDeliveryFilter {
  verdict?: DeliveryVerdict;
  limit: number;
  offset: number;
}

/** Dry runs and their per-delivery comparisons; expired ones are gone for every read. */
@Injectable()
export class DryRunsRepository {
  constructor(@Inject(Database) private readonly database: Database) {}

  async create(run: DryRunEntity): Promise<void> {
    await this.database.transaction((manager) => insertRows(manager, DryRunEntity, run));
  }

  /** Stores a batch of comparisons and the counts so far, together. */
  async progress(id: string, counts: DryRunCounts, rows: DryRunDeliveryEntity[]): Promise<void> {
    await this.database.transaction(async (manager) => {
      if (rows.length > 0) await insertRows(manager, DryRunDeliveryEntity, rows);
      await updateRows(manager, DryRunEntity, { id }, counts);
    });
  }

  async finish(id: string, status: DryRunStatus, error: string | null = null): Promise<void> {
    await this.database.transaction((manager) =>
      updateRows(manager, DryRunEntity, { id }, { status, error, finishedAt: new Date() }),
    );
  }

  get(flowId: string, id: string, now = new Date()): Promise<DryRunEntity | null> {
    return this.database.manager.findOneBy(DryRunEntity, { id, flowId, expiresAt: MoreThan(now) });
  }

  /** The flow's dry runs that have not expired, newest first. */
  list(flowId: string, limit: number, now = new Date()): Promise<DryRunEntity[]> {
    return this.database.manager.find(DryRunEntity, {
      where: { flowId, expiresAt: MoreThan(now) },
      order: { createdAt: 'DESC' },
      take: limit,
    });
  }

  async deliveries(
    id: string,
    filter: DryRunDeliveryFilter,
  ): Promise<{ items: DryRunDeliveryEntity[]; total: number }> {
    const where: FindOptionsWhere<DryRunDeliveryEntity> = { dryRunId: id };
    if (filter.verdict !== undefined) where.verdict = filter.verdict;
    const [items, total] = await this.database.manager.findAndCount(DryRunDeliveryEntity, {
      where,
      order: { position: 'ASC' },
      take: filter.limit,
      skip: filter.offset,
    });
    return { items, total };
  }

  /** Deletes dry runs past their day (and their comparisons); answers how many. */
  async purgeExpired(now = new Date()): Promise<number> {
    return this.database.transaction(async (manager) => {
      const expired = await manager.find(DryRunEntity, {
        where: { expiresAt: LessThan(now) },
        select: { id: true },
      });
      if (expired.length === 0) return 0;
      const ids = expired.map((run) => run.id);
      await manager.delete(DryRunDeliveryEntity, { dryRunId: In(ids) });
      await manager.delete(DryRunEntity, { id: In(ids) });
      return ids.length;
    });
  }
}
