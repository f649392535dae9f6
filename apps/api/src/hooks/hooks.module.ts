import { Module } from '@nestjs/common';
import { HookIntakeService } from './hook-intake.service';
import { IntakeGate } from './intake-gate';
import { TriggerRateLimiter } from './trigger-rate-limiter';

@Module({
  providers: [HookIntakeService, TriggerRateLimiter, IntakeGate],
  exports: [HookIntakeService, IntakeGate],
})
export class HooksModule {}
