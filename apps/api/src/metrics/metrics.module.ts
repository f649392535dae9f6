import { Module } from '@nestjs/common';
import { MetricsListener } from './metrics-listener';

@Module({ providers: [MetricsListener], exports: [MetricsListener] })
export class MetricsModule {}
