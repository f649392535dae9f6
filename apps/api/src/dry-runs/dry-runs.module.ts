import { Module } from '@nestjs/common';
import { DryRunsController } from './dry-runs.controller';
import { DryRunsService } from './dry-runs.service';

@Module({
  controllers: [DryRunsController],
  providers: [DryRunsService],
})
export class DryRunsModule {}
