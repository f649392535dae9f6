import { Module } from '@nestjs/common';
import { HookIntakeService } from './hook-intake.service';
import { TriggerRateLimiter } from './trigger-rate-limiter';

@Module({ providers: [HookIntakeService, TriggerRateLimiter], exports: [HookIntakeService] })
export class HooksModule {}
