import { Module } from '@nestjs/common';
import { RetentionRepository } from './retention.repository';
import { RetentionService } from './retention.service';

/**
 * The pruner (HOOKFLOW_RETENTION_*). Imported by the API app and the worker: in queue mode every
 * process runs it and PostgreSQL's advisory lock lets one at a time do the work.
 */
@Module({
  providers: [RetentionRepository, RetentionService],
  exports: [RetentionService],
})
export class RetentionModule {}
