import { Inject, Injectable } from '@nestjs/common';
import { Between, In, IsNull, Not, type FindOptionsWhere } from 'typeorm';
import { Database } from './database';
import { readBodyParts } from './delivery-body-parts';
import { deliveryWrites, type DeliveryRow } from './delivery-rows';
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
    const then = deliveryWrites(this.database.kind, delivery, delivery.executionId);
    await applyPlan(this.database, { then });
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

  async get(id: string): Promise<DeliveryEntity | null> {
    const delivery = await this.database.manager.findOneBy(DeliveryEntity, { id });
    return delivery && (await this.withBodies([delivery]))[0];
  }

  async listForHook(hookId: string, limit = 50): Promise<DeliveryEntity[]> {
    const deliveries = await this.database.manager.find(DeliveryEntity, {
      where: { hookId },
      order: { receivedAt: 'DESC' },
      take: limit,
    });
    return this.withBodies(deliveries);
  }

  /** A flow's deliveries that started a run (replays included), with bodies, newest first. */
  async accepted(selection: DeliverySelection): Promise<DeliveryEntity[]> {
    const where: FindOptionsWhere<DeliveryEntity> = {
      flowId: selection.flowId,
      executionId: Not(IsNull()),
    };
    if (selection.ids !== undefined) where.id = In(selection.ids);
    if (selection.from !== undefined || selection.to !== undefined) {
      where.receivedAt = Between(selection.from ?? new Date(0), selection.to ?? new Date());
    }
    const deliveries = await this.database.manager.find(DeliveryEntity, {
      where,
      order: { receivedAt: 'DESC', id: 'DESC' },
      take: selection.limit,
    });
    return this.withBodies(deliveries);
  }

  /** Big bodies (stored in parts) put together into `body`, as every reader takes it. */
  private async withBodies(deliveries: DeliveryEntity[]): Promise<DeliveryEntity[]> {
    const inParts = deliveries.filter((delivery) => (delivery.bodyParts ?? 0) > 0);
    if (inParts.length === 0) return deliveries;
    const bodies = await readBodyParts(
      this.database,
      inParts.map((delivery) => delivery.id),
    );
    for (const delivery of inParts) delivery.body = bodies.get(delivery.id) ?? null;
    return deliveries;
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
