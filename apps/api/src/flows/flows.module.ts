import { Module } from '@nestjs/common';
import { FlowTransferService } from './flow-transfer.service';
import { FlowsController } from './flows.controller';
import { FlowsService } from './flows.service';

@Module({
  controllers: [FlowsController],
  providers: [FlowsService, FlowTransferService],
  exports: [FlowsService],
})
export class FlowsModule {}
