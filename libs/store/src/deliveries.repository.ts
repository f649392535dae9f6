import { Inject, Injectable } from '@nestjs/common';
import { Database } from './database';
import { insertRows } from './rows';
import { DeliveryEntity } from './entities/delivery.entity';

@Injectable()
export class DeliveriesRepository {
  constructor(@Inject(Database) private readonly database: Database) {}

  /** Logs a delivery that was answered without a run (4xx), with the reason. */
  async logRejected(delivery: DeliveryEntity): Promise<void> {
    await this.database.transaction((manager) => insertRows(manager, DeliveryEntity, delivery));
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
}
