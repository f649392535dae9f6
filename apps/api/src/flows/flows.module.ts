import { Module } from '@nestjs/common';
import { FlowTransferService } from './flow-transfer.service';
import { FlowsController } from './flows.controller';
import { FlowsService } from './flows.service';
import { TriggerCredentialChecks } from './trigger-credential-problems';

@Module({
  controllers: [FlowsController],
  providers: [FlowsService, FlowTransferService, TriggerCredentialChecks],
  exports: [FlowsService],
})
export class FlowsModule {}
