import { Inject, Injectable } from '@nestjs/common';
import { Between, In, IsNull, Not, type FindOptionsWhere } from 'typeorm';
import { Database } from './database';
import { deliveryInsert, type DeliveryRow } from './delivery-rows';
import { DeliveryEntity } from './entities/delivery.entity';
import { applyPlan } from './write-plan';

export interface DeliveryFilter {
  flowId?: string;
  hookId?: string;
  /** The HTTP status answered to the sender. */
  status?: number;
  /** true: deliveries that got an execution id (incl. duplicates); false: refused ones. */
  accepted?: boolean;
  limit: number;
  offset: number;
}

/** Which accepted deliveries of a flow to try a draft on (dry runs), newest first. */
export interface DeliverySelection {
  flowId: string;
  limit: number;
  ids?: string[];
  from?: Date;
  to?: Date;
}

/** A delivery as lists show it: no headers, query or body (those can be large). */
export type DeliverySummary = Omit<DeliveryEntity, 'headers' | 'query' | 'body'>;

@Injectable()
export class DeliveriesRepository {
  constructor(@Inject(Database) private readonly database: Database) {}

  /**
   * Logs a delivery that was answered without a run (4xx), with the reason. Through the group
   * commit: a flood of refusals costs a row each in a shared transaction, not a transaction each.
   */
  async logRejected(delivery: DeliveryRow & { executionId: string | null }): Promise<void> {
    const row = deliveryInsert(this.database.kind, delivery, delivery.executionId);
    await applyPlan(this.database, { then: [row] });
  }

  /**
   * Records the status a `when-finished` delivery was answered with: its row is written with 202
   * when it is accepted, before the run decides the answer. One statement in the next batch.
   */
  async recordAnswered(id: string, status: number): Promise<void> {
    await applyPlan(this.database, {
      then: [['UPDATE deliveries SET status = ? WHERE id = ?', [status, id]]],
    });
  }

  get(id: string): Promise<DeliveryEntity | null> {
    return this.database.manager.findOneBy(DeliveryEntity, { id });
  }

  listForHook(hookId: string, limit = 50): Promise<DeliveryEntity[]> {
    return this.database.manager.find(DeliveryEntity, {
      where: { hookId },
      order: { receivedAt: 'DESC' },
      take: limit,
    });
  }

  /** A flow's deliveries that started a run (replays included), with bodies, newest first. */
  accepted(selection: DeliverySelection): Promise<DeliveryEntity[]> {
    const where: FindOptionsWhere<DeliveryEntity> = {
      flowId: selection.flowId,
      executionId: Not(IsNull()),
    };
    if (selection.ids !== undefined) where.id = In(selection.ids);
    if (selection.from !== undefined || selection.to !== undefined) {
      where.receivedAt = Between(selection.from ?? new Date(0), selection.to ?? new Date());
    }
    return this.database.manager.find(DeliveryEntity, {
      where,
      order: { receivedAt: 'DESC', id: 'DESC' },
      take: selection.limit,
    });
  }

  /** Deliveries matching every given filter, newest first, one page and the total count. */
  async list(filter: DeliveryFilter): Promise<{ items: DeliverySummary[]; total: number }> {
    const where: FindOptionsWhere<DeliveryEntity> = {};
    if (filter.flowId !== undefined) where.flowId = filter.flowId;
    if (filter.hookId !== undefined) where.hookId = filter.hookId;
    if (filter.status !== undefined) where.status = filter.status;
    if (filter.accepted !== undefined) {
      where.executionId = filter.accepted ? Not(IsNull()) : IsNull();
    }
    const [items, total] = await this.database.manager.findAndCount(DeliveryEntity, {
      where,
      select: {
        id: true,
        hookId: true,
        flowId: true,
        receivedAt: true,
        method: true,
        contentType: true,
        sizeBytes: true,
        status: true,
        reason: true,
        executionId: true,
        replayOf: true,
      },
      order: { receivedAt: 'DESC', id: 'DESC' },
      take: filter.limit,
      skip: filter.offset,
    });
    return { items, total };
  }
}
