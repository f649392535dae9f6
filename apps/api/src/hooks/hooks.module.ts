import { Module } from '@nestjs/common';
import { HookIntakeService } from './hook-intake.service';

@Module({ providers: [HookIntakeService], exports: [HookIntakeService] })
export class HooksModule {}
