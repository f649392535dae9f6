import { Inject, Injectable } from '@nestjs/common';
import { notFound } from '@hookflow/common';
import { DeliveriesRepository } from '@hookflow/store';
import type { DeliveryListQueryDto } from './dto/delivery-list-query.dto';
import { presentDelivery, presentDeliverySummary } from './delivery.presenter';

/** The delivery log: every request received on a hook, accepted or refused. */
@Injectable()
export class DeliveriesService {
  constructor(@Inject(DeliveriesRepository) private readonly deliveries: DeliveriesRepository) {}

  async list(query: DeliveryListQueryDto) {
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    const page = await this.deliveries.list({
      flowId: query.flowId,
      hookId: query.hookId,
      status: query.status,
      accepted: query.accepted,
      limit,
      offset,
    });
    return { items: page.items.map(presentDeliverySummary), total: page.total, limit, offset };
  }

  async get(id: string) {
    const delivery = await this.deliveries.get(id);
    if (!delivery) throw notFound('delivery');
    return presentDelivery(delivery);
  }
}
