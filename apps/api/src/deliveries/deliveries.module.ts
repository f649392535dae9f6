import { Module } from '@nestjs/common';
import { HooksModule } from '../hooks/hooks.module';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesService } from './deliveries.service';
import { DeliveryReplayService } from './delivery-replay.service';

@Module({
  imports: [HooksModule],
  controllers: [DeliveriesController],
  providers: [DeliveriesService, DeliveryReplayService],
  exports: [DeliveryReplayService],
})
export class DeliveriesModule {}
