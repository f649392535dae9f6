import { Module } from '@nestjs/common';
import { LiveExecutionsController } from './live-executions.controller';
import { LiveExecutionsService } from './live-executions.service';

@Module({ controllers: [LiveExecutionsController], providers: [LiveExecutionsService] })
export class LiveModule {}
