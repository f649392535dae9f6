import { Module } from '@nestjs/common';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesService } from './deliveries.service';
import { DeliveryReplayService } from './delivery-replay.service';

@Module({
  controllers: [DeliveriesController],
  providers: [DeliveriesService, DeliveryReplayService],
  exports: [DeliveryReplayService],
})
export class DeliveriesModule {}
